import { isAllowed } from "../../iam/simulate";
import { addressOf, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/**
 * The condition keys each AWS service sends when it writes to an encrypted resource, per request.
 * A key or topic policy that requires a key the service does not send denies it.
 */
const PUBLISHERS = {
  /** SNS Developer Guide, "Configure ... encrypted topics" and CloudWatch alarm actions. */
  "cloudwatch.amazonaws.com": { kmsSourceKeys: true, topicSourceKeys: true },
  /**
   * EventBridge User Guide, "Using resource-based policies for Amazon EventBridge", Amazon SNS
   * permissions: aws:SourceArn / aws:SourceAccount are supported in the topic policy but NOT in
   * the KMS key policy of an encrypted topic.
   */
  "events.amazonaws.com": { kmsSourceKeys: false, topicSourceKeys: true },
  /** CodeStar Notifications User Guide, "Configure Amazon SNS topics for notifications". */
  "codestar-notifications.amazonaws.com": { kmsSourceKeys: false, topicSourceKeys: true },
} as const;

type Publisher = keyof typeof PUBLISHERS;

interface TopicWriter {
  readonly service: Publisher;
  readonly source: ResourceRef;
  readonly sourceArn: string;
}

/**
 * Encrypted destinations let every AWS service that writes to them do so, with the condition
 * keys that service sends: SNS topics (alarms, EventBridge rules, notification rules; checked
 * against the topic policy and the key policy, where a failure silently drops the message), log
 * groups (CloudWatch Logs refuses to create a group whose key does not allow it), and buckets
 * that receive ALB access logs or S3 server access logs (only SSE-S3 works there).
 */
export const ENCRYPTED_DESTINATIONS: RehearsalRule = {
  id: "ENCRYPTED_DESTINATIONS",
  models:
    "services writing to encrypted topics, log groups and log buckets must be allowed by the key",
  docs: [
    "Amazon SNS Developer Guide: Configure AWS KMS permissions for AWS services (encrypted topics)",
    "Amazon EventBridge User Guide: Using resource-based policies for Amazon EventBridge (Amazon SNS permissions)",
    "Amazon CloudWatch Logs User Guide: Encrypt log data in CloudWatch Logs using AWS KMS",
    "Elastic Load Balancing: Access logs for your Application Load Balancer (SSE-S3 only)",
    "Amazon S3 User Guide: Enabling Amazon S3 server access logging (target bucket encryption)",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    return [
      ...(await topicFindings(context)),
      ...(await logGroupFindings(context)),
      ...logBucketFindings(context),
    ];
  },
};

function writersOf(context: StepContext, topicArn: string): TopicWriter[] {
  const { app, step } = context;
  const writers: TopicWriter[] = [];
  for (const alarm of app.resources(step.stack, "aws_cloudwatch_metric_alarm")) {
    const actions = ["alarm_actions", "ok_actions", "insufficient_data_actions"].flatMap((k) =>
      ((alarm.config[k] as string[] | undefined) ?? []).map((a) => app.resolve(step.stack, a)),
    );
    if (actions.includes(topicArn)) {
      writers.push({
        service: "cloudwatch.amazonaws.com",
        source: alarm,
        sourceArn: app.attribute(alarm, "arn"),
      });
    }
  }
  for (const target of app.resources(step.stack, "aws_cloudwatch_event_target")) {
    if (app.resolve(step.stack, String(target.config.arn)) !== topicArn) continue;
    const rule = app.referenced(target, "rule");
    writers.push({
      service: "events.amazonaws.com",
      source: target,
      sourceArn: rule ? app.attribute(rule, "arn") : "",
    });
  }
  for (const rule of app.resources(step.stack, "aws_codestarnotifications_notification_rule")) {
    const targets = (rule.config.target as { address?: string }[] | undefined) ?? [];
    if (!targets.some((t) => app.resolve(step.stack, String(t.address)) === topicArn)) continue;
    writers.push({
      service: "codestar-notifications.amazonaws.com",
      source: rule,
      sourceArn: app.resolve(step.stack, String(rule.config.resource)),
    });
  }
  return writers;
}

async function topicFindings(context: StepContext): Promise<RehearsalFinding[]> {
  const { app, step } = context;
  const findings: RehearsalFinding[] = [];
  // Writers live with the resources that write (alarms in the services stack), topics may be
  // anywhere: check every topic against this stack's writers.
  for (const topic of app.stackIds.flatMap((id) => app.resources(id, "aws_sns_topic"))) {
    const topicArn = app.attribute(topic, "arn");
    const writers = writersOf(context, topicArn);
    if (writers.length === 0) continue;
    const { accountId, region } = app.placement(topic);
    const key = app.referenced(topic, "kms_master_key_id");
    const topicPolicy = app
      .resources(topic.stack, "aws_sns_topic_policy")
      .find((p) => app.resolve(p.stack, String(p.config.arn)) === topicArn);
    for (const writer of writers) {
      const profile = PUBLISHERS[writer.service];
      const source = { "aws:SourceAccount": accountId, "aws:SourceArn": writer.sourceArn };
      const where = addressOf(writer.source);
      if (topicPolicy) {
        const publish = await isAllowed({
          principal: writer.service,
          action: "sns:Publish",
          resource: topicArn,
          resourceAccount: accountId,
          resourcePolicy: app.policy(topicPolicy, "policy"),
          context: { ...(profile.topicSourceKeys ? source : {}), "aws:SecureTransport": "true" },
        });
        if (!publish) {
          findings.push(
            finding(
              ENCRYPTED_DESTINATIONS,
              step.stack,
              where,
              `${writer.service} may not sns:Publish to ${topicArn} under its topic policy: the messages are dropped`,
              `allow ${writer.service} in the topic policy`,
            ),
          );
        }
      }
      if (!key) continue;
      const keyPolicy = app.policy(key, "policy");
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        const allowed = await isAllowed({
          principal: writer.service,
          action,
          resource: app.attribute(key, "arn"),
          resourceAccount: app.placement(key).accountId,
          resourcePolicy: keyPolicy,
          context: {
            ...(profile.kmsSourceKeys ? source : {}),
            "kms:ViaService": `sns.${region}.amazonaws.com`,
          },
        });
        if (!allowed) {
          findings.push(
            finding(
              ENCRYPTED_DESTINATIONS,
              step.stack,
              where,
              `${writer.service} may not ${action} with ${addressOf(key)} (the key of ${topicArn})${profile.kmsSourceKeys ? "" : "; it sends no aws:SourceAccount/aws:SourceArn in this request"}: every message it publishes is dropped`,
              `allow ${writer.service} ${action} in the key policy${profile.kmsSourceKeys ? "" : " without aws:Source* conditions"}`,
            ),
          );
        }
      }
    }
  }
  return findings;
}

async function logGroupFindings(context: StepContext): Promise<RehearsalFinding[]> {
  const { app, step } = context;
  const findings: RehearsalFinding[] = [];
  for (const group of app.resources(step.stack, "aws_cloudwatch_log_group")) {
    const key = app.referenced(group, "kms_key_id");
    if (!key) continue;
    const { accountId, region } = app.placement(group);
    const groupArn = `arn:aws:logs:${region}:${accountId}:log-group:${app.attribute(group, "name")}`;
    const allowed = await isAllowed({
      principal: `logs.${region}.amazonaws.com`,
      action: "kms:GenerateDataKey",
      resource: app.attribute(key, "arn"),
      resourceAccount: app.placement(key).accountId,
      resourcePolicy: app.policy(key, "policy"),
      context: { "kms:EncryptionContext:aws:logs:arn": groupArn },
    });
    if (!allowed) {
      findings.push(
        finding(
          ENCRYPTED_DESTINATIONS,
          step.stack,
          addressOf(group),
          `CloudWatch Logs may not use ${addressOf(key)} for ${groupArn}: CreateLogGroup fails ("The specified KMS key does not exist or is not allowed to be used")`,
          "allow logs.<region>.amazonaws.com in the key policy for this log group's ARN",
        ),
      );
    }
  }
  return findings;
}

/** Buckets that AWS log delivery writes to must use SSE-S3. */
function logBucketFindings(context: StepContext): RehearsalFinding[] {
  const { app, step } = context;
  const findings: RehearsalFinding[] = [];
  const kmsBuckets = new Set(
    app.stackIds
      .flatMap((id) => app.resources(id, "aws_s3_bucket_server_side_encryption_configuration"))
      .filter((sse) => JSON.stringify(sse.config.rule ?? "").includes('"sse_algorithm":"aws:kms'))
      .map((sse) => app.resolve(sse.stack, String(sse.config.bucket))),
  );
  const check = (ref: ResourceRef, bucket: string, what: string) => {
    if (!kmsBuckets.has(bucket)) return;
    findings.push(
      finding(
        ENCRYPTED_DESTINATIONS,
        step.stack,
        addressOf(ref),
        `${what} are delivered to ${bucket}, whose default encryption is SSE-KMS: AWS delivers them only to SSE-S3 buckets, so none arrive`,
        "encrypt the log bucket with SSE-S3 (AES256)",
      ),
    );
  };
  for (const lb of app.resources(step.stack, "aws_lb")) {
    const logs =
      (lb.config.access_logs as { bucket?: string; enabled?: boolean } | undefined) ?? {};
    if (logs.enabled && logs.bucket)
      check(lb, app.resolve(step.stack, logs.bucket), "ALB access logs");
  }
  for (const logging of app.resources(step.stack, "aws_s3_bucket_logging")) {
    check(
      logging,
      app.resolve(step.stack, String(logging.config.target_bucket)),
      "S3 server access logs",
    );
  }
  return findings;
}
