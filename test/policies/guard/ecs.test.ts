import { describe, expect, it } from "vitest";
import { check, flagged, stackOf } from "./helpers";

const GOOD_CONTAINER = {
  name: "api",
  image: "repo@sha256:abc",
  user: "1000:1000",
  readonlyRootFilesystem: true,
  logConfiguration: { logDriver: "awslogs", options: {} },
  environment: [{ name: "LOG_LEVEL", value: "info" }],
  secrets: [{ name: "DB_PASSWORD", valueFrom: "${aws_secretsmanager_secret.db.arn}" }],
};

function taskStack(container: Record<string, unknown>, task: Record<string, unknown> = {}) {
  return stackOf({
    aws_ecs_task_definition: {
      t: {
        family: "api",
        network_mode: "awsvpc",
        task_role_arn: "${aws_iam_role.task.arn}",
        execution_role_arn: "${aws_iam_role.exec.arn}",
        container_definitions: JSON.stringify([container]),
        ...task,
      },
    },
  });
}

describe("ECS task definition rules", () => {
  const good = taskStack(GOOD_CONTAINER);
  const RULES = [
    "ECS_CONTAINER_DEFINITIONS_READABLE",
    "ECS_CONTAINER_NOT_PRIVILEGED",
    "ECS_TASK_NO_HOST_NAMESPACES",
    "ECS_CONTAINER_READONLY_ROOT",
    "ECS_CONTAINER_NON_ROOT_USER",
    "ECS_CONTAINER_LOGGING",
    "ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT",
    "ECS_TASK_ROLES_DISTINCT",
    "NO_LITERAL_CREDENTIALS",
  ];
  it.each(RULES)("%s: quiet on a compliant task definition", (rule) => {
    expect(check(rule, good)).toEqual([]);
  });

  it.each([
    ["ECS_CONTAINER_NOT_PRIVILEGED", taskStack({ ...GOOD_CONTAINER, privileged: true })],
    ["ECS_TASK_NO_HOST_NAMESPACES", taskStack(GOOD_CONTAINER, { pid_mode: "host" })],
    ["ECS_TASK_NO_HOST_NAMESPACES", taskStack(GOOD_CONTAINER, { network_mode: "host" })],
    [
      "ECS_CONTAINER_READONLY_ROOT",
      taskStack({ ...GOOD_CONTAINER, readonlyRootFilesystem: false }),
    ],
    ["ECS_CONTAINER_NON_ROOT_USER", taskStack({ ...GOOD_CONTAINER, user: undefined })],
    ["ECS_CONTAINER_NON_ROOT_USER", taskStack({ ...GOOD_CONTAINER, user: "0:0" })],
    ["ECS_CONTAINER_NON_ROOT_USER", taskStack({ ...GOOD_CONTAINER, user: "root" })],
    ["ECS_CONTAINER_LOGGING", taskStack({ ...GOOD_CONTAINER, logConfiguration: undefined })],
    [
      "ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT",
      taskStack({
        ...GOOD_CONTAINER,
        environment: [{ name: "STRIPE_API_KEY", value: "sk_live_x" }],
      }),
    ],
    [
      "ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT",
      taskStack({
        ...GOOD_CONTAINER,
        environment: [{ name: "UPSTREAM", value: "AKIAABCDEFGHIJKLMNOP" }],
      }),
    ],
    [
      "ECS_TASK_ROLES_DISTINCT",
      taskStack(GOOD_CONTAINER, { execution_role_arn: "${aws_iam_role.task.arn}" }),
    ],
    [
      "ECS_CONTAINER_DEFINITIONS_READABLE",
      stackOf({ aws_ecs_task_definition: { t: { container_definitions: "${jsonencode([])}" } } }),
    ],
  ])("%s: fires", (rule, stack) => {
    expect(flagged(rule, stack)).toEqual(["aws_ecs_task_definition.t"]);
  });

  it("says which container and how to fix", () => {
    const [v] = check(
      "ECS_CONTAINER_READONLY_ROOT",
      taskStack({ ...GOOD_CONTAINER, readonlyRootFilesystem: false }),
    );
    expect(v.message).toMatch(/container api .*readonlyRootFilesystem/);
  });
});

describe("ECS service and cluster rules", () => {
  const stack = stackOf({
    aws_ecs_service: {
      good: {
        network_configuration: { assign_public_ip: false, subnets: ["s"] },
        deployment_circuit_breaker: { enable: true, rollback: true },
      },
      bad: {
        network_configuration: { assign_public_ip: true, subnets: ["s"] },
        deployment_circuit_breaker: { enable: true, rollback: false },
      },
      codedeploy: { deployment_controller: { type: "CODE_DEPLOY" } },
    },
    aws_ecs_cluster: {
      good: { setting: [{ name: "containerInsights", value: "enabled" }] },
      bad: { name: "x" },
    },
  });
  it("ECS_SERVICE_NO_PUBLIC_IP", () => {
    expect(flagged("ECS_SERVICE_NO_PUBLIC_IP", stack)).toEqual(["aws_ecs_service.bad"]);
  });
  it("ECS_SERVICE_CIRCUIT_BREAKER (not for CodeDeploy-controlled services)", () => {
    expect(flagged("ECS_SERVICE_CIRCUIT_BREAKER", stack)).toEqual(["aws_ecs_service.bad"]);
  });
  it("ECS_CLUSTER_CONTAINER_INSIGHTS", () => {
    expect(flagged("ECS_CLUSTER_CONTAINER_INSIGHTS", stack)).toEqual(["aws_ecs_cluster.bad"]);
  });
});
