import { z } from "zod";
import { accountId, domainName, region } from "./primitives";

/** Remote state in an S3 bucket that the `state` stack bootstraps. */
export const s3StateSchema = z.strictObject({
  backend: z.literal("s3"),
  /** State bucket name. @default - `<project>-tfstate-<accountId>` */
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
      error: "S3 bucket names are 3-63 lowercase letters, digits and hyphens",
    })
    .optional(),
  /** Region of the state bucket. */
  region,
  /** The account that holds the state bucket. */
  accountId,
  /** Role Terraform assumes to reach the state bucket from other accounts. @default - none */
  roleArn: z
    .string()
    .regex(/^arn:aws:iam::\d{12}:role\/.+$/)
    .optional(),
  /**
   * Where the `state` stack keeps its own state: `local` (a file in the project directory) to
   * bootstrap, `s3` once that state has been migrated into the bucket it created.
   * @default "local"
   */
  stateStackBackend: z.enum(["local", "s3"]).default("local"),
  /** Noncurrent state versions are kept this many days. @default 90 */
  noncurrentVersionDays: z.number().int().min(1).max(3650).default(90),
});

/** Every stack as a named HCP Terraform workspace (named, so cross-stack references work). */
export const hcpStateSchema = z.strictObject({
  backend: z.literal("hcp"),
  /** HCP Terraform organization that holds the workspaces. */
  organization: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, {
    error: "HCP Terraform organization names are letters, digits, _ and -",
  }),
  /** HCP Terraform (or Terraform Enterprise) host name. @default "app.terraform.io" */
  hostname: domainName.default("app.terraform.io"),
  /** Workspace name = prefix + stack id. @default - `<project>-` */
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,60}$/, { error: "workspace names allow letters, digits, _ and -" })
    .optional(),
  /**
   * The HCP Terraform project the `hcp-workspaces` stack creates and puts every workspace in; it
   * is part of the OIDC subject the AWS roles trust. @default - the config's `project`
   */
  project: z
    .string()
    .regex(/^[A-Za-z0-9_-](?:[A-Za-z0-9 _-]{0,38}[A-Za-z0-9_-])?$/, {
      error: "HCP Terraform project names are 1-40 letters, digits, inner spaces, _ and -",
    })
    .optional(),
  /**
   * Where plans and applies of the stacks CI deploys run. `local`: on the CI runner (or your
   * machine), with the GitHub OIDC roles; HCP Terraform stores state and locks. `remote`: in HCP
   * Terraform, with dynamic AWS credentials (per-account plan and apply roles that trust exactly
   * those workspaces and run phases); the GitHub apply roles are then not created. The bootstrap
   * stacks (GitHub OIDC, GitHub repositories, the workspaces themselves) always run locally.
   * @default "local"
   */
  execution: z.enum(["local", "remote"]).default("local"),
  /**
   * Where the `hcp-workspaces` stack keeps its own state: `local` (a file in the project
   * directory) to bootstrap, `hcp` once migrated into the workspace it created for itself.
   * @default "local"
   */
  workspacesStackBackend: z.enum(["local", "hcp"]).default("local"),
});

export const stateSchema = z.discriminatedUnion("backend", [s3StateSchema, hcpStateSchema], {
  error: 'state.backend must be "s3" or "hcp"',
});
