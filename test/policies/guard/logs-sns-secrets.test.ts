import { describe, expect, it } from "vitest";
import { flagged, stackOf } from "./helpers";

describe("CloudWatch Logs, SNS and Secrets Manager rules", () => {
  const stack = stackOf({
    aws_cloudwatch_log_group: {
      good: { name: "/ecs/a", retention_in_days: 30, kms_key_id: "${aws_kms_key.k.arn}" },
      bad: { name: "/ecs/b" },
    },
    aws_sns_topic: {
      good: { name: "a", kms_master_key_id: "${aws_kms_key.k.arn}" },
      bad: { name: "b" },
    },
    aws_secretsmanager_secret: {
      good: { name: "a", kms_key_id: "${aws_kms_key.k.arn}", lifecycle: { prevent_destroy: true } },
      bad: { name: "b", recovery_window_in_days: 0 },
    },
    aws_secretsmanager_secret_version: {
      literal: { secret_id: "${aws_secretsmanager_secret.good.id}", secret_string: "hunter2" },
      variable: {
        secret_id: "${aws_secretsmanager_secret.good.id}",
        secret_string: "${var.db_password}",
      },
    },
  });
  it.each([
    ["LOGS_RETENTION", ["aws_cloudwatch_log_group.bad"]],
    ["LOGS_KMS", ["aws_cloudwatch_log_group.bad"]],
    ["SNS_TOPIC_KMS", ["aws_sns_topic.bad"]],
    ["SECRETS_KMS", ["aws_secretsmanager_secret.bad"]],
    ["SECRETS_NO_LITERAL_VALUE", ["aws_secretsmanager_secret_version.literal"]],
    ["STATEFUL_PREVENT_DESTROY", ["aws_secretsmanager_secret.bad"]],
    ["STATEFUL_DELETION_PROTECTION", ["aws_secretsmanager_secret.bad"]],
  ])("%s flags only the non-compliant resource", (rule, expected) => {
    expect(flagged(rule, stack)).toEqual(expected);
  });
});

describe("stateful data stores", () => {
  it("STATEFUL_DELETION_PROTECTION covers databases and tables", () => {
    const stack = stackOf({
      aws_db_instance: { good: { deletion_protection: true }, bad: {} },
      aws_dynamodb_table: { good: { deletion_protection_enabled: true }, bad: {} },
    });
    expect(flagged("STATEFUL_DELETION_PROTECTION", stack)).toEqual([
      "aws_db_instance.bad",
      "aws_dynamodb_table.bad",
    ]);
  });
});
