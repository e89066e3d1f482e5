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
  /** ARNs of this platform's repositories; nothing else is writable. */
  readonly repositoryArns: readonly string[];
  /** The key that encrypts the repositories. */
  readonly kmsKeyArn: string;
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
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `ecr.${props.region}.amazonaws.com` } },
    },
  );
}
