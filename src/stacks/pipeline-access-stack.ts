import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { accountRootArn, policyDocument, renderPolicy } from "../policies/document";
import { artifactBucketName, pipelineKeyAlias } from "../model/pipeline-resource-names";
import {
  alarmReadStatement,
  artifactReadStatements,
  DESCRIBE_TASK_DEFINITION,
  ecsDeployStatements,
} from "../pipeline/policies";
import { serviceAlarmName } from "../model/service-alarm-names";
import type { ServicesOutputs } from "./contracts";
import { EnvironmentStack } from "./environment-stack";
import { roleArn } from "../config/naming";
import { platformModel } from "../model/platform-model";

export interface PipelineAccessStackProps {
  readonly config: PlatformConfig;
  readonly environment: string;
  /** The environment's services (their task and execution roles are passed on deploy). */
  readonly services: ServicesOutputs;
}

/**
 * In an environment's own account: per service, the role the service's pipeline assumes to run
 * its ECS deploy action there. It may only roll that service, pass that service's task and
 * execution roles to ECS tasks, and read (decrypt) the pipeline's artifacts.
 *
 * Applied BEFORE the `pipeline` stack: CreatePipeline and UpdatePipeline check that the pipeline
 * role can assume every action role, so each deploy role must exist before the pipeline names
 * it (and before a new service's pipeline is added). So this stack reads nothing from `pipeline`:
 * the trust names the tooling account as principal and pins the pipeline role with
 * `aws:PrincipalArn` (a condition value need not exist yet, unlike a principal, which IAM
 * validates when the policy is set), and the artifact bucket and key are named in advance.
 */
export class PipelineAccessStack extends EnvironmentStack {
  readonly roles: Record<string, IamRole> = {};

  constructor(scope: Construct, id: string, props: PipelineAccessStackProps) {
    super(scope, id, { config: props.config, environment: props.environment });
    const { config, environment } = props;
    const target = this.target;
    const platform = platformModel(config);
    const tooling = platform.tooling;
    const artifacts = {
      bucketArn: `arn:aws:s3:::${artifactBucketName(config, tooling.accountId)}`,
      keyAccountId: tooling.accountId,
      keyRegion: tooling.region,
      keyAlias: pipelineKeyAlias(config),
    };

    for (const service of config.services) {
      const ref = props.services.services[service.name];
      if (!ref) throw new Error(`${id}: no services outputs for ${service.name}`);
      const pipelineRole = roleArn(tooling.accountId, platform.pipelines[service.name].roleName);
      const deployRole = this.model.services[service.name].deployRole;
      if (!deployRole) throw new Error(`${id}: ${environment} is in the pipeline's own account`);
      const role = new IamRole(this, `${service.name}-deploy`, {
        name: deployRole.name,
        description: `The ${service.name} delivery pipeline deploys it to ${environment}`,
        assumeRolePolicy: renderPolicy(
          policyDocument({
            Sid: "ServicePipelineRole",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(tooling.accountId) },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": pipelineRole } },
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
                codeDeploy: ref.codeDeploy,
              },
              "Deploy",
            ),
            DESCRIBE_TASK_DEFINITION,
            ...artifactReadStatements(artifacts),
            // The release bakes read the service's alarms here (src/pipeline/gates.ts).
            alarmReadStatement(
              "ReadBakeAlarms",
              target,
              config.pipeline.bake.alarms.map((kind) =>
                serviceAlarmName(config, environment, service.name, kind),
              ),
            ),
          ),
        ),
      });
      this.roles[service.name] = role;
    }
  }
}
