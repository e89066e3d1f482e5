/**
 * The guard framework's vocabulary: rules read one synthesized stack (Terraform JSON, as cdktf
 * writes cdk.tf.json) and return violations; the runner turns them into findings, applies
 * suppressions and counts them.
 */

export type Severity = "error" | "warning";

/** A block of Terraform JSON (a resource's or data source's arguments). */
export type Block = Record<string, unknown>;

/** A synthesized Terraform JSON document (a stack's cdk.tf.json). */
export interface SynthesizedStackJson {
  readonly terraform?: Block;
  readonly provider?: Record<string, Block[]>;
  readonly resource?: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly output?: Record<string, Block>;
  readonly variable?: Record<string, Block>;
  readonly locals?: Block;
}

/** What a rule knows about the stack it checks besides the JSON. */
export interface GuardContext {
  readonly stackId: string;
  /** Environment names that count as production (from config: `environments.<env>.production`). */
  readonly productionEnvironments: readonly string[];
  /** The stack's AWS provider tags it as a production environment (`Environment` default tag). */
  readonly production: boolean;
}

/** One problem a rule found, before the runner adds the rule id, severity and stack. */
export interface Violation {
  /** Terraform address: `type.name` for resources, `data.type.name`, `output.name`, ... */
  readonly address: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface GuardRule {
  /** Stable SCREAMING_SNAKE id, e.g. `S3_BUCKET_ENCRYPTED`; suppressions name it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: why the rule exists. */
  readonly rationale: string;
  check(stack: SynthesizedStackJson, context: GuardContext): readonly Violation[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly stackId: string;
  readonly address: string;
  readonly message: string;
}
