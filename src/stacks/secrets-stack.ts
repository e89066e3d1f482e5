import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { ServiceSecret } from "../constructs/service-secret";
import { suppressGuard } from "../policies/guard/suppress";
import type { NetworkOutputs, SecretsOutputs } from "./contracts";
import { EnvironmentStack } from "./environment-stack";

export interface SecretsStackProps {
  readonly config: PlatformConfig;
  readonly environment: string;
  /** This environment's `network-<env>` outputs (the environment key encrypts the secrets). */
  readonly network: NetworkOutputs;
}

/**
 * One environment's Secrets Manager secrets, created without values (Terraform never sees a
 * value). A stack of their own, applied before `services-<env>`: ECS tasks whose `secrets` point
 * at a secret with no value fail to start (ResourceInitializationError), so the first-deploy
 * runbook has the operator set every value between this stack and the services stack. In one
 * stack with the services, the secrets could only get values after the first deployment had
 * already failed.
 */
export class SecretsStack extends EnvironmentStack {
  readonly outputs: SecretsOutputs;
  /** By service name, then secret name. */
  readonly secrets: Record<string, Record<string, ServiceSecret>> = {};

  constructor(scope: Construct, id: string, props: SecretsStackProps) {
    const { config, environment, network } = props;
    super(scope, id, { config, environment });
    const arns: Record<string, Record<string, string>> = {};
    const names: Record<string, string[]> = {};
    for (const { effective: service, secretNames } of Object.values(this.model.services)) {
      if (service.secrets.length === 0) continue;
      const scope = new Construct(this, service.name);
      const secrets: Record<string, ServiceSecret> = {};
      for (const key of service.secrets) {
        const secretName = secretNames[key];
        secrets[key] = new ServiceSecret(scope, `Secret-${key}`, {
          secretName,
          description: `${key} of ${service.name} in ${environment} (value set out of band)`,
          kmsKeyArn: network.kmsKeyArn,
        });
        suppressGuard(
          secrets[key].secret,
          "SECRETS_ROTATION",
          "the value is set out of band by its owner (a database password, a third party's API key): it rotates where it is issued, then put-secret-value; a rotation Lambda cannot rotate a credential it does not issue",
        );
        (names[service.name] ??= []).push(secretName);
      }
      this.secrets[service.name] = secrets;
      arns[service.name] = Object.fromEntries(Object.entries(secrets).map(([k, s]) => [k, s.arn]));
    }
    this.outputs = { environment, secretArns: arns };

    // For operators: the names to set with `aws secretsmanager put-secret-value`.
    new TerraformOutput(this, "secret_names", { value: names });
  }
}
