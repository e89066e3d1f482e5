import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { ENV_ACCESS_LOG_PREFIXES } from "../model/access-log-names";
import { EmailTopic } from "../constructs/email-topic";
import { AmplifyFrontend } from "../constructs/amplify-frontend";
import { DeploymentEvents } from "../constructs/deployment-events";
import { EnvironmentDashboard, type DashboardService } from "../constructs/environment-dashboard";
import { BlueGreenDeployment } from "../constructs/blue-green-deployment";
import { capacityStrategy } from "../constructs/ecs-cluster";
import { FargateService, type CapacityProviderStrategyItem } from "../constructs/fargate-service";
import { LoadBalancerAlarms } from "../constructs/load-balancer-alarms";
import { SecureBucket } from "../constructs/secure-bucket";
import { ServiceAlarms } from "../constructs/service-alarms";
import { ServiceAutoscaling } from "../constructs/service-autoscaling";
import type {
  EcrOutputs,
  NetworkOutputs,
  SecretsOutputs,
  ServiceRef,
  ServicesOutputs,
} from "./contracts";
import { serviceCapacityStrategy } from "./service-capacity";
import { suppressGuard } from "../policies/guard/suppress";
import { EnvironmentStack } from "./environment-stack";
import { platformModel } from "../model/platform-model";

export interface ServicesStackProps {
  readonly config: PlatformConfig;
  readonly environment: string;
  /** This environment's `network-<env>` outputs. */
  readonly network: NetworkOutputs;
  /** The shared `ecr` outputs. */
  readonly ecr: EcrOutputs;
  /** This environment's `secrets-<env>` outputs (secrets with values, by the runbook). */
  readonly secrets: SecretsOutputs;
}

/** The sensitive variable holding the GitHub token Amplify connects the frontend repo with. */
export const AMPLIFY_TOKEN_VARIABLE = "amplify_github_token";

/**
 * One environment's running services: per service its Fargate service (task definition,
 * roles, logs, security group, target group and host rule, Cloud Map), autoscaling and alarms;
 * per environment the alarm topic, the ALB 5xx alarm, a dashboard, deployment-failure events and
 * the Amplify frontend.
 */
export class ServicesStack extends EnvironmentStack {
  readonly outputs: ServicesOutputs;
  readonly topic: EmailTopic;
  /** By service name. */
  readonly services: Record<string, FargateService> = {};
  readonly alarms: Record<string, ServiceAlarms> = {};
  readonly autoscaling: Record<string, ServiceAutoscaling> = {};
  /** Blue/green services' CodeDeploy side, by service name. */
  readonly blueGreen: Record<string, BlueGreenDeployment> = {};
  readonly frontend?: AmplifyFrontend;
  readonly staticAssets?: SecureBucket;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    const { config, environment, network, ecr } = props;
    super(scope, id, { config, environment });
    const { env, target } = this;
    const { accountId, region } = target;
    const naming = this.naming;
    const hostnames = Object.fromEntries(
      Object.values(this.model.services).map((s) => [s.name, s.hostname]),
    );

    this.topic = new EmailTopic(this, "AlarmTopic", {
      topicName: naming.name("alarms", "snsTopic"),
      accountId,
      kmsKeyArn: network.kmsKeyArn,
      emails: env.alarmEmails ?? config.pipeline.approvers,
      // CloudWatch alarms and EventBridge deployment-failure rules of this account.
      publisherServices: ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    });

    const refs: Record<string, ServiceRef> = {};
    const dashboardServices: DashboardService[] = [];
    const alarmArns: string[] = [];

    const services = Object.values(this.model.services).map((s) => s.effective);
    services.forEach((service) => {
      const repository = ecr.repositories[service.name];
      if (!repository) {
        throw new Error(`${id}: the ecr outputs have no repository for service "${service.name}"`);
      }
      const scope = new Construct(this, service.name);

      const secretArns = props.secrets.secretArns[service.name] ?? {};
      const missing = service.secrets.filter((key) => !secretArns[key]);
      if (missing.length) {
        throw new Error(
          `${id}: the secrets outputs have no ${missing.join(", ")} for ${service.name}`,
        );
      }

      const shared = this.model.services[service.name];
      const names = {
        service: shared.names.ecsService,
        taskFamily: shared.names.taskFamily,
        targetGroup: shared.names.targetGroup,
        securityGroup: naming.name(`${service.name}-tasks`, "securityGroup"),
        logGroup: shared.names.logGroup,
        // Shared with the ecr stack, whose repository policy lets exactly this role pull.
        executionRole: shared.executionRoleName,
        taskRole: shared.names.taskRole,
      };
      const blueGreen = service.deployment === "blue-green";
      if (blueGreen && !network.testListenerArn) {
        throw new Error(`${id}: the network outputs have no test listener for ${service.name}`);
      }
      const blueGreenNames = shared.names.blueGreen;
      // A blue/green service states its strategy: CodeDeploy drops one its AppSpec leaves out.
      const capacity =
        serviceCapacityStrategy(service.architecture, this.model.capacity) ??
        (blueGreen
          ? (capacityStrategy(this.model.capacity) as CapacityProviderStrategyItem[])
          : undefined);
      const fargate = new FargateService(scope, "Service", {
        names,
        placement: {
          accountId,
          region,
          vpcId: network.vpcId,
          vpcCidr: network.vpcCidr,
          privateSubnetIds: network.privateSubnetIds,
          albSecurityGroupId: network.albSecurityGroupId,
          httpsListenerArn: network.httpsListenerArn,
          clusterArn: network.clusterArn,
          namespaceId: network.namespaceId,
        },
        containerName: service.name,
        // The first revision runs the tag the publish workflow pushes (docs/services.md,
        // "First deployment"); afterwards the pipeline deploys digests.
        image: `${repository.url}:${config.pipeline.sourceImageTag}`,
        repositoryArn: repository.arn,
        ecrKmsKeyArn: ecr.kmsKeyArn,
        ecrRegion: platformModel(config).tooling.region,
        cpu: service.cpu,
        memory: service.memory,
        architecture: service.architecture,
        user: service.user,
        containerPort: service.containerPort,
        healthCheckPath: service.healthCheckPath,
        healthCheckCommand: service.healthCheckCommand,
        environment: service.environment,
        secrets: Object.fromEntries(service.secrets.map((key) => [key, secretArns[key]])),
        kmsKeyArn: network.kmsKeyArn,
        logRetentionDays: env.logRetentionDays,
        hostname: hostnames[service.name],
        // From the service's name, not its position: see src/model/listener-priorities.ts.
        listenerRulePriority: this.model.services[service.name].listenerRulePriority,
        desiredCount: service.desiredCount,
        capacityProviderStrategy: capacity,
        blueGreen:
          blueGreenNames && network.testListenerArn
            ? {
                greenTargetGroupName: blueGreenNames.greenTargetGroup,
                testListenerArn: network.testListenerArn,
              }
            : undefined,
        taskRolePolicyArns: service.taskRolePolicyArns,
        ecsExec: env.ecsExec,
        ecsExecLogGroupArn: env.ecsExec ? network.ecsExecLogGroupArn : undefined,
      });
      this.services[service.name] = fargate;
      if (!env.production && service.desiredCount < 2) {
        // Production services run at least two tasks (config validation: minCount >= 2).
        suppressGuard(
          fargate.service,
          "ECS_SERVICE_HIGH_AVAILABILITY",
          `a non-production environment running ${service.desiredCount} task to save cost; production runs at least two across its zones (config rule)`,
        );
      }

      const alarms = new ServiceAlarms(scope, "Alarms", {
        namePrefix: this.model.services[service.name].alarmPrefix,
        clusterName: network.clusterName,
        serviceName: names.service,
        albArnSuffix: network.albArnSuffix,
        targetGroupArnSuffix: fargate.targetGroup.arnSuffix,
        replacementTargetGroupArnSuffix: fargate.greenTargetGroup?.arnSuffix,
        topicArn: this.topic.arn,
      });
      const deploymentAlarms = alarms.deploymentAlarms.map((a) => a.alarmName);
      fargate.rollbackOnAlarms(deploymentAlarms);
      this.alarms[service.name] = alarms;
      let codeDeploy: ServiceRef["codeDeploy"];
      if (blueGreenNames && network.testListenerArn) {
        const codeDeployName = blueGreenNames.codeDeploy;
        const deployment = new BlueGreenDeployment(scope, "BlueGreen", {
          applicationName: codeDeployName,
          deploymentGroupName: codeDeployName,
          roleName: blueGreenNames.codeDeployRole,
          accountId,
          region,
          clusterName: network.clusterName,
          serviceName: names.service,
          albArnSuffix: network.albArnSuffix,
          productionListenerArn: network.httpsListenerArn,
          testListenerArn: network.testListenerArn,
          targetGroupNames: [names.targetGroup, blueGreenNames.greenTargetGroup],
          alarmNames: deploymentAlarms,
          terminationWaitMinutes: service.blueGreen?.terminationWaitMinutes ?? 5,
          taskRoleArn: fargate.taskRole.arn,
          executionRoleArn: fargate.executionRole.arn,
          service: fargate.service,
        });
        this.blueGreen[service.name] = deployment;
        // Plain names, not attributes: the pipeline-access and pipeline stacks read them.
        codeDeploy = { application: codeDeployName, deploymentGroup: codeDeployName };
      }
      alarmArns.push(...alarms.all.map((a) => a.arn));

      this.autoscaling[service.name] = new ServiceAutoscaling(scope, "Autoscaling", {
        clusterName: network.clusterName,
        serviceName: fargate.serviceName,
        minCount: service.minCount,
        maxCount: service.maxCount,
        albArnSuffix: network.albArnSuffix,
        // Blue/green traffic moves between two groups: CPU tracking only (service-autoscaling.ts).
        targetGroupArnSuffix: blueGreen ? undefined : fargate.targetGroup.arnSuffix,
      });

      dashboardServices.push({
        name: service.name,
        serviceName: names.service,
        targetGroupArnSuffix: fargate.targetGroup.arnSuffix,
        replacementTargetGroupArnSuffix: fargate.greenTargetGroup?.arnSuffix,
      });
      refs[service.name] = {
        name: service.name,
        clusterName: network.clusterName,
        ecsServiceName: fargate.serviceName,
        containerName: service.name,
        taskFamily: fargate.taskDefinition.family,
        taskRoleArn: fargate.taskRole.arn,
        executionRoleArn: fargate.executionRole.arn,
        url: `https://${hostnames[service.name]}`,
        ...(codeDeploy && fargate.deploymentTemplate
          ? { codeDeploy, deploymentTemplate: JSON.stringify(fargate.deploymentTemplate) }
          : {}),
      };
    });

    const lbAlarms = new LoadBalancerAlarms(this, "LoadBalancerAlarms", {
      alarmName: naming.name("alb-5xx", "alarm"),
      albArnSuffix: network.albArnSuffix,
      topicArn: this.topic.arn,
    });
    new EnvironmentDashboard(this, "Dashboard", {
      dashboardName: naming.name("services", "dashboard"),
      region,
      clusterName: network.clusterName,
      albArnSuffix: network.albArnSuffix,
      services: dashboardServices,
      alarmArns: [lbAlarms.elb5xx.arn, ...alarmArns],
    });
    new DeploymentEvents(this, "DeploymentEvents", {
      ruleNames: {
        deploymentFailed: naming.name("ecs-deploy-failed", "eventRule"),
        serviceErrors: naming.name("ecs-service-errors", "eventRule"),
      },
      accountId,
      region,
      clusterName: network.clusterName,
      topicArn: this.topic.arn,
    });

    const frontendRepository = config.github.frontendRepository;
    if (env.frontend && config.frontend && frontendRepository) {
      const token = new TerraformVariable(this, AMPLIFY_TOKEN_VARIABLE, {
        type: "string",
        sensitive: true,
        nullable: false,
        description:
          "GitHub token Amplify uses to connect the frontend repository (set TF_VAR_amplify_github_token; never in config)",
      });
      this.frontend = new AmplifyFrontend(this, "Frontend", {
        appName: naming.name("frontend", "amplifyApp"),
        repositoryUrl: `https://github.com/${config.github.owner}/${frontendRepository}`,
        accessToken: token.stringValue,
        branch: env.frontend.branch,
        stage: env.production ? "PRODUCTION" : "DEVELOPMENT",
        framework: config.frontend.framework,
        buildSpec: config.frontend.buildSpec,
        domain: env.dns.domain,
        subdomain: env.frontend.subdomain,
      });
    }
    const buckets = this.model.buckets;
    if (buckets.staticAssets) {
      this.staticAssets = new SecureBucket(this, "StaticAssets", {
        bucketName: buckets.staticAssets,
        kmsKeyArn: network.kmsKeyArn,
        // Into the environment's access-log bucket; the network stack (applied first) grants it.
        accessLogs: {
          bucketName: buckets.accessLogs,
          prefix: ENV_ACCESS_LOG_PREFIXES.staticAssets,
        },
      });
    }

    this.outputs = { environment, services: refs };

    // For operators (`cdktf output`); other stacks use `outputs`. Nothing secret here.
    new TerraformOutput(this, "alarm_topic_arn", { value: this.topic.arn });
    new TerraformOutput(this, "service_urls", {
      value: Object.fromEntries(Object.entries(refs).map(([k, r]) => [k, r.url])),
    });
    if (this.frontend) {
      new TerraformOutput(this, "frontend_url", {
        value: `https://${env.frontend?.subdomain}.${env.dns.domain}`,
      });
    }
  }
}
