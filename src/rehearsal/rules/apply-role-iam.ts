import type { RoleModel } from "../../iam/roles";
import { decide } from "../../iam/simulate";
import { addressOf, type PolicyJson, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/** Which attribute of which resource passes a role to which service (iam:PassedToService). */
const PASSED_ROLES: readonly { type: string; attribute: string; service: string }[] = [
  {
    type: "aws_ecs_task_definition",
    attribute: "execution_role_arn",
    service: "ecs-tasks.amazonaws.com",
  },
  {
    type: "aws_ecs_task_definition",
    attribute: "task_role_arn",
    service: "ecs-tasks.amazonaws.com",
  },
  { type: "aws_codebuild_project", attribute: "service_role", service: "codebuild.amazonaws.com" },
  { type: "aws_codepipeline", attribute: "role_arn", service: "codepipeline.amazonaws.com" },
  { type: "aws_flow_log", attribute: "iam_role_arn", service: "vpc-flow-logs.amazonaws.com" },
  { type: "aws_cloudwatch_event_target", attribute: "role_arn", service: "events.amazonaws.com" },
  { type: "aws_amplify_app", attribute: "iam_service_role_arn", service: "amplify.amazonaws.com" },
  {
    type: "aws_codedeploy_deployment_group",
    attribute: "service_role_arn",
    service: "codedeploy.amazonaws.com",
  },
];

/**
 * On a CI step, the apply role must be allowed every IAM write the stack makes, as AWS evaluates
 * it under the role's own boundary: CreateRole (with the role's permissions boundary in the
 * request), PutRolePolicy, AttachRolePolicy (with the policy's ARN), CreatePolicy, and PassRole
 * to the service that receives each role. The boundary each role names must already exist
 * (CreateRole fails with NoSuchEntity otherwise). This is what keeps the escalation denies from
 * also stopping the platform's own deploys.
 */
export const APPLY_ROLE_IAM: RehearsalRule = {
  id: "APPLY_ROLE_IAM",
  models: "CI's apply role may make every IAM write of the stack, within its boundary",
  docs: [
    "IAM User Guide: Permissions boundaries for IAM entities (delegating with iam:PermissionsBoundary)",
    "IAM User Guide: Grant a user permissions to pass a role to an AWS service (iam:PassedToService)",
    "IAM API Reference: CreateRole (PermissionsBoundary must name an existing managed policy)",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    const { app, step } = context;
    if (step.firstApply !== "ci" || !step.roleArn) return [];
    const ci = context.roles.get(step.roleArn);
    if (!ci) return []; // STACK_CREDENTIALS reports it
    const findings: RehearsalFinding[] = [];
    const boundaryOf = (arn: string | undefined): ResourceRef | undefined =>
      arn ? context.resourceByArn(arn) : undefined;
    const ciBoundary = boundaryOf(ci.boundaryArn);
    const as = async (
      ref: ResourceRef,
      action: string,
      resource: string,
      requestContext: Record<string, string>,
    ) => {
      const decision = await decide({
        principal: ci.arn,
        action,
        resource,
        resourceAccount: ci.accountId,
        identityPolicies: ci.policies.map((p) => p.document),
        boundary: ciBoundary ? (app.policy(ciBoundary, "policy") as PolicyJson) : undefined,
        context: requestContext,
      });
      if (decision !== "Allowed") {
        findings.push(
          finding(
            APPLY_ROLE_IAM,
            step.stack,
            addressOf(ref),
            `${ci.arn} may not ${action} on ${resource} (${decision}): the apply fails with AccessDenied`,
            "allow it in the apply role's policy within the platform boundary, or change the resource to fit them",
          ),
        );
      }
    };
    const roles = [...context.roles.values()].filter((r) => r.ref.stack === step.stack);
    const roleByRef = (ref: ResourceRef, attribute: string): RoleModel | undefined => {
      const target = app.referenced(ref, attribute);
      return target ? roles.find((r) => addressOf(r.ref) === addressOf(target)) : undefined;
    };
    for (const role of roles) {
      const boundary = role.boundaryArn ?? "";
      const policy = boundaryOf(role.boundaryArn);
      if (!policy || !context.existsFor(policy, role.ref)) {
        findings.push(
          finding(
            APPLY_ROLE_IAM,
            step.stack,
            addressOf(role.ref),
            `the role's permissions boundary ${boundary || "(none)"} ${policy ? "is created later" : "is not a platform policy"}: CreateRole fails (NoSuchEntity), or the apply role refuses a role without the platform boundary`,
            "give the role the platform boundary of its account, created by the GitHub OIDC stack",
          ),
        );
      }
      await as(role.ref, "iam:CreateRole", role.arn, { "iam:PermissionsBoundary": boundary });
    }
    for (const inline of app.resources(step.stack, "aws_iam_role_policy")) {
      const role = roleByRef(inline, "role");
      if (!role) continue;
      await as(inline, "iam:PutRolePolicy", role.arn, {
        "iam:PermissionsBoundary": role.boundaryArn ?? "",
      });
    }
    for (const attachment of app.resources(step.stack, "aws_iam_role_policy_attachment")) {
      const role = roleByRef(attachment, "role");
      if (!role) continue;
      await as(attachment, "iam:AttachRolePolicy", role.arn, {
        "iam:PermissionsBoundary": role.boundaryArn ?? "",
        "iam:PolicyARN": app.resolve(step.stack, String(attachment.config.policy_arn)),
      });
    }
    for (const policy of app.resources(step.stack, "aws_iam_policy")) {
      await as(policy, "iam:CreatePolicy", app.attribute(policy, "arn"), {});
    }
    for (const { type, attribute, service } of PASSED_ROLES) {
      for (const ref of app.resources(step.stack, type)) {
        const value = ref.config[attribute];
        if (typeof value !== "string") continue;
        await as(ref, "iam:PassRole", app.resolve(step.stack, value), {
          "iam:PassedToService": service,
        });
      }
    }
    return findings;
  },
};
