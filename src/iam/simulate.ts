import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyJson } from "../synth/resolve";
import { DecisionStore } from "./decision-store";

/*
 * "May this principal do X?" answered as AWS answers it: identity policies, the resource policy,
 * permissions boundaries, explicit denies, conditions (with the context keys the request really
 * carries) and cross-account rules, by @cloud-copilot/iam-simulate (offline; no AWS call).
 */

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface AccessRequest {
  /** A role or user ARN, an account root ARN, or a service principal (`events.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /** The region the request is sent to. @default - the resource ARN's region, else us-east-1 */
  readonly region?: string;
  /**
   * Condition keys the request carries besides the ones every signed request has (added here:
   * aws:RequestedRegion, aws:SecureTransport, and for an IAM principal aws:PrincipalArn and
   * aws:PrincipalAccount). A value given here wins. @default {}
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The principal's identity policies. @default [] */
  readonly identityPolicies?: readonly PolicyJson[];
  /** The resource's policy (trust policy, key policy, bucket policy, ...). */
  readonly resourcePolicy?: PolicyJson;
  /** The principal's permissions boundary. @default - none */
  readonly boundary?: PolicyJson;
}

/**
 * Decisions already made, by request: the simulator is pure, and a rehearsal or a test suite asks
 * the same question many times (the same role, action and policies in several configurations).
 */
const decided = new Map<string, Promise<Decision>>();
/** And between runs (node_modules/.cache), by a hash of the request. */
const stored = new DecisionStore();

/** The decision AWS would make; throws when the request itself is not valid IAM. */
export function decide(request: AccessRequest): Promise<Decision> {
  const key = JSON.stringify(request);
  let decision = decided.get(key);
  if (!decision) {
    const storeKey = DecisionStore.key(key);
    const known = stored.get(storeKey);
    decision = known
      ? Promise.resolve(known)
      : simulate(request).then((d) => {
          stored.set(storeKey, d);
          return d;
        });
    decided.set(key, decision);
    if (decided.size > 50_000) decided.delete(decided.keys().next().value as string);
  }
  return decision;
}

async function simulate(request: AccessRequest): Promise<Decision> {
  const context: Record<string, string | string[]> = { ...requestDefaults(request) };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === "string" ? value : [...value];
  }
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: context,
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({
      name: `identity-${i}`,
      policy,
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    ...(request.boundary
      ? { permissionBoundaryPolicies: [{ name: "boundary", policy: request.boundary }] }
      : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") {
    throw new Error(
      `cannot simulate ${request.action} on ${request.resource} by ${request.principal}: ${JSON.stringify(result.errors)}`,
    );
  }
  // The validated run drops context keys its catalog does not list for the action: the OIDC
  // provider's `<host>:aud` / `<host>:sub` for AssumeRoleWithWebIdentity, and encryption context
  // keys whose name holds colons (`kms:EncryptionContext:aws:logs:arn`). AWS does evaluate them,
  // so the request is re-run as given (policies and action were validated above).
  const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) {
    return runUnsafeSimulation(
      {
        ...simulation,
        // The unvalidated path loads the resource policy without a name, which its analysis
        // reads: hand it over already validated, with one (iam-policy's ValidatedPolicy shape).
        ...(request.resourcePolicy
          ? {
              resourcePolicy: {
                __validated: true,
                policyDocument: request.resourcePolicy,
                metadata: { name: "resource-policy" },
                errors: [],
              },
            }
          : {}),
      },
      {},
    ) as Decision;
  }
  return result.overallResult as Decision;
}

/** The global condition keys AWS puts in every request of this kind. */
function requestDefaults(request: AccessRequest): Record<string, string> {
  const region = /^arn:aws[\w-]*:[\w-]+:([a-z0-9-]+):/.exec(request.resource)?.[1];
  const defaults: Record<string, string> = {
    // Global services (IAM, STS's global endpoint, S3 bucket ARNs) carry no region in the ARN.
    "aws:RequestedRegion": request.region ?? (region || "us-east-1"),
    "aws:SecureTransport": "true",
  };
  const principal = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\//.exec(request.principal);
  if (principal) {
    defaults["aws:PrincipalArn"] = request.principal;
    defaults["aws:PrincipalAccount"] = principal[1];
  }
  return defaults;
}

/** Whether AWS would allow the request. */
export async function isAllowed(request: AccessRequest): Promise<boolean> {
  return (await decide(request)) === "Allowed";
}
