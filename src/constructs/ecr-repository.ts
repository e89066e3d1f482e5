import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as AwsEcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { Construct } from "constructs";
import {
  accountRootArn,
  policyDocument,
  renderPolicy,
  type PolicyStatement,
} from "../policies/document";

/** What an image pull needs on the repository (GetAuthorizationToken is registry-wide, in IAM). */
export const PULL_ACTIONS = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
] as const;

export interface ImageRetention {
  /** Untagged images (superseded pushes, build layers) expire this many days after push. @default 7 */
  readonly untaggedDays?: number;
  /**
   * Tag prefixes whose images lifecycle rules never expire, e.g. the pipeline's moving release
   * tag: an image holding it is what the pipeline deploys next. @default []
   */
  readonly protectedTagPrefixes?: readonly string[];
  /** Prefixes of the per-commit tags images are rolled back by. @default ["sha-"] */
  readonly rollbackTagPrefixes?: readonly string[];
  /**
   * How many images with a rollback tag are kept (the newest). Generous on purpose: an
   * environment may still run an image that was pushed many releases ago while a promotion waits.
   * @default 100
   */
  readonly rollbackImages?: number;
}

export interface EcrRepositoryProps {
  readonly name: string;
  /** Customer managed key that encrypts the images. */
  readonly kmsKeyArn: string;
  /**
   * Make tags immutable. Off by default in this platform because the pipeline's ECR source
   * action watches one moving tag (e.g. `release`) that every publish moves; the image deployed is
   * still pinned by digest from the build stage on, so a moved tag never changes what runs.
   * Turn it on for repositories that are not a pipeline source.
   * @default false
   */
  readonly immutableTags?: boolean;
  /** Other accounts whose principals may pull (by account root; their IAM decides who). @default [] */
  readonly pullAccountIds?: readonly string[];
  /**
   * Exact IAM role ARNs (in other accounts) that may pull, and nobody else of their accounts.
   * The policy names their accounts as principals and pins `aws:PrincipalArn`, so it can be set
   * before the roles exist (ECR refuses a policy naming a role that does not exist yet).
   * @default []
   */
  readonly pullPrincipalArns?: readonly string[];
  /** @default - see ImageRetention */
  readonly retention?: ImageRetention;
}

interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPrefixList?: string[];
    countType: "imageCountMoreThan" | "sinceImagePushed";
    countUnit?: "days";
    countNumber: number;
  };
  action: { type: "expire" };
}

/** A count no repository reaches (ECR's default quota is 20,000 images): a rule keeping it keeps all. */
const KEEP_ALL = 10000;

/**
 * The lifecycle rules as data. ECR never lets a lower-priority rule expire an image whose tags
 * matched a higher-priority rule, so the protected-tag rule (which keeps up to KEEP_ALL images)
 * shields release images from the rollback rule.
 */
export function lifecycleRules(retention: ImageRetention = {}): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    {
      rulePriority: 1,
      description: `Expire untagged images ${retention.untaggedDays ?? 7} days after push`,
      selection: {
        tagStatus: "untagged",
        countType: "sinceImagePushed",
        countUnit: "days",
        countNumber: retention.untaggedDays ?? 7,
      },
      action: { type: "expire" },
    },
  ];
  const protectedPrefixes = retention.protectedTagPrefixes ?? [];
  if (protectedPrefixes.length) {
    rules.push({
      rulePriority: 2,
      description: `Never expire images tagged ${protectedPrefixes.join(", ")}`,
      selection: {
        tagStatus: "tagged",
        tagPrefixList: [...protectedPrefixes],
        countType: "imageCountMoreThan",
        countNumber: KEEP_ALL,
      },
      action: { type: "expire" },
    });
  }
  const rollback = retention.rollbackTagPrefixes ?? ["sha-"];
  if (rollback.length) {
    const keep = retention.rollbackImages ?? 100;
    rules.push({
      rulePriority: 3,
      description: `Keep the newest ${keep} images tagged ${rollback.join(", ")}`,
      selection: {
        tagStatus: "tagged",
        tagPrefixList: [...rollback],
        countType: "imageCountMoreThan",
        countNumber: keep,
      },
      action: { type: "expire" },
    });
  }
  // Images with any other tag are never expired: nothing here knows whether they run somewhere.
  return rules;
}

/**
 * A private ECR repository: scan on push, KMS encryption with a customer key, a lifecycle that
 * expires only what cannot be running, optional cross-account pull, and protection from destroy
 * (`prevent_destroy`, `force_delete` off).
 */
export class EcrRepository extends Construct {
  readonly repository: AwsEcrRepository;
  readonly policy?: EcrRepositoryPolicy;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const untagged = props.retention?.untaggedDays ?? 7;
    const keep = props.retention?.rollbackImages ?? 100;
    if (!Number.isInteger(untagged) || untagged < 1) {
      throw new Error(`${this.node.path}: retention.untaggedDays must be a whole number >= 1`);
    }
    if (!Number.isInteger(keep) || keep < 1 || keep >= KEEP_ALL) {
      throw new Error(
        `${this.node.path}: retention.rollbackImages must be a whole number 1-${KEEP_ALL - 1}`,
      );
    }

    this.repository = new AwsEcrRepository(this, "Resource", {
      name: props.name,
      // MUTABLE by default: see `immutableTags`. Deploys pin digests, so this is safe.
      imageTagMutability: props.immutableTags ? "IMMUTABLE" : "MUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      lifecycle: { preventDestroy: true },
    });

    new EcrLifecyclePolicy(this, "Lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({ rules: lifecycleRules(props.retention) }),
    });

    const statements: PolicyStatement[] = [];
    const accounts = [...new Set(props.pullAccountIds ?? [])].sort();
    if (accounts.length) {
      statements.push({
        Sid: "PullFromPlatformAccounts",
        Effect: "Allow",
        Principal: { AWS: accounts.map(accountRootArn) },
        Action: [...PULL_ACTIONS],
      });
    }
    const principals = [...new Set(props.pullPrincipalArns ?? [])].sort();
    if (principals.length) {
      statements.push({
        Sid: "PullByPlatformRoles",
        Effect: "Allow",
        Principal: { AWS: [...new Set(principals.map((arn) => accountRootArn(accountOf(arn))))] },
        Action: [...PULL_ACTIONS],
        Condition: { ArnEquals: { "aws:PrincipalArn": principals } },
      });
    }
    if (statements.length) {
      this.policy = new EcrRepositoryPolicy(this, "Policy", {
        repository: this.repository.name,
        policy: renderPolicy(policyDocument(...statements)),
      });
    }
  }

  get name(): string {
    return this.repository.name;
  }

  get arn(): string {
    return this.repository.arn;
  }

  get url(): string {
    return this.repository.repositoryUrl;
  }
}

/** The account id of an IAM role or user ARN. */
function accountOf(arn: string): string {
  const match = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\//.exec(arn);
  if (!match) throw new Error(`pullPrincipalArns: ${arn} is not an IAM role or user ARN`);
  return match[1];
}
