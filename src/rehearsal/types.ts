import type { RoleModel } from "../iam/roles";
import type { ApplyStep, Provision, Runbook } from "../model/runbook";
import type { ResolvedApp, ResourceRef } from "../synth/resolve";

/*
 * The rehearsal's vocabulary. It walks the first-deploy runbook over the synthesized output and,
 * at each apply step, asks every rule what AWS would do when that stack is applied (or, for the
 * pipeline, on its first run), given what earlier steps created and what operators provided.
 */

/** What AWS would do, where, and how to fix it. */
export interface RehearsalFinding {
  readonly rule: string;
  /** The stack being applied when AWS would fail (or the runbook itself). */
  readonly stack: string;
  /** Terraform address of the resource AWS would reject; empty for a stack-level finding. */
  readonly address: string;
  /** What AWS would do (error message or silent effect). */
  readonly effect: string;
  readonly fix: string;
}

/** What a rule sees at one apply step. */
export interface StepContext {
  readonly app: ResolvedApp;
  readonly runbook: Runbook;
  readonly step: ApplyStep;
  /** Stacks applied before this step, in order. */
  readonly applied: readonly string[];
  /** What operator steps before this one provided. */
  readonly provided: readonly Provision[];
  /** Every role of the platform by ARN (whether or not it exists yet). */
  readonly roles: ReadonlyMap<string, RoleModel>;
  /**
   * Whether a resource exists when `by` (a resource of the stack being applied) is created: it
   * is in an applied stack, or in this stack and Terraform creates it first.
   */
  existsFor(resource: ResourceRef, by: ResourceRef): boolean;
  /** The platform resource with this ARN, in any stack. */
  resourceByArn(arn: string): ResourceRef | undefined;
}

export interface RehearsalRule {
  /** Stable SCREAMING_SNAKE id. */
  readonly id: string;
  /** One line: the AWS behaviour it models. */
  readonly models: string;
  /** The AWS documentation the rule follows (titles, as the docs name the pages). */
  readonly docs: readonly string[];
  /** Findings when the step's stack is applied. */
  check(context: StepContext): Promise<RehearsalFinding[]> | RehearsalFinding[];
}

/** A finding builder bound to a rule and a stack. */
export function finding(
  rule: RehearsalRule,
  stack: string,
  address: string,
  effect: string,
  fix: string,
): RehearsalFinding {
  return { rule: rule.id, stack, address, effect, fix };
}
