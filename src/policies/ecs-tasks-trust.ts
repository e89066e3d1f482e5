import { policyDocument, type PolicyDocument } from "./document";

/**
 * Trust policy for ECS task and task execution roles: only ECS tasks of this account (and, with
 * the source ARN condition, of this region's ECS) may assume the role, which blocks the
 * confused-deputy case where another account's ECS is made to act with it.
 */
export function ecsTasksTrustPolicy(accountId: string, region: string): PolicyDocument {
  return policyDocument({
    Sid: "EcsTasksOfThisAccount",
    Effect: "Allow",
    Principal: { Service: "ecs-tasks.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": `arn:aws:ecs:${region}:${accountId}:*` },
    },
  });
}
