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
  /**
   * Roles that administer the key through the key policy itself (the account's CI apply role),
   * not through an IAM policy on every key of the account. @default []
   */
  readonly administratorRoleArns?: readonly string[];
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
          ...administratorStatements(props.administratorRoleArns ?? []),
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

/** AWS services that use a platform key on the administrator's behalf while it creates things. */
const VIA_SERVICES = ["s3", "secretsmanager", "codecommit", "ecr", "sns"];

/**
 * The CI apply role administers each platform key through its key policy (same account: a key
 * policy that names the role needs no IAM policy). So its IAM policy needs no key permission
 * that reaches other keys of the account, and nothing waits for tag-based authorization to
 * propagate after CreateKey. Grants only for AWS resources (ECR, CodeCommit and Secrets Manager
 * create them when a repository or secret is made with the key); data keys only through those
 * services.
 */
function administratorStatements(roleArns: readonly string[]): PolicyStatement[] {
  if (roleArns.length === 0) return [];
  return [
    {
      Sid: "PlatformApplyRoleAdministersKey",
      Effect: "Allow",
      Principal: { AWS: [...roleArns] },
      Action: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListResourceTags",
        "kms:EnableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:UpdateAlias",
      ],
      Resource: "*",
    },
    {
      Sid: "PlatformApplyRoleGrantsToAwsResources",
      Effect: "Allow",
      Principal: { AWS: [...roleArns] },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
    {
      Sid: "PlatformApplyRoleUsesKeyThroughServices",
      Effect: "Allow",
      Principal: { AWS: [...roleArns] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringLike: { "kms:ViaService": VIA_SERVICES.map((s) => `${s}.*.amazonaws.com`) },
      },
    },
  ];
}
