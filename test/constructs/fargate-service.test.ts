import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { FargateService, type FargateServiceProps } from "../../src/constructs/fargate-service";
import type { PolicyDocument } from "../../src/policies/document";
import { resourcesOf, type StackJson } from "../helpers/synth";

const ACCOUNT = "111111111111";
const ENV_KEY = "arn:aws:kms:eu-west-1:111111111111:key/env";
const ECR_KEY = "arn:aws:kms:eu-west-1:999999999999:key/ecr";
const REPO_ARN = "arn:aws:ecr:eu-west-1:999999999999:repository/shop/api";
const SECRET_DB = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:shop/staging/api/DB-abc";
const SECRET_KEY = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:shop/staging/api/KEY-def";

function props(over: Partial<FargateServiceProps> = {}): FargateServiceProps {
  return {
    names: {
      service: "shop-staging-api",
      taskFamily: "shop-staging-api",
      targetGroup: "shop-staging-api",
      securityGroup: "shop-staging-api-tasks",
      logGroup: "/ecs/shop/staging/api",
      executionRole: "shop-staging-api-execution",
      taskRole: "shop-staging-api-task",
    },
    placement: {
      accountId: ACCOUNT,
      region: "eu-west-1",
      vpcId: "vpc-0123",
      vpcCidr: "10.10.0.0/16",
      privateSubnetIds: ["subnet-a", "subnet-b"],
      albSecurityGroupId: "sg-alb",
      httpsListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/x/1/2",
      clusterArn: "arn:aws:ecs:eu-west-1:111111111111:cluster/shop-staging-cluster",
      namespaceId: "ns-0123",
    },
    containerName: "api",
    image: "999999999999.dkr.ecr.eu-west-1.amazonaws.com/shop/api:release",
    repositoryArn: REPO_ARN,
    ecrKmsKeyArn: ECR_KEY,
    ecrRegion: "eu-west-1",
    cpu: 512,
    memory: 1024,
    architecture: "ARM64",
    user: "1000:1000",
    containerPort: 8080,
    healthCheckPath: "/health",
    environment: { LOG_LEVEL: "info", A_FIRST: "1" },
    secrets: { DATABASE_URL: SECRET_DB, API_KEY: SECRET_KEY },
    kmsKeyArn: ENV_KEY,
    logRetentionDays: 14,
    hostname: "api.staging.example.com",
    listenerRulePriority: 1000,
    desiredCount: 2,
    ...over,
  };
}

function synth(over: Partial<FargateServiceProps> = {}): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new FargateService(scope, "Service", props(over));
  });
  return { text, json: JSON.parse(text) as StackJson };
}

function only<T = Record<string, unknown>>(json: StackJson, type: string): T {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0] as T;
}

function containers(json: StackJson): Record<string, unknown>[] {
  const td = only<{ container_definitions: string }>(json, "aws_ecs_task_definition");
  return JSON.parse(td.container_definitions) as Record<string, unknown>[];
}

function rolePolicies(json: StackJson): Record<string, PolicyDocument> {
  return Object.fromEntries(
    Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p) => [
      String(p.name),
      JSON.parse(String(p.policy)) as PolicyDocument,
    ]),
  );
}

describe("FargateService task definition", () => {
  it("is an awsvpc Fargate task with the configured size and CPU architecture", () => {
    expect(synth().text).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: "shop-staging-api",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      cpu: "512",
      memory: "1024",
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "ARM64" },
      volume: [{ name: "tmp" }],
      skip_destroy: true,
    });
  });

  it("runs the container as the configured user on a read-only root with a writable /tmp", () => {
    const [container] = containers(synth().json);
    expect(container).toMatchObject({
      name: "api",
      image: "999999999999.dkr.ecr.eu-west-1.amazonaws.com/shop/api:release",
      essential: true,
      user: "1000:1000",
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      portMappings: [expect.objectContaining({ containerPort: 8080, protocol: "tcp" })],
    });
  });

  it("checks health with curl against the health path by default, or a configured command", () => {
    const [byDefault] = containers(synth().json);
    expect(byDefault.healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -fsS -o /dev/null 'http://localhost:8080/health' || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    const [custom] = containers(synth({ healthCheckCommand: "/app/healthcheck" }).json);
    expect((custom.healthCheck as { command: string[] }).command).toEqual([
      "CMD-SHELL",
      "/app/healthcheck",
    ]);
  });

  it("logs with awslogs to its own KMS-encrypted log group with retention", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/ecs/shop/staging/api",
      retention_in_days: 14,
      kms_key_id: ENV_KEY,
    });
    const [container] = containers(json);
    expect(container.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: expect.objectContaining({
        "awslogs-group": "/ecs/shop/staging/api",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "api",
      }),
    });
  });

  it("injects secrets by ARN and never puts them in the plain environment", () => {
    const [container] = containers(synth().json);
    expect(container.secrets).toEqual([
      { name: "API_KEY", valueFrom: SECRET_KEY },
      { name: "DATABASE_URL", valueFrom: SECRET_DB },
    ]);
    expect(container.environment).toEqual([
      { name: "A_FIRST", value: "1" },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    const envNames = (container.environment as { name: string }[]).map((e) => e.name);
    expect(envNames).not.toContain("DATABASE_URL");
    expect(JSON.stringify(container.environment)).not.toContain("secretsmanager");
  });
});

describe("FargateService roles", () => {
  it("both roles trust only ECS tasks of this account", () => {
    const roles = Object.values(resourcesOf(synth().json, "aws_iam_role"));
    expect(roles.map((r) => r.name).sort()).toEqual([
      "shop-staging-api-execution",
      "shop-staging-api-task",
    ]);
    for (const role of roles) {
      expect(JSON.parse(String(role.assume_role_policy))).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EcsTasksOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT },
              ArnLike: { "aws:SourceArn": `arn:aws:ecs:eu-west-1:${ACCOUNT}:*` },
            },
          },
        ],
      });
    }
  });

  it("the execution role pulls only its repository, reads only its secrets, writes only its logs", () => {
    const { json } = synth();
    const logGroup = Object.keys(resourcesOf(json, "aws_cloudwatch_log_group"))[0];
    expect(rolePolicies(json).execution.Statement).toEqual([
      { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullOwnImage",
        Effect: "Allow",
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
        ],
        Resource: REPO_ARN,
      },
      {
        Sid: "DecryptImageThroughEcr",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: ECR_KEY,
        Condition: { StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `\${aws_cloudwatch_log_group.${logGroup}.arn}:*`,
      },
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [SECRET_KEY, SECRET_DB],
      },
      {
        Sid: "DecryptSecretsThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: ENV_KEY,
        Condition: {
          StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
        },
      },
    ]);
  });

  it("a service without secrets gets no Secrets Manager permission at all", () => {
    const statements = rolePolicies(synth({ secrets: {} }).json).execution.Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "EcrLogin",
      "PullOwnImage",
      "DecryptImageThroughEcr",
      "WriteOwnLogs",
    ]);
  });

  it("the task role is empty by default", () => {
    const { text, json } = synth();
    expect(rolePolicies(json)["ecs-exec"]).toBeUndefined();
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy"))).toHaveLength(1);
    expect(text).not.toHaveResource(IamRolePolicyAttachment);
  });

  it("the task role gets the configured managed policies and, with ECS Exec, the SSM channels", () => {
    const { text, json } = synth({
      ecsExec: true,
      taskRolePolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
    });
    expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
      role: expect.stringMatching(/aws_iam_role\.Service_TaskRole_.*\.name/),
    });
    expect(rolePolicies(json)["ecs-exec"].Statement).toEqual([
      {
        Sid: "EcsExecSessionChannels",
        Effect: "Allow",
        Action: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        Resource: "*",
      },
    ]);
    expect(text).toHaveResourceWithProperties(EcsService, { enable_execute_command: true });
    expect(text).toHaveResourceWithProperties(IamRole, { name: "shop-staging-api-task" });
  });

  it("with ECS Exec session logging, the task role may write that log group and use its key", () => {
    const logGroup = "arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/exec";
    const { json } = synth({ ecsExec: true, ecsExecLogGroupArn: logGroup });
    const statements = rolePolicies(json)["ecs-exec"].Statement;
    expect(statements).toContainEqual({
      Sid: "EcsExecSessionLog",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: `${logGroup}:*`,
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: "EcsExecSessionKey",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      }),
    );
  });
});

describe("FargateService networking and load balancing", () => {
  it("runs in the private subnets without a public IP, accepting only the ALB on its port", () => {
    const { text } = synth();
    expect(text).toHaveResourceWithProperties(EcsService, {
      network_configuration: {
        subnets: ["subnet-a", "subnet-b"],
        security_groups: [expect.stringMatching(/aws_security_group\..*\.id/)],
        assign_public_ip: false,
      },
    });
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      referenced_security_group_id: "sg-alb",
    });
    const json = JSON.parse(text) as StackJson;
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toHaveLength(1);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "0.0.0.0/0",
    });
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      ip_protocol: "-1",
      cidr_ipv4: "10.10.0.0/16",
    });
  });

  it("registers ip targets checked on the health path, routed by host header", () => {
    const { text } = synth();
    expect(text).toHaveResourceWithProperties(LbTargetGroup, {
      name: "shop-staging-api",
      target_type: "ip",
      port: 8080,
      protocol: "HTTP",
      deregistration_delay: "30",
      health_check: expect.objectContaining({ path: "/health", matcher: "200-399" }),
    });
    expect(text).toHaveResourceWithProperties(LbListenerRule, {
      listener_arn: props().placement.httpsListenerArn,
      priority: 1000,
      condition: [{ host_header: { values: ["api.staging.example.com"] } }],
      action: [
        { type: "forward", target_group_arn: expect.stringMatching(/aws_lb_target_group\./) },
      ],
    });
  });

  it("registers A records in the Cloud Map namespace", () => {
    expect(synth().text).toHaveResourceWithProperties(ServiceDiscoveryService, {
      name: "api",
      dns_config: {
        namespace_id: "ns-0123",
        routing_policy: "MULTIVALUE",
        dns_records: [{ type: "A", ttl: 10 }],
      },
    });
  });
});

describe("FargateService ECS service", () => {
  it("rolls back failed deployments and leaves image and count to the pipeline and autoscaling", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(EcsService, {
      name: "shop-staging-api",
      cluster: props().placement.clusterArn,
      desired_count: 2,
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      health_check_grace_period_seconds: 60,
      propagate_tags: "SERVICE",
      enable_execute_command: false,
      load_balancer: [expect.objectContaining({ container_name: "api", container_port: 8080 })],
      service_registries: {
        registry_arn: expect.stringMatching(/aws_service_discovery_service\..*\.arn/),
      },
    });
    const service = only<Record<string, unknown>>(json, "aws_ecs_service");
    expect((service.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(
      expect.arrayContaining(["task_definition", "desired_count"]),
    );
    // The cluster's default capacity provider strategy applies.
    expect(service.launch_type).toBeUndefined();
    expect(service.capacity_provider_strategy).toBeUndefined();
  });

  it("adds alarm-based rollback when given alarms", () => {
    const text = Testing.synthScope((scope) => {
      new FargateService(scope, "Service", props()).rollbackOnAlarms(["a-5xx", "a-unhealthy"]);
    });
    expect(text).toHaveResourceWithProperties(EcsService, {
      alarms: { alarm_names: ["a-5xx", "a-unhealthy"], enable: true, rollback: true },
    });
  });
});
