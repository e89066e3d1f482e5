import { addressOf, type ResolvedApp, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/** The bucket policy of a bucket (by resolved bucket name), in any stack. */
function bucketPolicy(app: ResolvedApp, bucket: string): ResourceRef | undefined {
  return app.stackIds
    .flatMap((id) => app.resources(id, "aws_s3_bucket_policy"))
    .find((p) => app.resolve(p.stack, String(p.config.bucket)) === bucket);
}

/**
 * Within one apply Terraform creates resources in parallel unless a reference or `depends_on`
 * orders them. AWS requires some to exist first:
 * - the log bucket's policy before an ALB turns access logs on (CreateLoadBalancer /
 *   ModifyLoadBalancerAttributes: "Access Denied for bucket ... Please check S3bucket permission");
 * - the target bucket's policy before S3 server access logging points at it;
 * - the SNS topic's policy before a notification rule targets it (the target starts unreachable);
 * - the listener rule that attaches a target group to the ALB before an ECS service uses it
 *   (CreateService: "The target group ... does not have an associated load balancer");
 * - the log group a task logs to, and the execution role's permissions, before the service
 *   starts tasks (ResourceInitializationError otherwise);
 * - the pipeline role's permissions before the pipeline (its first run starts at creation);
 * - a key policy set by its own resource (aws_kms_key_policy) before a log group encrypted with
 *   the key (CreateLogGroup checks that CloudWatch Logs may use the key).
 */
export const CREATION_ORDER: RehearsalRule = {
  id: "CREATION_ORDER",
  models: "resources AWS requires to exist first are ordered by a reference or depends_on",
  docs: [
    "Elastic Load Balancing: Access logs for your Application Load Balancer (bucket permissions)",
    "Amazon S3 User Guide: Permissions for log delivery",
    "AWS CodeStar Notifications: Configure Amazon SNS topics for notifications",
    "Amazon ECS Developer Guide: Use an Application Load Balancer (target group must be associated)",
    "Amazon ECS Developer Guide: Using the awslogs log driver",
    "AWS CodePipeline User Guide: CodePipeline service role",
  ],
  check(context: StepContext): RehearsalFinding[] {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    const need = (by: ResourceRef, first: ResourceRef | undefined, effect: string) => {
      if (!first || context.existsFor(first, by)) return;
      findings.push(
        finding(
          CREATION_ORDER,
          step.stack,
          addressOf(by),
          `${effect} (${addressOf(first)} is not ordered before it)`,
          `reference ${addressOf(first)} or add it to depends_on`,
        ),
      );
    };

    for (const lb of app.resources(step.stack, "aws_lb")) {
      const logs = lb.config.access_logs as { bucket?: string; enabled?: boolean } | undefined;
      if (!logs?.enabled || !logs.bucket) continue;
      need(
        lb,
        bucketPolicy(app, app.resolve(step.stack, logs.bucket)),
        "ELB checks it can write access logs when they are enabled: Access Denied for bucket",
      );
    }
    for (const logging of app.resources(step.stack, "aws_s3_bucket_logging")) {
      need(
        logging,
        bucketPolicy(app, app.resolve(step.stack, String(logging.config.target_bucket))),
        "S3 delivers server access logs only once the target bucket's policy grants logging.s3.amazonaws.com",
      );
    }
    for (const rule of app.resources(step.stack, "aws_codestarnotifications_notification_rule")) {
      for (const target of (rule.config.target as { address?: string }[] | undefined) ?? []) {
        const topicArn = app.resolve(step.stack, String(target.address));
        const policy = app.stackIds
          .flatMap((id) => app.resources(id, "aws_sns_topic_policy"))
          .find((p) => app.resolve(p.stack, String(p.config.arn)) === topicArn);
        need(
          rule,
          policy,
          "a notification rule whose topic does not yet let CodeStar Notifications publish starts with an unreachable target",
        );
      }
    }
    for (const service of app.resources(step.stack, "aws_ecs_service")) {
      for (const lb of (service.config.load_balancer as
        { target_group_arn?: string }[] | undefined) ?? []) {
        const tgArn = app.resolve(step.stack, String(lb.target_group_arn));
        const rule = app
          .resources(step.stack, "aws_lb_listener_rule")
          .find((r) =>
            JSON.stringify(app.resolve(step.stack, JSON.stringify(r.config.action))).includes(
              tgArn,
            ),
          );
        need(
          service,
          rule,
          "CreateService fails: the target group does not have an associated load balancer",
        );
      }
      const taskDefinition = app.referenced(service, "task_definition");
      if (!taskDefinition) continue;
      const definitions = app.resolve(
        step.stack,
        String(taskDefinition.config.container_definitions ?? "[]"),
      );
      for (const match of definitions.matchAll(/"awslogs-group":"([^"]+)"/g)) {
        const group = app.stackIds
          .flatMap((id) => app.resources(id, "aws_cloudwatch_log_group"))
          .find((g) => app.attribute(g, "name") === match[1]);
        need(
          service,
          group,
          `tasks log to ${match[1]}, which must exist when they start: ResourceInitializationError`,
        );
      }
      const executionRoleArn = app.resolve(
        step.stack,
        String(taskDefinition.config.execution_role_arn ?? ""),
      );
      const role = context.roles.get(executionRoleArn);
      for (const policy of app.resources(step.stack, "aws_iam_role_policy")) {
        if (!role || app.referenced(policy, "role")?.name !== role.ref.name) continue;
        need(
          service,
          policy,
          "the execution role's permissions must be in place before tasks pull the image and read secrets",
        );
      }
    }
    for (const group of app.resources(step.stack, "aws_cloudwatch_log_group")) {
      const key = app.referenced(group, "kms_key_id");
      if (!key) continue;
      const keyArn = app.attribute(key, "arn");
      const separatePolicy = app.stackIds
        .flatMap((id) => app.resources(id, "aws_kms_key_policy"))
        .find((p) => {
          const target = app.referenced(p, "key_id");
          return target
            ? target.stack === key.stack && addressOf(target) === addressOf(key)
            : app.resolve(p.stack, String(p.config.key_id)) === keyArn;
        });
      need(
        group,
        separatePolicy,
        "CloudWatch Logs checks the key policy when the encrypted log group is created",
      );
    }
    for (const pipeline of app.resources(step.stack, "aws_codepipeline")) {
      const role = context.roles.get(app.resolve(step.stack, String(pipeline.config.role_arn)));
      for (const policy of app.resources(step.stack, "aws_iam_role_policy")) {
        if (!role || app.referenced(policy, "role")?.name !== role.ref.name) continue;
        need(
          pipeline,
          policy,
          "the pipeline's first run starts at creation and needs its role's permissions",
        );
      }
    }
    return findings;
  },
};
