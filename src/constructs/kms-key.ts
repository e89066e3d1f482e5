import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import {
  accountRootArn,
  policyDocument,
  renderPolicy,
  type PolicyStatement,
} from "../policies/document";

export interface ManagedKeyProps {
  /** `alias/...` */
  readonly alias: string;
  readonly description: string;
  /** The account that owns the key; its administrators manage it through IAM. */
  readonly accountId: string;
  /** Extra key policy statements, e.g. letting a service principal use the key. @default [] */
  readonly statements?: readonly PolicyStatement[];
  /** Days before a scheduled deletion completes. @default 30 */
  readonly deletionWindowInDays?: number;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A customer managed KMS key with yearly rotation, an explicit key policy (the owning account's
 * IAM decides who may use it; no `*` principal), an alias, and protection from `destroy`.
 */
export class ManagedKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "Resource", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(props.accountId) },
            Action: "kms:*",
            // In a key policy, "*" means "this key".
            Resource: "*",
          },
          ...(props.statements ?? []),
        ),
      ),
      lifecycle: { preventDestroy: true },
    });
    this.alias = new KmsAlias(this, "Alias", {
      provider: props.provider,
      name: props.alias,
      targetKeyId: this.key.keyId,
    });
  }

  get arn(): string {
    return this.key.arn;
  }
}
