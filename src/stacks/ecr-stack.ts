import { CodecommitRepository } from "@cdktf/provider-aws/lib/codecommit-repository";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { EcrRepository } from "../constructs/ecr-repository";
import { ManagedKey } from "../constructs/kms-key";
import { deployedTagPrefixesByPriority } from "../pipeline/deployment-tags";
import { CANDIDATE_TAG_PREFIX } from "../pipeline/record-deployment";
import { suppressGuard } from "../policies/guard/suppress";
import { crossAccountDecryptViaService } from "../policies/kms-statements";
import type { ConfigRepositoryRef, EcrOutputs, RepositoryRef } from "./contracts";
import { configRepositoryName, ecrKeyAlias, ecrRepositoryName } from "../model/ecr-names";
import { PlatformStack } from "./platform-stack";
import { platformModel } from "../model/platform-model";

/**
 * Accounts other than the tooling account that run the services and so pull images, sorted.
 */
export function pullAccounts(config: PlatformConfig): string[] {
  const model = platformModel(config);
  const accounts = Object.values(model.environments)
    .map((env) => env.target.accountId)
    .filter((account) => account !== model.tooling.accountId);
  return [...new Set(accounts)].sort();
}

/**
 * The roles of other accounts that pull a service's image: its execution role in every
 * environment outside the tooling account (same-account pulls need only the role's IAM policy).
 */
export function pullRoleArns(config: PlatformConfig, service: string): string[] {
  const model = platformModel(config);
  return Object.values(model.environments)
    .filter((env) => env.target.accountId !== model.tooling.accountId)
    .map((env) => env.services[service].executionRoleArn)
    .sort();
}

/**
 * The shared image registry in the tooling account: one repository per service, encrypted with
 * this stack's key. The GitHub publisher role (same account) pushes through IAM; the environment
 * accounts' execution roles pull through the repository policy and the key policy.
 */
export class EcrStack extends PlatformStack {
  readonly outputs: EcrOutputs;
  readonly key: ManagedKey;
  /** By service name. */
  readonly repositories: Record<string, EcrRepository> = {};

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id, { config });
    const target = platformModel(config).tooling;
    this.addAwsProvider(target);
    const others = pullAccounts(config);

    this.key = new ManagedKey(this, "Key", {
      alias: ecrKeyAlias(config),
      administratorRoleArns: [this.ciApplyRoleArn],
      description: `${config.project}: container images in ECR and the deploy-config repository`,
      accountId: target.accountId,
      statements: others.length
        ? [
            crossAccountDecryptViaService(
              others,
              `ecr.${target.region}.amazonaws.com`,
              config.services.flatMap((s) => pullRoleArns(config, s.name)).sort(),
            ),
          ]
        : [],
    });

    const refs: Record<string, RepositoryRef> = {};
    for (const service of config.services) {
      const repository = new EcrRepository(this, service.name, {
        name: ecrRepositoryName(config, service.name),
        kmsKeyArn: this.key.arn,
        // Mutable: the pipeline's source action follows the moving `pipeline.sourceImageTag`.
        immutableTags: false,
        // Only the service's own execution roles in the other accounts, not whole accounts.
        pullPrincipalArns: pullRoleArns(config, service.name),
        // The pipeline tags each deployed digest `deployed-<env>--<execution>`: what runs (and
        // its rollbacks) is kept whatever the push volume (docs/network.md, ECR lifecycle).
        retention: {
          protectedTagPrefixes: [config.pipeline.sourceImageTag],
          deployedTagPrefixes: deployedTagPrefixesByPriority(config.pipeline.promotion),
          transientTagPrefixes: [CANDIDATE_TAG_PREFIX],
        },
      });
      suppressGuard(
        repository.repository,
        "ECR_TAG_IMMUTABLE",
        `the pipeline's ECR source action follows the moving "${config.pipeline.sourceImageTag}" tag, ` +
          "which each publish moves; deploys pin the image digest from the build stage on, and " +
          "per-commit sha- tags are never reused",
      );
      this.repositories[service.name] = repository;
      refs[service.name] = { name: repository.name, arn: repository.arn, url: repository.url };
    }
    const configRepository =
      config.pipeline.configSource.type === "codecommit"
        ? this.configRepository(config)
        : undefined;
    this.outputs = { repositories: refs, kmsKeyArn: this.key.arn, configRepository };

    new TerraformOutput(this, "repository_urls", {
      value: Object.fromEntries(Object.entries(refs).map(([k, r]) => [k, r.url])),
    });
  }

  /**
   * The CodeCommit deploy-config repository (`pipeline.configSource.type: codecommit`). It lives
   * here, with the image repositories, and not in the `pipeline` stack: CodePipeline starts a run
   * as soon as a pipeline is created, and a CodeCommit source on a repository without the branch
   * fails that run (and every image push after it) at Source. Terraform cannot commit, so the
   * first-deploy runbook has the operator create the branch between this stack and `pipeline`.
   */
  private configRepository(config: PlatformConfig): ConfigRepositoryRef {
    const repo = new CodecommitRepository(this, "ConfigRepository", {
      repositoryName: configRepositoryName(config),
      description: "Deployment configuration and smoke tests read by the delivery pipelines",
      kmsKeyId: this.key.arn,
      lifecycle: { preventDestroy: true },
    });
    new TerraformOutput(this, "config_repository_clone_url", {
      value: repo.cloneUrlHttp,
      description: "Push deployment config and tests/<service>/smoke.sh here",
    });
    return { name: repo.repositoryName, arn: repo.arn };
  }
}
