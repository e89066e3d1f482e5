import { allActions, stackPolicies } from "../policies";
import { refersTo, resources } from "../terraform";
import type { GuardRule, Violation } from "../types";

/** AWS managed policies for CodeDeploy's ECS role: they grant their actions on every resource. */
const BROAD_MANAGED = /:policy\/(service-role\/)?AWSCodeDeployRole(ForECS)?$/;

/** Writes that move traffic: on a shared listener they can reroute every service behind it. */
const TRAFFIC_WRITES = ["elasticloadbalancing:modifyrule", "elasticloadbalancing:modifylistener"];

function trustsCodeDeploy(trust: unknown): boolean {
  return typeof trust === "string" && trust.includes("codedeploy.amazonaws.com");
}

/**
 * CodeDeploy's service role for ECS blue/green moves one service's traffic: no AWS managed policy
 * (AWSCodeDeployRoleForECS allows its ECS and ELB writes on every resource), and listener-rule
 * changes only on named rules or rules carrying a tag condition, never on every rule of a shared
 * load balancer.
 */
export const CODEDEPLOY_ROLE_SCOPED: GuardRule = {
  id: "CODEDEPLOY_ROLE_SCOPED",
  severity: "error",
  rationale:
    "CodeDeploy's role for a blue/green service can change only that service's task sets and listener rules, not every service behind a shared load balancer.",
  check(stack) {
    const out: Violation[] = [];
    const roles = resources(stack, "aws_iam_role").filter((r) =>
      trustsCodeDeploy(r.block.assume_role_policy),
    );
    const policies = stackPolicies(stack).documents.filter((d) => d.kind === "identity");
    for (const role of roles) {
      const managed = [
        ...((role.block.managed_policy_arns as unknown[] | undefined) ?? []),
        ...resources(stack, "aws_iam_role_policy_attachment")
          .filter((a) => refersTo(a.block.role, role.address))
          .map((a) => a.block.policy_arn),
      ].filter((arn): arn is string => typeof arn === "string" && BROAD_MANAGED.test(arn));
      for (const arn of managed) {
        out.push({
          address: role.address,
          message: `${arn} allows CodeDeploy's ECS and load balancer writes on every resource; grant this service's task sets, rules and roles inline instead`,
        });
      }
      const inline = resources(stack, "aws_iam_role_policy").filter((p) =>
        refersTo(p.block.role, role.address),
      );
      for (const doc of policies.filter((d) => inline.some((p) => p.address === d.address))) {
        for (const s of doc.statements) {
          if (s.effect !== "Allow") continue;
          const writes = allActions(s).filter((a) => {
            const action = a.toLowerCase();
            return (
              TRAFFIC_WRITES.includes(action) ||
              action === "*" ||
              action === "elasticloadbalancing:*"
            );
          });
          if (writes.length === 0) continue;
          const tagged = s.conditions.some(
            (c) => /^aws:ResourceTag\//i.test(c.key) && !c.operator.includes("Not"),
          );
          // "*", or every rule of a load balancer (`listener-rule/app/<lb>/<id>/*`, any prefix).
          const everyRule = s.resources.some(
            (r) => r === "*" || /:listener-rule\/(?:[^/*]+\/){0,3}\*$/.test(r),
          );
          if (everyRule && !tagged) {
            out.push({
              address: doc.address,
              message: `statement ${s.sid ?? "(no Sid)"} lets CodeDeploy ${writes.join(", ")} on every listener rule of the load balancer: name the service's rules or add an aws:ResourceTag condition`,
            });
          }
        }
      }
    }
    return out;
  },
};
