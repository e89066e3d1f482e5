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
 * Services that publish to an SNS topic encrypted with the key (CloudWatch alarms, EventBridge
 * rules) need to generate data keys and decrypt with it; limited to this account's resources.
 */
export function topicPublishersKeyStatement(
  accountId: string,
  services: readonly string[] = ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
): PolicyStatement {
  return {
    Sid: "TopicPublishersUseKey",
    Effect: "Allow",
    Principal: { Service: [...services] },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

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
