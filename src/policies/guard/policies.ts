/**
 * Finds every IAM policy document in a synthesized stack and normalizes its statements, so rules
 * read trust, identity and resource policies the same way. Policies are JSON strings (rendered
 * with JSON.stringify, see ../document.ts) that may contain `${...}` interpolations inside string
 * values; `aws_iam_policy_document` data sources are read from their statement blocks.
 */
import { blocks, dataSources, isBlock, refersTo, resources, type ResourceEntry } from "./terraform";
import type { Block, SynthesizedStackJson } from "./types";

/** `trust`: a role's assume_role_policy; `identity`: attached to a principal; `resource`: on a resource. */
export type PolicyKind = "trust" | "identity" | "resource";

export interface PrincipalEntry {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`; `"*"` is read as AWS `*`. */
  readonly type: string;
  readonly values: readonly string[];
}

export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PrincipalEntry[];
  readonly notPrincipals: readonly PrincipalEntry[];
  readonly conditions: readonly ConditionEntry[];
}

export interface PolicyDocumentFound {
  /** Address of the resource or data source holding the document. */
  readonly address: string;
  readonly resourceType: string;
  readonly attribute: string;
  readonly kind: PolicyKind;
  readonly statements: readonly Statement[];
}

export interface UnreadablePolicy {
  readonly address: string;
  readonly attribute: string;
  readonly problem: string;
}

const IDENTITY_TYPES = new Set([
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
]);

/** Types whose `policy`-like attribute must be a readable IAM document. */
const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_role_policy: "policy",
  aws_iam_policy: "policy",
  aws_iam_user_policy: "policy",
  aws_iam_group_policy: "policy",
  aws_s3_bucket_policy: "policy",
  aws_kms_key: "policy",
  aws_kms_key_policy: "policy",
  aws_sns_topic: "policy",
  aws_sns_topic_policy: "policy",
  aws_sqs_queue: "policy",
  aws_sqs_queue_policy: "policy",
  aws_ecr_repository_policy: "policy",
  aws_ecr_registry_policy: "policy",
  aws_secretsmanager_secret: "policy",
  aws_secretsmanager_secret_policy: "policy",
  aws_cloudwatch_log_resource_policy: "policy_document",
  aws_cloudwatch_event_bus_policy: "policy",
  aws_codeartifact_repository_permissions_policy: "policy_document",
  aws_vpc_endpoint: "policy",
  aws_s3_access_point: "policy",
};

/** Types with a `policy` attribute that is not an IAM document. */
const NOT_IAM = new Set(["aws_ecr_lifecycle_policy", "aws_appautoscaling_policy"]);

export interface StackPolicies {
  readonly documents: readonly PolicyDocumentFound[];
  readonly unreadable: readonly UnreadablePolicy[];
}

const cache = new WeakMap<SynthesizedStackJson, StackPolicies>();

export function stackPolicies(stack: SynthesizedStackJson): StackPolicies {
  const cached = cache.get(stack);
  if (cached) return cached;
  const documents: PolicyDocumentFound[] = [];
  const unreadable: UnreadablePolicy[] = [];

  const add = (r: ResourceEntry, attribute: string, value: unknown, kind: PolicyKind): void => {
    if (value === undefined || value === null || value === "") return;
    const parsed = parseDocument(value);
    if ("problem" in parsed) {
      unreadable.push({ address: r.address, attribute, problem: parsed.problem });
    } else {
      documents.push({
        address: r.address,
        resourceType: r.type,
        attribute,
        kind,
        statements: parsed.statements,
      });
    }
  };

  for (const r of resources(stack)) {
    if (NOT_IAM.has(r.type)) continue;
    if (r.type === "aws_iam_role") {
      add(r, "assume_role_policy", r.block.assume_role_policy, "trust");
      blocks(r.block.inline_policy).forEach((p, i) =>
        add(r, `inline_policy[${i}].policy`, p.policy, "identity"),
      );
      continue;
    }
    const known = POLICY_ATTRIBUTES[r.type];
    if (known) {
      add(r, known, r.block[known], IDENTITY_TYPES.has(r.type) ? "identity" : "resource");
      continue;
    }
    // Other types: any `policy` string that reads as an IAM document is checked as one.
    const value = r.block.policy;
    if (typeof value === "string") {
      const parsed = parseDocument(value);
      if (!("problem" in parsed)) {
        documents.push({
          address: r.address,
          resourceType: r.type,
          attribute: "policy",
          kind: "resource",
          statements: parsed.statements,
        });
      }
    }
  }

  for (const d of dataSources(stack, "aws_iam_policy_document")) {
    documents.push({
      address: d.address,
      resourceType: d.type,
      attribute: "statement",
      kind: dataSourceKind(stack, d.address),
      statements: blocks(d.block.statement).map(fromDataSourceStatement),
    });
  }

  const result = { documents, unreadable };
  cache.set(stack, result);
  return result;
}

/** Where the data source's `json` is used decides what kind of policy it is. */
function dataSourceKind(stack: SynthesizedStackJson, address: string): PolicyKind {
  for (const r of resources(stack)) {
    if (refersTo(r.block.assume_role_policy, address)) return "trust";
    if (IDENTITY_TYPES.has(r.type) && refersTo(r.block.policy, address)) return "identity";
    const known = POLICY_ATTRIBUTES[r.type];
    if (known && refersTo(r.block[known], address)) return "resource";
  }
  return "identity";
}

type Parsed = { statements: Statement[] } | { problem: string };

export function parseDocument(value: unknown): Parsed {
  if (typeof value !== "string") return { problem: "is not a JSON string" };
  if (value.trim().startsWith("${")) {
    return {
      problem:
        "is a Terraform expression (a jsonencode call or a reference), which no check can read; " +
        "render it with renderPolicy(policyDocument(...)) from src/policies/document.ts",
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch (err) {
    return { problem: `is not valid JSON (${(err as Error).message})` };
  }
  if (!isBlock(doc) || doc.Statement === undefined) {
    return { problem: "has no Statement" };
  }
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { statements: raw.filter(isBlock).map(fromJsonStatement) };
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

function jsonPrincipals(value: unknown): PrincipalEntry[] {
  if (value === undefined) return [];
  if (value === "*") return [{ type: "AWS", values: ["*"] }];
  if (!isBlock(value)) return [{ type: "AWS", values: list(value) }];
  return Object.entries(value).map(([type, v]) => ({ type, values: list(v) }));
}

function fromJsonStatement(s: Block): Statement {
  const conditions: ConditionEntry[] = [];
  if (isBlock(s.Condition)) {
    for (const [operator, byKey] of Object.entries(s.Condition)) {
      if (!isBlock(byKey)) continue;
      for (const [key, v] of Object.entries(byKey))
        conditions.push({ operator, key, values: list(v) });
    }
  }
  return {
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    principals: jsonPrincipals(s.Principal),
    notPrincipals: jsonPrincipals(s.NotPrincipal),
    conditions,
  };
}

function fromDataSourceStatement(s: Block): Statement {
  const principals = (value: unknown): PrincipalEntry[] =>
    blocks(value).map((p) => ({ type: String(p.type), values: list(p.identifiers) }));
  return {
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    principals: principals(s.principals),
    notPrincipals: principals(s.not_principals),
    conditions: blocks(s.condition).map((c) => ({
      operator: String(c.test),
      key: String(c.variable),
      values: list(c.values),
    })),
  };
}

/** Conditions on `key` (case-insensitive, as IAM compares keys). */
export function conditionsOn(statement: Statement, key: string): ConditionEntry[] {
  const k = key.toLowerCase();
  return statement.conditions.filter((c) => c.key.toLowerCase() === k);
}

/** Every action a statement names, Action and NotAction. */
export function allActions(statement: Statement): string[] {
  return [...statement.actions, ...statement.notActions];
}

/** True when a principal list lets anyone in (`*` or AWS `*`). */
export function isPublicPrincipal(statement: Statement): boolean {
  return statement.principals.some((p) => p.values.includes("*") && p.type !== "Service");
}
