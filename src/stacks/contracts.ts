/**
 * What stacks hand each other. Values are Terraform tokens at synth time; cdktf turns a token
 * used in another stack into an output plus a terraform_remote_state read. Keeping these shapes
 * in one place lets stacks be built and tested independently.
 */

/** An ECR repository of one service (`ecr` stack). */
import type { RepositoryRef } from "../constructs/ecr-repository";

export type { RepositoryRef };

/** The CodeCommit deploy-config repository (`ecr` stack, with a codecommit config source). */
export interface ConfigRepositoryRef {
  readonly name: string;
  readonly arn: string;
}

export interface EcrOutputs {
  /** By service name. */
  readonly repositories: Readonly<Record<string, RepositoryRef>>;
  /**
   * The key that encrypts the repositories (and the CodeCommit config repository); consumers
   * that pull need kms:Decrypt on it.
   */
  readonly kmsKeyArn: string;
  /** Set when `pipeline.configSource.type` is `codecommit`. */
  readonly configRepository?: ConfigRepositoryRef;
}

/** One environment's network, load balancer, cluster and namespace (`network-<env>` stack). */
export interface NetworkOutputs {
  readonly environment: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: readonly string[];
  /** For CloudWatch metrics dimensions (`app/<name>/<id>`). */
  readonly albArnSuffix: string;
  readonly albSecurityGroupId: string;
  readonly httpsListenerArn: string;
  /** The blue/green test listener; set where a blue/green service runs. */
  readonly testListenerArn?: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  /** Cloud Map private DNS namespace. */
  readonly namespaceId: string;
  /** Customer managed key for this environment's logs, secrets and topics. */
  readonly kmsKeyArn: string;
  /**
   * Where the cluster logs ECS Exec sessions (encrypted with `kmsKeyArn`); set when the
   * environment enables `ecsExec`. Task roles need logs:CreateLogStream, logs:PutLogEvents and
   * logs:DescribeLogStreams on it, logs:DescribeLogGroups, and kms:Decrypt on `kmsKeyArn`.
   */
  readonly ecsExecLogGroupArn?: string;
}

/** One environment's secrets (`secrets-<env>` stack). */
export interface SecretsOutputs {
  readonly environment: string;
  /** By service name, then secret name (as in `services[].secrets`): the secret's ARN. */
  readonly secretArns: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One running service in one environment (`services-<env>` stack). */
export interface ServiceRef {
  readonly name: string;
  readonly clusterName: string;
  readonly ecsServiceName: string;
  readonly containerName: string;
  readonly taskFamily: string;
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  /** `https://<subdomain>.<domain>` */
  readonly url: string;
  /** Blue/green services: the CodeDeploy application and deployment group the pipeline uses. */
  readonly codeDeploy?: { readonly application: string; readonly deploymentGroup: string };
  /**
   * Blue/green services: the task definition and AppSpec to deploy, as JSON, less the image
   * (`DeploymentTemplate` in fargate-service.ts); the pipeline's build pins the digest.
   */
  readonly deploymentTemplate?: string;
}

export interface ServicesOutputs {
  readonly environment: string;
  /** By service name. */
  readonly services: Readonly<Record<string, ServiceRef>>;
}
