import type { PlatformConfig } from "../../src/config";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "../../src/policies/github-oidc-token";
import { platformRoles, type RoleModel } from "../../src/iam/roles";
import { decide, type Decision } from "../../src/iam/simulate";
import { ResolvedApp, type PolicyJson } from "../../src/synth/resolve";
import { synthOutput } from "./rehearsal";

/*
 * The platform's IAM as AWS evaluates it, for behaviour tests: every role of a synthesized config
 * with its trust, permission policies and boundary, and requests run through the simulator.
 */

export interface PlatformIam {
  readonly app: ResolvedApp;
  readonly roles: ReadonlyMap<string, RoleModel>;
  role(arn: string): RoleModel;
  /** What AWS decides when `roleArn` sends the request (its policies and boundary). */
  can(
    roleArn: string,
    action: string,
    resource: string,
    options?: {
      readonly context?: Record<string, string | string[]>;
      readonly resourcePolicy?: PolicyJson;
      readonly resourceAccount?: string;
      readonly region?: string;
      /** Evaluate the role's policies alone, without its permissions boundary. @default false */
      readonly withoutBoundary?: boolean;
    },
  ): Promise<Decision>;
  /**
   * Whether an OIDC token with these claims, from `host`'s provider in the role's account, may
   * assume the role. @default host - GitHub Actions (aud: sts.amazonaws.com)
   */
  assumeWithToken(
    roleArn: string,
    claims: { sub: string; aud?: string; host?: string },
  ): Promise<boolean>;
}

export function platformIam(config: PlatformConfig): PlatformIam {
  const app = new ResolvedApp(synthOutput(config));
  const roles = platformRoles(app);
  const role = (arn: string) => {
    const found = roles.get(arn);
    if (!found) throw new Error(`no role ${arn}; roles: ${[...roles.keys()].join(", ")}`);
    return found;
  };
  const boundaryOf = (r: RoleModel): PolicyJson | undefined => {
    if (!r.boundaryArn) return undefined;
    const policy = app
      .allResources("aws_iam_policy")
      .find((p) => app.attribute(p, "arn") === r.boundaryArn);
    return policy ? app.policy(policy, "policy") : undefined;
  };
  return {
    app,
    roles,
    role,
    can: (arn, action, resource, options = {}) => {
      const r = role(arn);
      const account = /^arn:aws[\w-]*:[\w-]+:[a-z0-9-]*:(\d{12}):/.exec(resource)?.[1];
      return decide({
        principal: arn,
        action,
        resource,
        resourceAccount: options.resourceAccount ?? account ?? r.accountId,
        identityPolicies: r.policies.map((p) => p.document),
        boundary: options.withoutBoundary ? undefined : boundaryOf(r),
        ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy } : {}),
        ...(options.region ? { region: options.region } : {}),
        context: options.context ?? {},
      });
    },
    assumeWithToken: async (arn, claims) => {
      const r = role(arn);
      const host = claims.host ?? GITHUB_OIDC_HOST;
      return (
        (await decide({
          principal: `arn:aws:iam::${r.accountId}:oidc-provider/${host}`,
          action: "sts:AssumeRoleWithWebIdentity",
          resource: arn,
          resourceAccount: r.accountId,
          resourcePolicy: r.trust,
          context: {
            [`${host}:sub`]: claims.sub,
            [`${host}:aud`]: claims.aud ?? STS_AUDIENCE,
          },
        })) === "Allowed"
      );
    },
  };
}
