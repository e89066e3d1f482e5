/**
 * IAM policy documents as typed data. They are rendered with JSON.stringify (cdktf resolves the
 * tokens inside the string), so the synthesized JSON holds a plain policy string that guard rules
 * and IAM checks can parse. Never build policies with cdktf's jsonencode function: it synthesizes to an opaque
 * HCL expression that no check can read.
 */

export type OneOrMany = string | readonly string[];

export type ConditionOperator =
  | "StringEquals"
  | "StringLike"
  | "StringNotEquals"
  | "StringNotLike"
  | "ArnEquals"
  | "ArnLike"
  | "ArnNotLike"
  | "Bool"
  | "NumericLessThanEquals"
  | "ForAnyValue:StringLike"
  | "ForAnyValue:StringEquals"
  | "ForAllValues:StringEquals"
  | "ForAllValues:StringLike"
  | "Null";

export type Conditions = Partial<Record<ConditionOperator, Record<string, OneOrMany | boolean>>>;

export type Principal =
  "*" | { readonly AWS?: OneOrMany; readonly Service?: OneOrMany; readonly Federated?: OneOrMany };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action?: OneOrMany;
  readonly NotAction?: OneOrMany;
  readonly Resource?: OneOrMany;
  readonly NotResource?: OneOrMany;
  readonly Condition?: Conditions;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Renders a document for a `policy` / `assume_role_policy` attribute. */
export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** A statement that denies any request not made over TLS; for bucket, topic and key policies. */
export function denyInsecureTransport(resources: OneOrMany): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}
