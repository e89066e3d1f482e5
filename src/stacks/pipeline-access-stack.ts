import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { policyDocument, renderPolicy } from "../policies/document";
import { deployRoleName } from "../pipeline/names";
import {
  artifactReadStatements,
  DESCRIBE_TASK_DEFINITION,
  ecsDeployStatements,
} from "../pipeline/policies";
import type { PipelineOutputs, ServicesOutputs } from "./contracts";
import { EnvironmentStack } from "./environment-stack";
import { toolingTarget } from "./platform-stack";

/**
 * Promotion environments in another account than the pipeline's: each gets a
 * `pipeline-access-<env>` stack. Empty when everything runs in one account.
 */
export function pipelineAccessEnvironments(config: PlatformConfig): string[] {
  const tooling = toolingTarget(config).accountId;
  return config.pipeline.promotion.filter((env) => config.environments[env]?.accountId !== tooling);
}

export interface PipelineAccessStackProps {
  readonly config: PlatformConfig;
  readonly environment: string;
  /** The pipelines' roles, artifact bucket and key (a one-way reference: pipeline -> access). */
  readonly pipeline: PipelineOutputs;
  /** The environment's services (their task and execution roles are passed on deploy). */
  readonly services: ServicesOutputs;
}

/**
 * In an environment's own account: per service, the role the service's pipeline assumes to run
 * its ECS deploy action there. Trusts only that pipeline's role; may only roll that service,
 * pass that service's task and execution roles to ECS tasks, and read (decrypt) the pipeline's
 * artifacts. Named deterministically (pipeline/names.ts) so the pipeline stack can grant it
 * without reading this stack: the dependency runs one way only.
 */
export class PipelineAccessStack extends EnvironmentStack {
  readonly roles: Record<string, IamRole> = {};

  constructor(scope: Construct, id: string, props: PipelineAccessStackProps) {
    super(scope, id, { config: props.config, environment: props.environment });
    const { config, environment } = props;
    const target = this.target;

    for (const service of config.services) {
      const ref = props.services.services[service.name];
      const pipeline = props.pipeline.pipelines[service.name];
      if (!ref || !pipeline) {
        throw new Error(`${id}: no service or pipeline outputs for ${service.name}`);
      }
      const role = new IamRole(this, `${service.name}-deploy`, {
        name: deployRoleName(config, environment, service.name),
        description: `The ${service.name} delivery pipeline deploys it to ${environment}`,
        assumeRolePolicy: renderPolicy(
          policyDocument({
            Effect: "Allow",
            Principal: { AWS: pipeline.roleArn },
            Action: "sts:AssumeRole",
          }),
        ),
        maxSessionDuration: 3600,
      });
      new IamRolePolicy(this, `${service.name}-deploy-policy`, {
        name: "deploy",
        role: role.id,
        policy: renderPolicy(
          policyDocument(
            ...ecsDeployStatements(
              {
                accountId: target.accountId,
                region: target.region,
                clusterName: ref.clusterName,
                serviceName: ref.ecsServiceName,
                taskFamily: ref.taskFamily,
                taskRoleArn: ref.taskRoleArn,
                executionRoleArn: ref.executionRoleArn,
              },
              "Deploy",
            ),
            DESCRIBE_TASK_DEFINITION,
            ...artifactReadStatements(
              props.pipeline.artifactBucketArn,
              props.pipeline.artifactKeyArn,
            ),
          ),
        ),
      });
      this.roles[service.name] = role;
    }
  }
}
