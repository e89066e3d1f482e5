import { z } from "zod";
import { environmentSchema } from "./environment";
import { githubSchema } from "./github";
import { pipelineSchema } from "./pipeline";
export { SERVICE_ALARM_KINDS, type ServiceAlarmKind } from "./pipeline";
import { resourceLabel, tags } from "./primitives";
import { serviceSchema } from "./service";
import { stateSchema } from "./state";

export const frontendSchema = z.strictObject({
  /** Amplify build spec (YAML). @default - a Node build: npm ci && npm run build, artifacts from dist/ */
  buildSpec: z.string().min(1).optional(),
  /** Framework label shown in Amplify. @default "Web" */
  framework: z.string().max(255).default("Web"),
  /** An S3 bucket for static assets per environment. @default false */
  staticAssetsBucket: z.boolean().default(false),
});

/**
 * The whole platform as one YAML document. Every key is checked: unknown keys are errors.
 * Rules spanning several fields live in ../validate.ts and run in parseConfig.
 */
export const platformSchema = z.strictObject({
  /** Short project name; the first part of every physical name. */
  project: resourceLabel("project", 20).refine((s) => s.length >= 3, {
    error: "project must be at least 3 characters",
  }),
  /**
   * Tags applied to every AWS resource through the provider's default_tags. At most 40: AWS
   * allows 50 per resource, and the platform adds Project, Environment, ManagedBy and Stack and a
   * few of its own on some resources (Name, BlueGreenService). @default {}
   */
  tags: tags
    .superRefine((value, ctx) => {
      const keys = Object.keys(value);
      if (keys.length > 40) {
        ctx.addIssue({
          code: "custom",
          input: `${keys.length} tags`,
          message: `has ${keys.length} tags; at most 40 (AWS allows 50 per resource and the platform adds up to 10)`,
        });
      }
      for (const key of keys.filter((k) => PLATFORM_TAG_KEYS.includes(k))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: key,
          message: `the platform sets the ${key} tag itself (${PLATFORM_TAG_KEYS.join(", ")}); choose another key`,
        });
      }
    })
    .default({}),
  /** Where Terraform state lives: an S3 bucket (`s3`) or HCP Terraform workspaces (`hcp`). */
  state: stateSchema,
  /** The GitHub repositories and how their Actions are trusted (OIDC). */
  github: githubSchema,
  /** Services run in every environment (the pipeline promotes the same image through them). */
  services: z.array(serviceSchema).min(1, { error: "at least one service is required" }),
  /** Environments by name, e.g. staging and production. */
  environments: z
    .record(resourceLabel("environment names", 12), environmentSchema)
    .refine((envs) => Object.keys(envs).length >= 1, {
      error: "at least one environment is required",
    }),
  /** The release pipeline: one CodePipeline per service in the tooling account. */
  pipeline: pipelineSchema,
  /** Amplify frontend settings; environments opt in with `frontend`. @default - no frontend */
  frontend: frontendSchema.optional(),
});

/** Tag keys the platform puts on every resource (provider default_tags). */
export const PLATFORM_TAG_KEYS = ["Project", "Environment", "ManagedBy", "Stack"];

/** The config as written in YAML (defaults optional). */
export type PlatformConfigInput = z.input<typeof platformSchema>;
/** The validated config with every default applied. */
export type PlatformConfig = z.output<typeof platformSchema>;
export type EnvironmentConfig = PlatformConfig["environments"][string];
export type ServiceConfig = PlatformConfig["services"][number];
export type NetworkConfig = EnvironmentConfig["network"];
export type PipelineConfig = PlatformConfig["pipeline"];
export type GithubConfig = PlatformConfig["github"];
export type StateConfig = PlatformConfig["state"];
/** HCP Terraform state settings (`state.backend: hcp`). */
export type HcpState = Extract<StateConfig, { backend: "hcp" }>;
