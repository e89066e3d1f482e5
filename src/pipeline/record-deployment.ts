/**
 * After each successful deploy, the pipeline tags the deployed image in ECR with
 * `deployed-<env>--<pipeline execution id>` (src/pipeline/deployment-tags.ts). The ECR lifecycle
 * policy keeps the newest images carrying each environment's tag, so the image an environment
 * runs, and the ones before it (its rollbacks), never expire however many images are pushed
 * while a release waits for approval.
 *
 * ECR adds a tag by re-putting the image's manifest under the new tag: `batch-get-image` reads the
 * manifest (exact bytes, via Node, because shell command substitution would strip a trailing
 * newline and change the digest), `put-image --image-digest` writes it back, and ECR refuses it
 * if the bytes do not hash to the deployed digest, so this can only ever tag that image.
 * `ImageAlreadyExistsException` (the tag is already on this image: a retried action) is success.
 */

/** Variables the action passes (per environment) and the project sets (per service). */
export const RECORD_VARIABLES = {
  /** `sha256:<64 hex>`: `#{Build.IMAGE_DIGEST}` */
  digest: "IMAGE_DIGEST",
  /** The environment just deployed. */
  environment: "ENVIRONMENT",
  /** `#{codepipeline.PipelineExecutionId}` */
  executionId: "EXECUTION_ID",
  /** The service's ECR repository (project variable). */
  repository: "REPOSITORY_NAME",
  /**
   * `deployed` (default): the deployment tag above. `candidate`: `candidate--<execution id>`,
   * the exact image the Amazon Inspector scan reads (its action takes a tag, not a digest, and
   * the release tag may move to a newer push while the execution runs).
   */
  purpose: "PURPOSE",
} as const;

/** Prefix of the tags the scan reads; the ECR lifecycle expires images that only carry these. */
export const CANDIDATE_TAG_PREFIX = "candidate--";

/** `candidate--<pipeline execution id>`: the tag the image scan reads. */
export function candidateTag(executionId: string): string {
  return `${CANDIDATE_TAG_PREFIX}${executionId}`;
}

/** Every manifest type ECR stores; multi-platform images are indexes (manifest lists). */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
] as const;

/*
 * Reads batch-get-image's JSON (argv[1]), writes the manifest's exact text to argv[2] and prints
 * its media type. ES5 and free of single quotes: it is embedded in a single-quoted shell word.
 */
const EXTRACT_MANIFEST = [
  `var fs = require("fs");`,
  `var out = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));`,
  `var images = out.images || [];`,
  `if (images.length !== 1 || !images[0].imageManifest) {`,
  `  console.error("batch-get-image found no manifest: " + JSON.stringify(out.failures || out));`,
  `  process.exit(1);`,
  `}`,
  `fs.writeFileSync(process.argv[2], images[0].imageManifest);`,
  `console.log(images[0].imageManifestMediaType || "");`,
]
  .map((l) => l.trim())
  .join(" ");

if (EXTRACT_MANIFEST.includes("'")) throw new Error("EXTRACT_MANIFEST must not contain quotes");

/** Files the commands write in the build's working directory. */
export const RECORD_FILES = {
  image: "deployed-image.json",
  manifest: "deployed-manifest.json",
  error: "put-image.err",
} as const;

/**
 * The build phase's shell commands (POSIX sh; buildspec 0.2 runs a phase's commands in one
 * shell). Every input is checked against a strict pattern before it reaches the AWS CLI.
 */
export function recordDeploymentCommands(): string[] {
  const v = RECORD_VARIABLES;
  const f = RECORD_FILES;
  const fail = (message: string) => `{ echo "${message}" >&2; exit 1; }`;
  return [
    `printf "%s" "$${v.digest}" | grep -Eq "^sha256:[0-9a-f]{64}$" || ${fail(`${v.digest} is not a sha256 digest: $${v.digest}`)}`,
    `[ "$${v.purpose}" = candidate ] || printf "%s" "$${v.environment}" | grep -Eq "^[a-z][a-z0-9-]*[a-z0-9]$" || ${fail(`${v.environment} is not an environment name: $${v.environment}`)}`,
    `printf "%s" "$${v.repository}" | grep -Eq "^[a-z0-9._/-]+$" || ${fail(`${v.repository} is not a repository name: $${v.repository}`)}`,
    `KIND="$${v.purpose}"; [ -n "$KIND" ] || KIND=deployed`,
    `if [ "$KIND" = candidate ]; then DEPLOYED_TAG="candidate--$${v.executionId}"; elif [ "$KIND" = deployed ]; then DEPLOYED_TAG="deployed-$${v.environment}--$${v.executionId}"; else ${fail(`${v.purpose} must be deployed or candidate: $KIND`)}; fi`,
    `printf "%s" "$DEPLOYED_TAG" | grep -Eq "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" || ${fail("not a valid ECR tag: $DEPLOYED_TAG")}`,
    `aws ecr batch-get-image --repository-name "$${v.repository}" --image-ids imageDigest="$${v.digest}" --accepted-media-types ${MANIFEST_MEDIA_TYPES.join(" ")} --output json > ${f.image}`,
    `MEDIA_TYPE=$(node -e '${EXTRACT_MANIFEST}' ${f.image} ${f.manifest})`,
    `if aws ecr put-image --repository-name "$${v.repository}" --image-digest "$${v.digest}" --image-tag "$DEPLOYED_TAG" --image-manifest file://${f.manifest} --image-manifest-media-type "$MEDIA_TYPE" --output json > /dev/null 2> ${f.error}; then echo "Tagged $${v.repository}@$${v.digest} as $DEPLOYED_TAG"; elif grep -q ImageAlreadyExistsException ${f.error}; then echo "$${v.repository}@$${v.digest} is already tagged $DEPLOYED_TAG"; else cat ${f.error} >&2; exit 1; fi`,
  ];
}
