import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { OidcProvider } from "./github-oidc-provider";
import { OidcRole } from "./github-oidc-role";
import { hcpTrustPolicy } from "./hcp-oidc";

export interface HcpRunRolesProps {
  /** The HCP Terraform host (app.terraform.io, or a Terraform Enterprise host). */
  readonly host: string;
  /** The `aud` workspaces request (TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE, default aws.workload.identity). */
  readonly audience: string;
  /** Role names, the same in every account. */
  readonly roleNames: { readonly plan: string; readonly apply: string };
  /** Exact `sub` claims of the plan phases that may plan with the plan role. */
  readonly planSubjects: readonly string[];
  /** Exact `sub` claims of the apply phases that may apply with the apply role. */
  readonly applySubjects: readonly string[];
  readonly permissionsBoundaryArn: string;
  readonly description: string;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * What HCP Terraform runs assume in one account: the account's OIDC provider for the HCP host,
 * a plan role trusted by the plan phase of exactly the listed workspaces, and an apply role
 * trusted by their apply phase only. The caller grants each role its permissions.
 */
export class HcpRunRoles extends Construct {
  readonly provider: OidcProvider;
  readonly plan: OidcRole;
  readonly apply: OidcRole;

  constructor(scope: Construct, id: string, props: HcpRunRolesProps) {
    super(scope, id);
    this.provider = new OidcProvider(this, "Provider", {
      provider: props.provider,
      url: `https://${props.host}`,
      audiences: [props.audience],
    });
    const role = (name: string, phase: string, subjects: readonly string[]) =>
      new OidcRole(this, phase, {
        provider: props.provider,
        roleName: name,
        description: `${props.description}: ${phase} phase`,
        trust: hcpTrustPolicy(this.provider.arn, props.host, props.audience, subjects),
        permissionsBoundaryArn: props.permissionsBoundaryArn,
      });
    this.plan = role(props.roleNames.plan, "plan", props.planSubjects);
    this.apply = role(props.roleNames.apply, "apply", props.applySubjects);
  }
}
