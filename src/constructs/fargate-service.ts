import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import {
  environmentPairs,
  httpHealthCheckCommand,
  renderContainerDefinitions,
  type ContainerDefinition,
} from "./container-definition";
import { ExecutionRole } from "./execution-role";
import { terraformLiteral } from "./terraform-literal";
import { TaskRole } from "./task-role";

/** Physical names of the service's resources (from the Naming helper). */
export interface FargateServiceNames {
  readonly service: string;
  readonly taskFamily: string;
  readonly targetGroup: string;
  readonly securityGroup: string;
  readonly logGroup: string;
  readonly executionRole: string;
  readonly taskRole: string;
}

/** Where the service runs: one environment's network, load balancer, cluster and namespace. */
export interface FargateServicePlacement {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: readonly string[];
  readonly albSecurityGroupId: string;
  readonly httpsListenerArn: string;
  readonly clusterArn: string;
  /** Cloud Map namespace the service registers in. */
  readonly namespaceId: string;
}

export interface FargateServiceProps {
  readonly names: FargateServiceNames;
  readonly placement: FargateServicePlacement;
  /** Container name; the pipeline's imagedefinitions.json names it. */
  readonly containerName: string;
  /** Full image reference for the first task definition revision, e.g. `<repo-url>:release`. */
  readonly image: string;
  readonly repositoryArn: string;
  readonly ecrKmsKeyArn: string;
  /** Region of the ECR repository. */
  readonly ecrRegion: string;
  /** Fargate CPU units and memory (MiB); must be a valid Fargate pair (config validation checks). */
  readonly cpu: number;
  readonly memory: number;
  /** @default "X86_64" */
  readonly architecture?: "X86_64" | "ARM64";
  /** Numeric `uid[:gid]` the container runs as. */
  readonly user: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** Shell command for the container health check. @default - curl of the health path on localhost */
  readonly healthCheckCommand?: string;
  /** Plain environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secret name (environment variable) -> Secrets Manager secret ARN. @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Key for the log group and the secrets. */
  readonly kmsKeyArn: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** The host name the listener rule routes to this service. */
  readonly hostname: string;
  /** Listener rule priority; unique per listener. */
  readonly listenerRulePriority: number;
  /** Desired count at creation; autoscaling owns it afterwards. */
  readonly desiredCount: number;
  /** Seconds ALB health checks are ignored after a task starts. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default [] */
  readonly taskRolePolicyArns?: readonly string[];
  /**
   * The service's own capacity provider strategy, set at creation.
   * @default - the cluster's default strategy
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** `aws ecs execute-command` into the tasks. @default false */
  readonly ecsExec?: boolean;
  /** The cluster's ECS Exec session log group (encrypted with kmsKeyArn). @default - none */
  readonly ecsExecLogGroupArn?: string;
  /**
   * Blue/green through CodeDeploy instead of ECS rolling updates: a second (green) target group
   * behind the test listener, and the CODE_DEPLOY deployment controller. Needs an explicit
   * `capacityProviderStrategy` (CodeDeploy drops a strategy its AppSpec does not repeat).
   * @default - rolling
   */
  readonly blueGreen?: BlueGreenPlacement;
}

export interface BlueGreenPlacement {
  readonly greenTargetGroupName: string;
  /** The ALB's test listener: the green target group's host rule lives there. */
  readonly testListenerArn: string;
}

/**
 * What a blue/green release registers and deploys, less the image: the task definition
 * (RegisterTaskDefinition input, the container's image still Terraform's) and the AppSpec. The
 * pipeline's build pins the image to the release digest (src/pipeline/blue-green-render.ts).
 */
export interface DeploymentTemplate {
  readonly containerName: string;
  readonly taskDefinition: Record<string, unknown> & {
    readonly containerDefinitions: readonly ContainerDefinition[];
  };
  readonly appSpec: Record<string, unknown>;
}

export interface CapacityProviderStrategyItem {
  readonly capacityProvider: "FARGATE" | "FARGATE_SPOT";
  readonly base: number;
  readonly weight: number;
}

const SCRATCH_VOLUME = "tmp";

/** Tag of the listener rules a blue/green service's CodeDeploy role may rewrite: its ECS service. */
export const BLUE_GREEN_RULE_TAG = "BlueGreenService";

/**
 * How a rolling deployment becomes healthy: the target group's health check and draining, and
 * the grace ECS gives a new task. The pipeline derives its deploy timeout from these
 * (src/pipeline/deploy-timeout.ts), so a failed deployment surfaces in proportion to them.
 */
export const ROLLOUT_TIMINGS = {
  /** ECS ignores failing load balancer health checks this long after a task starts. */
  healthCheckGraceSeconds: 60,
  healthCheckIntervalSeconds: 15,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  /** An old task drains this long after it leaves the target group. */
  deregistrationDelaySeconds: 30,
} as const;

/**
 * One web service on Fargate behind the environment's ALB: task definition, execution and task
 * roles, log group, security group, target group with a host-header listener rule, Cloud Map
 * registration and the ECS service with circuit-breaker rollback.
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: ExecutionRole;
  readonly taskRole: TaskRole;
  /** Cloud Map registration; none for blue/green services (see below). */
  readonly discovery?: ServiceDiscoveryService;
  readonly listenerRule: LbListenerRule;
  /** Blue/green: the replacement task sets' target group and its rule on the test listener. */
  readonly greenTargetGroup?: LbTargetGroup;
  readonly testListenerRule?: LbListenerRule;
  /** Blue/green: what the pipeline deploys (see DeploymentTemplate). */
  readonly deploymentTemplate?: DeploymentTemplate;
  /** The container definitions as data (what the task definition renders). */
  readonly containerDefinitions: readonly ContainerDefinition[];

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const { names, placement } = props;
    const secrets = props.secrets ?? {};

    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays ?? 30,
      kmsKeyId: props.kmsKeyArn,
    });

    this.executionRole = new ExecutionRole(this, "ExecutionRole", {
      roleName: names.executionRole,
      accountId: placement.accountId,
      region: placement.region,
      repositoryArn: props.repositoryArn,
      ecrKmsKeyArn: props.ecrKmsKeyArn,
      ecrRegion: props.ecrRegion,
      logGroupArn: this.logGroup.arn,
      secretArns: Object.keys(secrets)
        .sort()
        .map((name) => secrets[name]),
      secretsKmsKeyArn: props.kmsKeyArn,
    });
    this.taskRole = new TaskRole(this, "TaskRole", {
      roleName: names.taskRole,
      accountId: placement.accountId,
      region: placement.region,
      managedPolicyArns: props.taskRolePolicyArns,
      ecsExec: props.ecsExec,
      ecsExecLogging: props.ecsExecLogGroupArn
        ? { logGroupArn: props.ecsExecLogGroupArn, kmsKeyArn: props.kmsKeyArn }
        : undefined,
    });

    const container: ContainerDefinition = {
      name: props.containerName,
      image: props.image,
      essential: true,
      user: props.user,
      readonlyRootFilesystem: true,
      portMappings: [
        {
          name: "http",
          containerPort: props.containerPort,
          hostPort: props.containerPort,
          protocol: "tcp",
          appProtocol: "http",
        },
      ],
      environment: environmentPairs(props.environment ?? {}),
      secrets: Object.keys(secrets)
        .sort()
        .map((name) => ({ name, valueFrom: secrets[name] })),
      // The root filesystem is read-only; /tmp is the one writable place (task ephemeral storage).
      mountPoints: [{ sourceVolume: SCRATCH_VOLUME, containerPath: "/tmp", readOnly: false }],
      healthCheck: {
        command: [
          "CMD-SHELL",
          terraformLiteral(
            props.healthCheckCommand ??
              httpHealthCheckCommand(props.containerPort, props.healthCheckPath),
          ),
        ],
        interval: 30,
        timeout: 5,
        retries: 3,
        startPeriod: 60,
      },
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": names.logGroup,
          "awslogs-region": placement.region,
          "awslogs-stream-prefix": props.containerName,
          // A full log buffer must not block the application (it drops logs instead).
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
      // An init process reaps zombies and is what ECS Exec's agent expects as PID 1's parent.
      linuxParameters: { initProcessEnabled: true },
      stopTimeout: 30,
    };
    this.containerDefinitions = [container];

    const taskSettings = {
      family: names.taskFamily,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: {
        operatingSystemFamily: "LINUX",
        cpuArchitecture: props.architecture ?? "X86_64",
      },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
    };
    this.taskDefinition = new EcsTaskDefinition(this, "TaskDefinition", {
      ...taskSettings,
      containerDefinitions: renderContainerDefinitions(this.containerDefinitions),
      volume: [{ name: SCRATCH_VOLUME }],
      // Keep replaced revisions registered: the service may still run one (the pipeline owns
      // which revision runs) and the circuit breaker rolls back to the previous one.
      skipDestroy: true,
    });

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: names.securityGroup,
      description: `Tasks of ${props.containerName}: only the ALB reaches the container port`,
      vpcId: placement.vpcId,
      // No inline rules: they are separate resources below (Terraform also removes the default
      // allow-all egress rule AWS adds to a new group).
    });
    new VpcSecurityGroupIngressRule(this, "FromAlb", {
      securityGroupId: this.securityGroup.id,
      description: "HTTP from the environment's ALB only",
      ipProtocol: "tcp",
      fromPort: props.containerPort,
      toPort: props.containerPort,
      referencedSecurityGroupId: placement.albSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "HttpsOut", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to AWS APIs (ECR, Secrets Manager, Logs) and external services",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this, "VpcOut", {
      securityGroupId: this.securityGroup.id,
      description: "Other services and data stores inside the VPC (Cloud Map names resolve here)",
      ipProtocol: "-1",
      cidrIpv4: placement.vpcCidr,
    });

    const blueGreen = props.blueGreen;
    if (blueGreen && !props.capacityProviderStrategy) {
      throw new Error(
        `${this.node.path}: a blue/green service needs its capacity provider strategy`,
      );
    }
    const targetGroupSettings = {
      targetType: "ip",
      protocol: "HTTP",
      port: props.containerPort,
      vpcId: placement.vpcId,
      deregistrationDelay: String(ROLLOUT_TIMINGS.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        protocol: "HTTP",
        port: "traffic-port",
        matcher: "200-399",
        interval: ROLLOUT_TIMINGS.healthCheckIntervalSeconds,
        timeout: 5,
        healthyThreshold: ROLLOUT_TIMINGS.healthyThreshold,
        unhealthyThreshold: ROLLOUT_TIMINGS.unhealthyThreshold,
      },
      // A change that replaces the target group (its port, for one) must create the new one and
      // move the listener rule and service to it before deleting the old one, which AWS refuses
      // to delete while a rule forwards to it. The name carries the port, so the two can coexist.
      lifecycle: { createBeforeDestroy: true },
    };
    this.targetGroup = new LbTargetGroup(this, "TargetGroup", {
      name: names.targetGroup,
      ...targetGroupSettings,
    });
    // Blue/green: CodeDeploy rewrites the forward action of every rule that points at either
    // target group (to a weighted pair) when it moves traffic, so Terraform owns the rules'
    // existence, host and priority, and CodeDeploy owns where they forward.
    const codeDeployOwnsAction = blueGreen
      ? {
          lifecycle: { ignoreChanges: ["action"] },
          // CodeDeploy's role may rewrite only rules carrying this tag (blue-green-deployment.ts).
          tags: { [BLUE_GREEN_RULE_TAG]: names.service },
        }
      : {};
    this.listenerRule = new LbListenerRule(this, "ListenerRule", {
      listenerArn: placement.httpsListenerArn,
      priority: props.listenerRulePriority,
      condition: [{ hostHeader: { values: [props.hostname] } }],
      action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      ...codeDeployOwnsAction,
    });
    if (blueGreen) {
      this.greenTargetGroup = new LbTargetGroup(this, "GreenTargetGroup", {
        name: blueGreen.greenTargetGroupName,
        ...targetGroupSettings,
      });
      // The replacement task set registers in the green group, which must belong to the
      // service's load balancer before the first deployment: its rule on the test listener.
      this.testListenerRule = new LbListenerRule(this, "TestListenerRule", {
        listenerArn: blueGreen.testListenerArn,
        priority: props.listenerRulePriority,
        condition: [{ hostHeader: { values: [props.hostname] } }],
        action: [{ type: "forward", targetGroupArn: this.greenTargetGroup.arn }],
        ...codeDeployOwnsAction,
      });
    }

    // Blue/green services get no Cloud Map name: it would list the tasks of both task sets, so
    // internal callers would reach a release before its traffic moves (and after a rollback);
    // they reach blue/green services through the ALB host, which follows the deployment.
    this.discovery = blueGreen
      ? undefined
      : new ServiceDiscoveryService(this, "Discovery", {
          name: props.containerName,
          description: `${props.containerName} tasks (A records of task IPs)`,
          dnsConfig: {
            namespaceId: placement.namespaceId,
            routingPolicy: "MULTIVALUE",
            dnsRecords: [{ type: "A", ttl: 10 }],
          },
          // ECS reports task health to Cloud Map itself.
          healthCheckCustomConfig: { failureThreshold: 1 },
        });

    this.service = new EcsService(this, "Resource", {
      name: names.service,
      cluster: placement.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      // No launch_type. Without a strategy the service uses the cluster's default (FARGATE /
      // FARGATE_SPOT weights per environment); a service that must not run on Spot (ARM64 tasks:
      // Fargate Spot supports only X86_64) passes its own.
      ...(props.capacityProviderStrategy
        ? { capacityProviderStrategy: props.capacityProviderStrategy.map((s) => ({ ...s })) }
        : {}),
      networkConfiguration: {
        // Fargate spreads tasks across the AZs of these subnets (one private subnet per AZ).
        subnets: [...placement.privateSubnetIds],
        securityGroups: [this.securityGroup.id],
        assignPublicIp: false,
      },
      // Moves tasks back when one AZ ends up with more than its share (e.g. after an AZ outage).
      // ECS supports it with its own deployment controller only.
      availabilityZoneRebalancing: blueGreen ? "DISABLED" : "ENABLED",
      ...(blueGreen ? { deploymentController: { type: "CODE_DEPLOY" } } : {}),
      loadBalancer: [
        {
          targetGroupArn: this.targetGroup.arn,
          containerName: props.containerName,
          containerPort: props.containerPort,
        },
      ],
      healthCheckGracePeriodSeconds:
        props.healthCheckGracePeriodSeconds ?? ROLLOUT_TIMINGS.healthCheckGraceSeconds,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      // The circuit breaker works with ECS rolling updates only; CodeDeploy rolls back blue/green.
      ...(blueGreen ? {} : { deploymentCircuitBreaker: { enable: true, rollback: true } }),
      ...(this.discovery ? { serviceRegistries: { registryArn: this.discovery.arn } } : {}),
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: props.ecsExec ?? false,
      lifecycle: {
        ignoreChanges: [
          // The pipeline owns the running image: each release registers a new revision and
          // points the service at it. Terraform must not roll the service back to its own.
          "task_definition",
          // Application Auto Scaling owns the count between min and max.
          "desired_count",
          // A service that inherits the cluster's default strategy gets it reported back by AWS;
          // without this every plan would try to remove it (hashicorp/terraform-provider-aws#22823).
          // An explicit strategy is set when the service is created.
          "capacity_provider_strategy",
          // Blue/green: the running task set's target group and network settings change only
          // through a CodeDeploy deployment (UpdateService refuses them on CODE_DEPLOY services).
          // ECS Exec can only be switched when a service is created (in config, say so).
          ...(blueGreen
            ? ["load_balancer", "network_configuration", "enable_execute_command"]
            : []),
        ],
      },
      // Creating the service starts its first tasks, so everything they need must exist first:
      // the target group attached to the ALB through the rule (CreateService fails with "target
      // group does not have an associated load balancer" otherwise); the log group the container
      // logs to by name (awslogs fails the task with ResourceInitializationError without it); the
      // execution role's permissions (image pull, secrets, logs), which the task definition does
      // not reference.
      dependsOn: [
        this.listenerRule,
        ...(this.testListenerRule ? [this.testListenerRule] : []),
        this.logGroup,
        this.executionRole.policy,
      ],
    });

    if (blueGreen) {
      this.deploymentTemplate = {
        containerName: props.containerName,
        taskDefinition: {
          ...taskSettings,
          containerDefinitions: this.containerDefinitions,
          volumes: [{ name: SCRATCH_VOLUME }],
        },
        // AppSpec "resources" section for ECS (CodeDeploy User Guide). The capacity strategy is
        // repeated because CodeDeploy removes one the AppSpec leaves out; the network settings
        // are, so that a change Terraform makes to them (UpdateService refuses it on a
        // CODE_DEPLOY service) reaches the tasks with the next release.
        appSpec: {
          // "0.0" as AppSpec writes it: JSON has no 0.0, so the render writes the number into
          // appspec.yaml itself (blue-green-render.ts).
          version: "0.0",
          Resources: [
            {
              TargetService: {
                Type: "AWS::ECS::Service",
                Properties: {
                  TaskDefinition: "<TASK_DEFINITION>",
                  LoadBalancerInfo: {
                    ContainerName: props.containerName,
                    ContainerPort: props.containerPort,
                  },
                  NetworkConfiguration: {
                    AwsvpcConfiguration: {
                      Subnets: [...placement.privateSubnetIds],
                      SecurityGroups: [this.securityGroup.id],
                      AssignPublicIp: "DISABLED",
                    },
                  },
                  CapacityProviderStrategy: (props.capacityProviderStrategy ?? []).map((c) => ({
                    CapacityProvider: c.capacityProvider,
                    Base: c.base,
                    Weight: c.weight,
                  })),
                },
              },
            },
          ],
        },
      };
    }
  }

  /**
   * Roll a deployment back when one of these alarms fires during it (in addition to the
   * circuit breaker, which only sees tasks that fail to start or fail health checks).
   */
  rollbackOnAlarms(alarmNames: readonly string[]): void {
    // Deployment alarms work with the ECS deployment controller only; CodeDeploy watches them
    // for blue/green services (its deployment group).
    if (this.greenTargetGroup) return;
    this.service.putAlarms({ alarmNames: [...alarmNames], enable: true, rollback: true });
  }

  get serviceName(): string {
    return this.service.name;
  }
}
