import { ROLLOUT_TIMINGS } from "../constructs/fargate-service";

/*
 * How long the ECS deploy action waits before it fails a deployment (its DeploymentTimeout).
 *
 * The action waits for the service to reach a steady state on the new task definition. AWS does
 * not document that it stops waiting when the deployment circuit breaker fails the deployment
 * (an open AWS containers roadmap request, #1399, reports it waits for the timeout), so the
 * timeout IS how long a failed deployment takes to fail the pipeline. The ECS circuit breaker
 * (and the service's alarm rollback) has by then already restored the previous task definition;
 * the Deploy stage's on-failure rollback then redeploys the last good artifacts.
 *
 * So the timeout is derived from how long a healthy rollout of these services takes, with room:
 * a task's start (image pull and container start, allowed 3 minutes), the health-check grace,
 * the health checks it must pass, and the old tasks' draining, twice over. With the platform's
 * timings that is 10 minutes, not CodePipeline's default 60.
 */

/** Seconds a new Fargate task may take to pull its image and start. */
export const TASK_START_ALLOWANCE_SECONDS = 180;

export type RolloutTimings = { readonly [K in keyof typeof ROLLOUT_TIMINGS]: number };

/** The derived timeout, in minutes (5-60, the action's range). */
export function derivedDeployTimeoutMinutes(timings: RolloutTimings = ROLLOUT_TIMINGS): number {
  const healthySeconds =
    TASK_START_ALLOWANCE_SECONDS +
    timings.healthCheckGraceSeconds +
    timings.healthyThreshold * timings.healthCheckIntervalSeconds +
    timings.deregistrationDelaySeconds;
  return Math.min(60, Math.max(5, Math.ceil((2 * healthySeconds) / 60)));
}
