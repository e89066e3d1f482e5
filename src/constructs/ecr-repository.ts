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

/** A repository as other constructs and stacks name it. */
export interface RepositoryRef {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
}

export interface ImageRetention {
  /** Untagged images (superseded pushes, build layers) expire this many days after push. @default 7 */
  readonly untaggedDays?: number;
  /**
   * Tag prefixes whose images lifecycle rules never expire, e.g. the pipeline's moving release
   * tag: an image holding it is what the pipeline deploys next. @default []
   */
  readonly protectedTagPrefixes?: readonly string[];
  /**
   * Tag prefixes that mark an image as deployed to one environment (the pipeline adds
   * `deployed-<env>--<execution id>` after each successful deploy), **in rule priority order**:
   * one rule per prefix keeps the newest `deployedImages` images carrying it, so what runs (and
   * what it rolls back to) never expires, however many newer images are pushed meanwhile. ECR lets
   * a higher-priority rule expire an image a lower one would keep, so list the last promotion
   * environment first (an image deployed to production was deployed to staging before; the
   * production rule must claim it before the staging rule can count it out). @default []
   */
  readonly deployedTagPrefixes?: readonly string[];
  /**
   * How many deployed images each `deployedTagPrefixes` rule keeps (the newest by push time). The
   * default equals `rollbackImages`, so these rules never expire an image the rollback rule
   * would have kept (the 101st-newest deployed image is older than 100 pushed commits).
   * @default 100
   */
  readonly deployedImages?: number;
  /** Prefixes of the per-commit tags images are rolled back by. @default ["sha-"] */
  readonly rollbackTagPrefixes?: readonly string[];
  /**
   * How many images with a rollback tag are kept (the newest). Generous on purpose: an
   * environment may still run an image that was pushed many releases ago while a promotion waits.
   * @default 100
   */
  readonly rollbackImages?: number;
  /**
   * Prefixes of tags that only say a pipeline execution looked at an image (the scan's
   * `candidate--<execution>`). Lowest priority: they never keep an image another rule expires,
   * and images carrying nothing else (a candidate whose other tags moved on) are kept only up to
   * `rollbackImages`, instead of forever. @default []
   */
  readonly transientTagPrefixes?: readonly string[];
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
 * The lifecycle rules as data, in priority order: untagged images, then protected tags (kept),
 * then deployed-environment tags, then rollback tags, then transient tags. ECR never lets a lower-priority rule expire
 * an image whose tags matched a higher-priority rule, so the protected-tag rules (which keep up to
 * KEEP_ALL images) shield release images, and the deployed rules shield what environments run,
 * from the rollback rule. A rule's `tagPrefixList` selects images carrying ALL its prefixes, so
 * each prefix gets its own rule.
 */
export function lifecycleRules(retention: ImageRetention = {}): LifecycleRule[] {
  const rules: Omit<LifecycleRule, "rulePriority">[] = [
    {
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
  const keepTagged = (prefix: string, count: number, description: string) => {
    rules.push({
      description,
      selection: {
        tagStatus: "tagged",
        tagPrefixList: [prefix],
        countType: "imageCountMoreThan",
        countNumber: count,
      },
      action: { type: "expire" },
    });
  };
  for (const prefix of retention.protectedTagPrefixes ?? []) {
    keepTagged(prefix, KEEP_ALL, `Never expire images tagged ${prefix}`);
  }
  const deployed = retention.deployedImages ?? 100;
  for (const prefix of retention.deployedTagPrefixes ?? []) {
    keepTagged(prefix, deployed, `Keep the newest ${deployed} images tagged ${prefix}`);
  }
  const keep = retention.rollbackImages ?? 100;
  for (const prefix of retention.rollbackTagPrefixes ?? ["sha-"]) {
    keepTagged(prefix, keep, `Keep the newest ${keep} images tagged ${prefix}`);
  }
  for (const prefix of retention.transientTagPrefixes ?? []) {
    keepTagged(prefix, keep, `Keep the newest ${keep} images tagged ${prefix}`);
  }
  // Images with any other tag are never expired: nothing here knows whether they run somewhere.
  return rules.map((rule, i) => ({ rulePriority: i + 1, ...rule }));
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
    const deployed = props.retention?.deployedImages ?? 100;
    if (!Number.isInteger(deployed) || deployed < 1 || deployed >= KEEP_ALL) {
      throw new Error(
        `${this.node.path}: retention.deployedImages must be a whole number 1-${KEEP_ALL - 1}`,
      );
    }
    const prefixes = [
      ...(props.retention?.protectedTagPrefixes ?? []),
      ...(props.retention?.deployedTagPrefixes ?? []),
      ...(props.retention?.rollbackTagPrefixes ?? ["sha-"]),
    ];
    const duplicate = prefixes.find((p, i) => prefixes.indexOf(p) !== i);
    if (duplicate !== undefined) {
      throw new Error(`${this.node.path}: retention tag prefix ${duplicate} is listed twice`);
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
