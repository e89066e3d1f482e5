import { policyDocument, type PolicyDocument } from "./document";

export interface ServiceTrust {
  readonly sid: string;
  /** The service principal, e.g. `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  readonly accountId: string;
  /** What aws:SourceArn must match (ArnLike): the resource the service acts for. */
  readonly sourceArn: string;
}

/**
 * Trust policy for a role an AWS service assumes on behalf of this account's resources only:
 * aws:SourceAccount and aws:SourceArn block the confused-deputy case where another account's
 * resource makes the service act with the role.
 */
export function serviceTrustPolicy(trust: ServiceTrust): PolicyDocument {
  return policyDocument({
    Sid: trust.sid,
    Effect: "Allow",
    Principal: { Service: trust.service },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": trust.accountId },
      ArnLike: { "aws:SourceArn": trust.sourceArn },
    },
  });
}

/** Trust policy for ECS task and task execution roles: ECS tasks of this account and region. */
export function ecsTasksTrustPolicy(accountId: string, region: string): PolicyDocument {
  return serviceTrustPolicy({
    sid: "EcsTasksOfThisAccount",
    service: "ecs-tasks.amazonaws.com",
    accountId,
    sourceArn: `arn:aws:ecs:${region}:${accountId}:*`,
  });
}
