import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";

export interface ServiceSecretProps {
  /** Full secret name, e.g. `acme-shop/staging/api/DATABASE_URL`. */
  readonly secretName: string;
  /** Customer managed key that encrypts the value. */
  readonly kmsKeyArn: string;
  readonly description?: string;
  /** Days a deleted secret can still be restored. @default 30 */
  readonly recoveryWindowInDays?: number;
}

/**
 * The container of one secret, without its value: Terraform never sees the value (no
 * `aws_secretsmanager_secret_version`), so it cannot leak through config, code, synthesized JSON
 * or state. Operators set it out of band with `aws secretsmanager put-secret-value`.
 */
export class ServiceSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: ServiceSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, "Resource", {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      lifecycle: { preventDestroy: true },
    });
  }

  get arn(): string {
    return this.secret.arn;
  }
}
