/**
 * The Build stage's one job: turn the ECR source action's `imageDetail.json` into the
 * `imagedefinitions.json` the ECS deploy action reads, pinned to the image DIGEST (never a tag),
 * so every later stage (staging, then production after the approval) runs exactly the bytes
 * that were pushed and tested.
 *
 * The logic lives once, as plain JavaScript source (`TRANSFORM_BODY`). The typed function
 * `imageDefinitions` evaluates that same source, and `buildCommands` embeds it in the `node -e`
 * command the buildspec runs, so the unit tests of the function and the test that executes the
 * synthesized buildspec exercise the same code.
 */

/** What the ECR source action writes (the fields this step reads). */
export interface ImageDetail {
  /** `<registry>/<repository>@sha256:<hex>` (a `:tag` form is accepted and re-pinned). */
  readonly ImageURI: string;
  /** `sha256:<64 hex>` */
  readonly ImageDigest: string;
  /** Tags of the pushed image; a git SHA tag (`3f2a9c1`, or `sha-3f2a9c1`) becomes the commit. */
  readonly ImageTags?: readonly string[];
}

/** One entry of `imagedefinitions.json`. */
export interface ImageDefinition {
  readonly name: string;
  readonly imageUri: string;
}

/** Variables the Build action exports (namespace `Build`) for later actions. */
export interface BuildVariables {
  readonly IMAGE_DIGEST: string;
  readonly IMAGE_URI: string;
  /** The git commit the image was built from, or "unknown" when no tag names one. */
  readonly IMAGE_COMMIT: string;
}

export interface ImageBuildResult {
  readonly definitions: readonly ImageDefinition[];
  readonly variables: BuildVariables;
}

/** Names of the variables the build exports, in the order the buildspec lists them. */
export const BUILD_VARIABLES: readonly (keyof BuildVariables)[] = [
  "IMAGE_DIGEST",
  "IMAGE_URI",
  "IMAGE_COMMIT",
];

/** Files the build reads and writes (relative to the build's working directory). */
export const IMAGE_DETAIL_FILE = "imageDetail.json";
export const IMAGE_DEFINITIONS_FILE = "imagedefinitions.json";
export const BUILD_ENV_FILE = "build.env";

/*
 * Body of `function (detail, containerName)`. ES5-style on purpose: it runs unchanged under any
 * Node version in the CodeBuild image. It must not contain single quotes (it is embedded in a
 * single-quoted shell word). Every value it emits is validated against a strict pattern, so the
 * env file it writes is safe to source.
 */
const TRANSFORM_BODY = `
var digest = String(detail.ImageDigest || "");
if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
  throw new Error("imageDetail.json: ImageDigest is not a sha256 digest: " + digest);
}
var uri = String(detail.ImageURI || "");
var repo = uri.split("@")[0];
var colon = repo.lastIndexOf(":");
if (colon > repo.lastIndexOf("/")) { repo = repo.slice(0, colon); }
if (!/^[a-z0-9.-]+(:[0-9]+)?[/][a-z0-9._/-]+$/.test(repo)) {
  throw new Error("imageDetail.json: ImageURI is not a registry image URI: " + uri);
}
if (!/^[A-Za-z0-9_-]{1,255}$/.test(String(containerName))) {
  throw new Error("invalid container name: " + containerName);
}
var tags = Array.isArray(detail.ImageTags) ? detail.ImageTags : [];
var commit = "unknown";
for (var i = 0; i < tags.length; i++) {
  var m = /^(sha-)?([0-9a-f]{7,40})$/.exec(String(tags[i]));
  if (m) { commit = m[2]; break; }
}
var imageUri = repo + "@" + digest;
return {
  definitions: [{ name: String(containerName), imageUri: imageUri }],
  variables: { IMAGE_DIGEST: digest, IMAGE_URI: imageUri, IMAGE_COMMIT: commit }
};
`;

if (TRANSFORM_BODY.includes("'")) throw new Error("TRANSFORM_BODY must not contain single quotes");

const transform = new Function("detail", "containerName", TRANSFORM_BODY) as (
  detail: unknown,
  containerName: string,
) => ImageBuildResult;

/**
 * The pure transformation: `imageDetail.json` content -> `imagedefinitions.json` entries and the
 * exported variables. Throws on a missing/invalid digest or URI.
 */
export function imageDefinitions(detail: unknown, containerName: string): ImageBuildResult {
  return transform(detail, containerName);
}

/** The Node.js program the buildspec runs: reads argv[1] (imageDetail.json), argv[2] (container). */
export function buildScript(): string {
  const lines = [
    `var fs = require("fs");`,
    `function transform(detail, containerName) {${TRANSFORM_BODY}}`,
    `var out = transform(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), process.argv[2]);`,
    `fs.writeFileSync("${IMAGE_DEFINITIONS_FILE}", JSON.stringify(out.definitions));`,
    `fs.writeFileSync("${BUILD_ENV_FILE}", Object.keys(out.variables).map(function (k) { return k + "=" + out.variables[k]; }).join("\\n") + "\\n");`,
    `console.log(JSON.stringify(out, null, 2));`,
  ];
  return lines
    .join("\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
}

/**
 * The build phase's shell commands (POSIX sh, as CodeBuild runs them; buildspec 0.2 runs a
 * phase's commands in one shell, so the sourced variables reach `exported-variables`).
 */
export function buildCommands(containerName: string): string[] {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(containerName)) {
    throw new Error(`invalid container name ${JSON.stringify(containerName)}`);
  }
  return [
    `node -e '${buildScript()}' "$CODEBUILD_SRC_DIR/${IMAGE_DETAIL_FILE}" ${containerName}`,
    `set -a && . ./${BUILD_ENV_FILE} && set +a`,
    `echo "Pinned ${containerName} to $IMAGE_URI (commit $IMAGE_COMMIT)"`,
  ];
}
