import { policyDocument, type PolicyDocument } from "./document";

/** The ECR actions `docker push` (and the pull of cached layers) needs on a repository. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:DescribeImages",
] as const;

export interface PublisherPolicyProps {
  /** The region of the repositories (ECR's KMS calls come through `ecr.<region>.amazonaws.com`). */
  readonly region: string;
  /** The account of the repositories and their key. */
  readonly accountId: string;
  /** ARNs of this platform's repositories; nothing else is writable. */
  readonly repositoryArns: readonly string[];
  /** Alias (`alias/...`) of the key that encrypts the repositories. */
  readonly kmsKeyAlias: string;
}

/**
 * The image publisher's permissions: log in to ECR, push to (and read back from) this platform's
 * repositories, and use their KMS key only through ECR. It needs no CodePipeline permission: the
 * pipeline starts from the ECR push event of the release tag.
 */
export function publisherPolicy(props: PublisherPolicyProps): PolicyDocument {
  if (props.repositoryArns.length === 0) {
    throw new Error("publisherPolicy: at least one repository ARN is required");
  }
  return policyDocument(
    {
      Sid: "EcrLogin",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      // AWS requires "*": GetAuthorizationToken has no resource-level permissions (the token is
      // for the whole registry; the statement below decides which repositories accept a push).
      Resource: "*",
    },
    {
      Sid: "PushToPlatformRepositories",
      Effect: "Allow",
      Action: [...ECR_PUSH_ACTIONS],
      Resource: [...props.repositoryArns],
    },
    {
      Sid: "UseRepositoryKeyThroughEcr",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      // The key by its alias (kms:ResourceAliases), so this bootstrap stack can be applied before
      // the `ecr` stack creates the key and never reads its state. Only keys of this account and
      // region carrying that alias, and only through ECR.
      Resource: `arn:aws:kms:${props.region}:${props.accountId}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": `ecr.${props.region}.amazonaws.com` },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": props.kmsKeyAlias },
      },
    },
  );
}
