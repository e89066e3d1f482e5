import { z } from "zod";
import { distinctList, gitBranch } from "./primitives";

const ownerName = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
  error: "GitHub owners are 1-39 letters, digits or single hyphens, with no wildcard",
});

const repoName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, {
    error: "GitHub repository names are 1-100 letters, digits, '.', '_' or '-', with no wildcard",
  })
  .refine((s) => s !== "." && s !== "..", { error: "'.' and '..' are not repository names" });

// A branch of refs/heads, as git accepts it (check-ref-format), short form.
const branchName = gitBranch;

const environmentName = z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, {
  error: "GitHub environment names are letters, digits, '_', '.' and '-' (no wildcard)",
});

/**
 * GitHub's numeric ids, needed only for the immutable OIDC subject format
 * (`repo:owner@<ownerId>/repo@<repoId>:...`).
 */
const numericId = z.number().int().positive();

export const githubSchema = z.strictObject({
  /** GitHub user or organization that owns the repositories. */
  owner: ownerName,
  /** The application repository whose Actions build and push the images. */
  appRepository: repoName,
  /** The repository holding this cdktf app; its Actions plan and deploy the platform. */
  infraRepository: repoName,
  /** The frontend repository that Amplify builds. @default - no Amplify app */
  frontendRepository: repoName.optional(),
  /** Branch of the app repository allowed to push images. @default "main" */
  deployBranch: branchName.default("main"),
  /** Branch of the infra repository allowed to apply. @default "main" */
  infraApplyBranch: branchName.default("main"),
  /** GitHub environment of the infra repository that gates apply. @default "production" */
  infraApplyEnvironment: environmentName.default("production"),
  /** Which `sub` claim form the trust policies expect. @default "name" */
  subjectFormat: z.enum(["name", "immutable"]).default("name"),
  /**
   * IAM policy set as the permissions boundary of the GitHub roles (publisher, infra plan, infra
   * apply). An AWS managed policy (`arn:aws:iam::aws:policy/...`) is used as is; a customer
   * managed policy is looked up by the same path and name in every platform account, so create it
   * in each account first. @default - no permissions boundary
   */
  permissionsBoundaryArn: z
    .string()
    .regex(/^arn:aws:iam::(\d{12}|aws):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/, {
      error:
        "must be an IAM policy ARN like arn:aws:iam::123456789012:policy/name or arn:aws:iam::aws:policy/name",
    })
    .optional(),
  /**
   * Who must approve each deploy (the apply environment's required reviewers): GitHub team slugs
   * of the owner organization and user logins; up to 6 in all (GitHub's limit). The apply role
   * trusts only jobs of that environment, so these reviewers are the gate before every apply.
   * Required unless `allowUnreviewedApply` is true.
   */
  applyReviewers: z
    .strictObject({
      /** Team slugs (`platform-admins`), of the owner organization. @default [] */
      teams: distinctList(
        z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, {
          error: "a GitHub team slug is lowercase letters, digits, '-' and '_'",
        }),
        "team",
      ).default([]),
      /** User logins. @default [] */
      users: distinctList(ownerName, "user").default([]),
    })
    .optional(),
  /**
   * Opt out of required reviewers on the apply environment (every push to the apply branch is
   * then applied unreviewed). @default false
   */
  allowUnreviewedApply: z.boolean().default(false),
  /** Numeric ids for `subjectFormat: immutable`. */
  ids: z
    .strictObject({
      owner: numericId,
      appRepository: numericId,
      infraRepository: numericId,
    })
    .optional(),
});
