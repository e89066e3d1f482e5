import { stringify } from "yaml";
import { blueGreenFiles, blueGreenRenderCommands } from "./blue-green-render";
import { BUILD_VARIABLES, IMAGE_DEFINITIONS_FILE, buildCommands } from "./imagedefinitions";
import { recordDeploymentCommands } from "./record-deployment";
import { RELEASE_VARIABLES, releaseNotesCommands } from "./release-notes";

/*
 * Buildspecs as data (rendered to YAML for the CodeBuild project's inline `buildspec`), so tests
 * can parse the synthesized project and run its commands.
 */

/** The subset of the buildspec 0.2 format these projects use. */
export interface Buildspec {
  readonly version: "0.2";
  readonly env?: {
    readonly shell?: string;
    readonly "exported-variables"?: readonly string[];
  };
  readonly phases: Partial<
    Record<
      "install" | "pre_build" | "build" | "post_build",
      { readonly "runtime-versions"?: Record<string, string>; readonly commands: readonly string[] }
    >
  >;
  readonly artifacts?: { readonly files: readonly string[] };
}

/**
 * The Build stage: imageDetail.json -> digest-pinned imagedefinitions.json, exports variables;
 * for the environments a blue/green service is deployed to, also their task definition and
 * AppSpec pinned to the same digest (blue-green-render.ts).
 */
export function imageDefinitionsBuildspec(
  containerName: string,
  blueGreenEnvironments: readonly string[] = [],
): Buildspec {
  return {
    version: "0.2",
    env: { "exported-variables": BUILD_VARIABLES },
    phases: {
      install: { "runtime-versions": { nodejs: "20" }, commands: ["node --version"] },
      build: {
        commands: [
          ...buildCommands(containerName),
          ...blueGreenRenderCommands(blueGreenEnvironments),
        ],
      },
    },
    artifacts: {
      files: [
        IMAGE_DEFINITIONS_FILE,
        ...blueGreenEnvironments.flatMap((env) => {
          const files = blueGreenFiles(env);
          return [files.taskDefinition, files.appSpec];
        }),
      ],
    },
  };
}

/**
 * Where a service's smoke test lives in the deploy-config source. When the file is missing, the
 * test falls back to requesting `$BASE_URL$HEALTH_CHECK_PATH`, so a new service is never
 * promoted untested.
 */
export function smokeTestPath(service: string): string {
  return `tests/${service}/smoke.sh`;
}

/**
 * The Test stage: runs the service's smoke test from the deploy-config artifact against
 * `$BASE_URL` (set on the project). Any non-zero exit fails the action, which stops the pipeline.
 */
export function smokeTestBuildspec(service: string): Buildspec {
  const script = smokeTestPath(service);
  return {
    version: "0.2",
    env: { shell: "bash" },
    phases: {
      build: {
        commands: [
          `echo "Smoke testing $BASE_URL (image $IMAGE_DIGEST)"`,
          `if [ -f "${script}" ]; then bash "${script}"; else curl --fail --silent --show-error --max-time 10 --retry 6 --retry-delay 10 --retry-all-errors "$BASE_URL$HEALTH_CHECK_PATH"; fi`,
        ],
      },
    },
  };
}

/**
 * After a deploy: tag the deployed digest `deployed-<env>--<execution id>` in ECR, so the
 * lifecycle policy keeps it (src/pipeline/record-deployment.ts). Reads only action variables.
 */
export function recordDeploymentBuildspec(): Buildspec {
  return {
    version: "0.2",
    phases: {
      install: { "runtime-versions": { nodejs: "20" }, commands: ["aws --version"] },
      build: { commands: recordDeploymentCommands() },
    },
  };
}

/**
 * Before the approval: what the last environment runs now, and the link to the change
 * (src/pipeline/release-notes.ts); exports the approval's variables (namespace Release).
 */
export function releaseNotesBuildspec(): Buildspec {
  return {
    version: "0.2",
    env: { "exported-variables": RELEASE_VARIABLES },
    phases: {
      install: { "runtime-versions": { nodejs: "20" }, commands: ["aws --version"] },
      build: { commands: releaseNotesCommands() },
    },
  };
}

/**
 * YAML for the project's `buildspec`. Terraform reads `${` and `%{` in any string as template
 * syntax, so shell parameter expansions in that form are refused here rather than by `terraform
 * validate`.
 */
export function renderBuildspec(spec: Buildspec): string {
  const text = stringify(spec, { lineWidth: 0 });
  const template = /[$%]\{/.exec(text);
  if (template) {
    throw new Error(`buildspec contains "${template[0]}", which Terraform would interpolate`);
  }
  return text;
}
