import type { PolicyStatement } from "./document";
import { accountRootArn } from "./document";

/*
 * Key policy statements that let AWS services use a customer managed key. In a key policy,
 * `Resource: "*"` means "this key" (AWS requires "*" there).
 */

/**
 * CloudWatch Logs may encrypt and decrypt log groups of this account and region with the key,
 * optionally only those whose names match `logGroupPattern`.
 */
export function logsKeyStatement(
  region: string,
  accountId: string,
  logGroupPattern = "*",
  sid = "CloudWatchLogsUseKey",
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:${logGroupPattern}`,
      },
    },
  };
}

/**
 * Services that publish to an SNS topic encrypted with the key need to generate data keys and
 * decrypt with it. Each service gets only the condition keys it sends in that KMS request:
 *
 * - CloudWatch alarms send `aws:SourceAccount` / `aws:SourceArn`, so their statement is limited
 *   to this account's alarms (Amazon SNS Developer Guide, "Configure permissions for encrypted
 *   topics ... CloudWatch").
 * - EventBridge does NOT: "aws:SourceArn, aws:SourceAccount, and aws:SourceOrgID condition keys
 *   are not supported in KMS key policies" for delivery to an encrypted topic (EventBridge User
 *   Guide, "Using resource-based policies for Amazon EventBridge", Amazon SNS permissions). With
 *   them the KMS call is denied and events are dropped (FailedInvocations). Its statement names
 *   the action only; the topic policy still limits publishing to this account's rules.
 */
export function topicPublishersKeyStatements(
  accountId: string,
  services: readonly TopicPublisherService[] = ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (services.includes("cloudwatch.amazonaws.com")) {
    statements.push({
      Sid: "CloudWatchAlarmsUseKey",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
  }
  if (services.includes("events.amazonaws.com")) {
    statements.push({
      Sid: "EventBridgeRulesUseKey",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
  }
  return statements;
}

/** AWS services that publish to the platform's encrypted topics. */
export type TopicPublisherService = "cloudwatch.amazonaws.com" | "events.amazonaws.com";

/**
 * Other accounts may decrypt through one AWS service only (e.g. ECR pulls:
 * `ecr.<region>.amazonaws.com`); their own IAM still decides which principals may pull. With
 * `principalArns`, only those principals of the accounts (`aws:PrincipalArn`).
 */
export function crossAccountDecryptViaService(
  accountIds: readonly string[],
  viaService: string,
  principalArns: readonly string[] = [],
): PolicyStatement {
  return {
    Sid: "OtherAccountsDecryptViaService",
    Effect: "Allow",
    Principal: { AWS: accountIds.map(accountRootArn) },
    Action: ["kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": viaService },
      ...(principalArns.length ? { ArnEquals: { "aws:PrincipalArn": [...principalArns] } } : {}),
    },
  };
}
