/**
 * Before the approval: what the approver is asked to release, next to what production runs now.
 *
 * What production runs is the artifact of the NEWEST execution that SUCCEEDED in its Deploy
 * stage (`list-pipeline-executions --filter succeededInStage`, newest first): a failed deploy or
 * a failed bake does not count, and a rollback execution counts as the execution it rolled back
 * to (its `rollbackMetadata.rollbackTargetPipelineExecutionId`), whose image it redeployed. That
 * execution's record step tagged the image `deployed-<env>--<execution id>`
 * (src/pipeline/record-deployment.ts); its commit is read from its git-SHA tag (the same rule as
 * the Build stage's IMAGE_COMMIT). With no such execution the notes say it is the first release,
 * instead of linking a broken compare.
 *
 * As in imagedefinitions.ts, the logic is one JavaScript source (`NOTES_BODY`): the typed
 * function and the buildspec's `node -e` program run the same code.
 */

/** The Build stage's view of the candidate and where the change lives. */
export interface ReleaseInputs {
  /** The environment the approval releases to (the last of the promotion). */
  readonly targetEnvironment: string;
  /** `sha256:<hex>` */
  readonly candidateDigest: string;
  /** The candidate's commit, or "unknown". */
  readonly candidateCommit: string;
  /** `owner/repo` of the application's GitHub repository. */
  readonly sourceRepository: string;
  /** The service's URL in the environment it was tested in. */
  readonly testedUrl: string;
}

/** Variables the action exports (namespace `Release`) for the approval. */
export interface ReleaseNotes {
  /** `sha256:<hex>`, "none" on the first release, "unknown" when its tag is missing. */
  readonly PRODUCTION_DIGEST: string;
  /** A commit, "unknown" (no SHA tag) or "none" (first release). */
  readonly PRODUCTION_COMMIT: string;
  /** The GitHub compare view between the two commits, else the tested environment's URL. */
  readonly CHANGE_LINK: string;
  /** One line for the approval mail. */
  readonly CHANGE_SUMMARY: string;
}

export const RELEASE_VARIABLES: readonly (keyof ReleaseNotes)[] = [
  "PRODUCTION_DIGEST",
  "PRODUCTION_COMMIT",
  "CHANGE_LINK",
  "CHANGE_SUMMARY",
];

/** Environment variables the project reads (set by the action or the project). */
export const RELEASE_ENV = {
  repository: "REPOSITORY_NAME",
  pipeline: "PIPELINE_NAME",
  target: "TARGET_ENVIRONMENT",
  digest: "CANDIDATE_DIGEST",
  commit: "CANDIDATE_COMMIT",
  source: "SOURCE_REPOSITORY",
  testedUrl: "TESTED_URL",
} as const;

export const RELEASE_FILES = {
  images: "images.json",
  executions: "executions.json",
  env: "release.env",
} as const;

/*
 * Body of `function (images, executions, inputs)`: `images` is describe-images' JSON,
 * `executions` list-pipeline-executions' JSON. ES5, no single quotes (embedded in a single-quoted
 * shell word). Every emitted value is checked against a strict pattern: the env file it writes
 * is sourced, and the values end up in the approval mail.
 */
const NOTES_BODY = `
var hex = /^[0-9a-f]{7,40}$/;
var digestPattern = /^sha256:[0-9a-f]{64}$/;
if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(String(inputs.targetEnvironment))) {
  throw new Error("invalid target environment: " + inputs.targetEnvironment);
}
if (!digestPattern.test(String(inputs.candidateDigest))) {
  throw new Error("invalid candidate digest: " + inputs.candidateDigest);
}
if (!/^[A-Za-z0-9_.-]+[/][A-Za-z0-9_.-]+$/.test(String(inputs.sourceRepository))) {
  throw new Error("invalid source repository: " + inputs.sourceRepository);
}
if (!/^https:[/][/][a-z0-9.-]+(:[0-9]+)?([/][A-Za-z0-9._~/-]*)?$/.test(String(inputs.testedUrl))) {
  throw new Error("invalid tested URL: " + inputs.testedUrl);
}
var candidateCommit = hex.test(String(inputs.candidateCommit)) ? String(inputs.candidateCommit) : "unknown";
function commitOf(tags) {
  for (var i = 0; i < tags.length; i++) {
    var m = /^(sha-)?([0-9a-f]{7,40})$/.exec(String(tags[i]));
    if (m) { return m[2]; }
  }
  return "unknown";
}
var prefix = "deployed-" + inputs.targetEnvironment + "--";
var byExecution = {};
var details = (images && images.imageDetails) || [];
for (var i = 0; i < details.length; i++) {
  var tags = details[i].imageTags || [];
  for (var j = 0; j < tags.length; j++) {
    if (String(tags[j]).indexOf(prefix) === 0) {
      byExecution[String(tags[j]).slice(prefix.length)] = details[i];
    }
  }
}
var summaries = (executions && executions.pipelineExecutionSummaries) || [];
var latest = summaries.length ? summaries[0] : null;
var productionId = null;
if (latest) {
  productionId = latest.executionType === "ROLLBACK" && latest.rollbackMetadata
    ? String(latest.rollbackMetadata.rollbackTargetPipelineExecutionId || "")
    : String(latest.pipelineExecutionId || "");
}
var production = productionId ? byExecution[productionId] : null;
var base = "https://github.com/" + inputs.sourceRepository;
var notes;
if (latest && !production) {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(productionId || "")) { throw new Error("invalid execution id: " + productionId); }
  notes = {
    PRODUCTION_DIGEST: "unknown",
    PRODUCTION_COMMIT: "unknown",
    CHANGE_LINK: String(inputs.testedUrl),
    CHANGE_SUMMARY: inputs.targetEnvironment + " runs the image of execution " + productionId + " (no deployed tag found in ECR)"
  };
} else if (!production) {
  notes = {
    PRODUCTION_DIGEST: "none",
    PRODUCTION_COMMIT: "none",
    CHANGE_LINK: String(inputs.testedUrl),
    CHANGE_SUMMARY: "first release to " + inputs.targetEnvironment + " (nothing deployed there yet)"
  };
} else {
  var digest = String(production.imageDigest);
  if (!digestPattern.test(digest)) { throw new Error("invalid production digest: " + digest); }
  var commit = commitOf(production.imageTags || []);
  var link = String(inputs.testedUrl);
  var summary;
  if (digest === inputs.candidateDigest) {
    summary = inputs.targetEnvironment + " already runs this image";
  } else if (commit === "unknown" || candidateCommit === "unknown") {
    summary = inputs.targetEnvironment + " runs " + digest.slice(0, 19) + " (commit " + commit + "); candidate commit " + candidateCommit;
  } else if (commit === candidateCommit) {
    summary = "same commit " + commit.slice(0, 12) + " as " + inputs.targetEnvironment + " (image rebuilt)";
    link = base + "/commit/" + commit;
  } else {
    summary = inputs.targetEnvironment + " runs " + commit.slice(0, 12) + "; this release is " + candidateCommit.slice(0, 12);
    link = base + "/compare/" + commit + "..." + candidateCommit;
  }
  notes = { PRODUCTION_DIGEST: digest, PRODUCTION_COMMIT: commit, CHANGE_LINK: link, CHANGE_SUMMARY: summary };
}
if (!/^[A-Za-z0-9 .,:()_;-]+$/.test(notes.CHANGE_SUMMARY)) { throw new Error("unsafe summary: " + notes.CHANGE_SUMMARY); }
if (!/^https:[/][/][A-Za-z0-9._~:/-]+$/.test(notes.CHANGE_LINK)) { throw new Error("unsafe link: " + notes.CHANGE_LINK); }
return notes;
`;

if (NOTES_BODY.includes("'")) throw new Error("NOTES_BODY must not contain single quotes");

const notesFunction = new Function("images", "executions", "inputs", NOTES_BODY) as (
  images: unknown,
  executions: unknown,
  inputs: ReleaseInputs,
) => ReleaseNotes;

/** The pure step: ECR's and CodePipeline's answers -> the notes. Throws on unsafe input. */
export function releaseNotes(
  images: unknown,
  executions: unknown,
  inputs: ReleaseInputs,
): ReleaseNotes {
  return notesFunction(images, executions, inputs);
}

/** The Node.js program: argv[1] images.json, argv[2] executions.json; inputs from the env. */
function notesScript(): string {
  const e = RELEASE_ENV;
  return [
    `var fs = require("fs");`,
    `function notes(images, executions, inputs) {${NOTES_BODY}}`,
    `var env = process.env;`,
    `var out = notes(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), JSON.parse(fs.readFileSync(process.argv[2], "utf8")), { targetEnvironment: env.${e.target}, candidateDigest: env.${e.digest}, candidateCommit: env.${e.commit}, sourceRepository: env.${e.source}, testedUrl: env.${e.testedUrl} });`,
    // Values are pattern-checked above; the double quotes keep the spaces of the summary.
    `fs.writeFileSync("${RELEASE_FILES.env}", Object.keys(out).map(function (k) { return k + "=\\"" + out[k] + "\\""; }).join("\\n") + "\\n");`,
    `console.log(JSON.stringify(out, null, 2));`,
  ]
    .join("\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
}

/** The build phase's shell commands (POSIX sh; one shell per phase, so the variables export). */
export function releaseNotesCommands(): string[] {
  const e = RELEASE_ENV;
  const f = RELEASE_FILES;
  return [
    `printf "%s" "$${e.target}" | grep -Eq "^[a-z][a-z0-9-]*[a-z0-9]$" || { echo "${e.target} is not an environment name: $${e.target}" >&2; exit 1; }`,
    `aws ecr describe-images --repository-name "$${e.repository}" --filter tagStatus=TAGGED --output json > ${f.images}`,
    `aws codepipeline list-pipeline-executions --pipeline-name "$${e.pipeline}" --filter "succeededInStage={stageName=Deploy-$${e.target}}" --max-items 5 --output json > ${f.executions}`,
    `node -e '${notesScript()}' ${f.images} ${f.executions}`,
    `set -a && . ./${f.env} && set +a`,
  ];
}
