import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { releaseNotesBuildspec, renderBuildspec } from "../../src/pipeline/buildspec";
import { releaseNotes, type ReleaseInputs } from "../../src/pipeline/release-notes";

/*
 * What the approver sees: the commit production runs, the candidate's, and the GitHub compare
 * link between them; "first release" when production runs nothing yet. Production's image is
 * the one the newest execution tagged deployed-production--<id> (a rollback re-tags the image it
 * restores), whatever older tags say.
 */

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const CANDIDATE = digest("c");
const INPUTS: ReleaseInputs = {
  targetEnvironment: "production",
  candidateDigest: CANDIDATE,
  candidateCommit: "cccccccccccccccccccccccccccccccccccccccc",
  sourceRepository: "acme-shop/shop-app",
  testedUrl: "https://api.staging.acme-shop.example.com",
};
const images = (...details: { d: string; tags: string[] }[]) => ({
  imageDetails: details.map((x) => ({ imageDigest: x.d, imageTags: x.tags })),
});
/**
 * Executions that succeeded in the target's Deploy stage, newest first, as
 * `list-pipeline-executions --filter succeededInStage=...` returns them. `id>target` is a
 * rollback execution to `target`.
 */
const executions = (...ids: string[]) => ({
  pipelineExecutionSummaries: ids.map((id) => {
    const [own, target] = id.split(">");
    return target
      ? {
          pipelineExecutionId: own,
          executionType: "ROLLBACK",
          rollbackMetadata: { rollbackTargetPipelineExecutionId: target },
        }
      : { pipelineExecutionId: own, executionType: "STANDARD" };
  }),
});

describe("release notes", () => {
  it("says a first release is one, and links the tested environment instead of a compare", () => {
    const notes = releaseNotes(
      images({ d: CANDIDATE, tags: ["release", "deployed-staging--e2"] }),
      executions(),
      INPUTS,
    );
    expect(notes).toEqual({
      PRODUCTION_DIGEST: "none",
      PRODUCTION_COMMIT: "none",
      CHANGE_LINK: "https://api.staging.acme-shop.example.com",
      CHANGE_SUMMARY: "first release to production (nothing deployed there yet)",
    });
  });

  it("links the compare view from production's commit to the candidate's", () => {
    const notes = releaseNotes(
      images(
        { d: CANDIDATE, tags: ["release", "cccccccccccccccccccccccccccccccccccccccc"] },
        { d: digest("a"), tags: ["sha-aaaaaaa", "deployed-production--e1"] },
      ),
      executions("e1"),
      INPUTS,
    );
    expect(notes.PRODUCTION_COMMIT).toBe("aaaaaaa");
    expect(notes.PRODUCTION_DIGEST).toBe(digest("a"));
    expect(notes.CHANGE_LINK).toBe(
      "https://github.com/acme-shop/shop-app/compare/aaaaaaa...cccccccccccccccccccccccccccccccccccccccc",
    );
    expect(notes.CHANGE_SUMMARY).toBe("production runs aaaaaaa; this release is cccccccccccc");
  });

  it("after a rollback, names the image the rollback restored, not the one it replaced", () => {
    const notes = releaseNotes(
      images(
        { d: digest("a"), tags: ["aaaaaaa", "deployed-production--e1"] },
        // e3 deployed b and recorded it, then its bake failed: e4 rolled back to e1.
        { d: digest("b"), tags: ["bbbbbbb", "deployed-production--e3"] },
      ),
      executions("e4>e1", "e1"),
      INPUTS,
    );
    expect(notes.PRODUCTION_COMMIT).toBe("aaaaaaa");
    expect(notes.PRODUCTION_DIGEST).toBe(digest("a"));
  });

  it("says when it cannot find the image production's execution deployed", () => {
    const notes = releaseNotes(
      images({ d: digest("a"), tags: ["aaaaaaa", "deployed-production-eu--e1"] }),
      executions("e1"),
      INPUTS,
    );
    expect(notes.PRODUCTION_DIGEST).toBe("unknown");
    expect(notes.CHANGE_SUMMARY).toBe(
      "production runs the image of execution e1 (no deployed tag found in ECR)",
    );
    expect(notes.CHANGE_LINK).toBe(INPUTS.testedUrl);
  });

  it("says so when the commits cannot be compared, or are the same", () => {
    const unknown = releaseNotes(
      images({ d: digest("a"), tags: ["latest", "deployed-production--e1"] }),
      executions("e1"),
      INPUTS,
    );
    expect(unknown.PRODUCTION_COMMIT).toBe("unknown");
    expect(unknown.CHANGE_LINK).toBe(INPUTS.testedUrl);
    expect(unknown.CHANGE_SUMMARY).toMatch(
      /^production runs sha256:aaaaaaaaaaaa \(commit unknown\)/,
    );

    const same = releaseNotes(
      images({ d: digest("a"), tags: ["cccccccccccc", "deployed-production--e1"] }),
      executions("e1"),
      { ...INPUTS, candidateCommit: "cccccccccccc" },
    );
    expect(same.CHANGE_SUMMARY).toBe("same commit cccccccccccc as production (image rebuilt)");
    expect(same.CHANGE_LINK).toBe("https://github.com/acme-shop/shop-app/commit/cccccccccccc");

    const already = releaseNotes(
      images({ d: CANDIDATE, tags: ["deployed-production--e1"] }),
      executions("e1"),
      INPUTS,
    );
    expect(already.CHANGE_SUMMARY).toBe("production already runs this image");
  });

  it.each([
    [{ candidateDigest: "sha256:short" }, /invalid candidate digest/],
    [{ sourceRepository: "acme; rm -rf /" }, /invalid source repository/],
    [{ testedUrl: "http://plain.example.com" }, /invalid tested URL/],
    [{ targetEnvironment: "Prod" }, /invalid target environment/],
  ])("refuses unsafe input %j", (bad, message) => {
    expect(() => releaseNotes(images(), executions(), { ...INPUTS, ...bad })).toThrow(message);
  });
});

/** A fake `aws` answering describe-images and list-pipeline-executions from files. */
const FAKE_AWS = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
case "$1 $2" in
  "ecr describe-images") cat "$FAKE_DIR/fixture-images.json" ;;
  "codepipeline list-pipeline-executions") cat "$FAKE_DIR/fixture-executions.json" ;;
esac
`;

describe("the release-notes buildspec, executed", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const run = (imageData: unknown, executionData: unknown) => {
    dir = mkdtempSync(join(tmpdir(), "release-notes-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "aws"), FAKE_AWS);
    chmodSync(join(dir, "bin", "aws"), 0o755);
    writeFileSync(join(dir, "fixture-images.json"), JSON.stringify(imageData));
    writeFileSync(join(dir, "fixture-executions.json"), JSON.stringify(executionData));
    const spec = parse(renderBuildspec(releaseNotesBuildspec())) as {
      env: { "exported-variables": string[] };
      phases: { build: { commands: string[] } };
    };
    const exported = spec.env["exported-variables"];
    // CodeBuild runs a phase's commands in one shell, then reads the exported variables.
    const script = [
      "set -e",
      ...spec.phases.build.commands,
      ...exported.map((v) => `printf "%s=%s\\n" "${v}" "$${v}" >> exported.txt`),
    ].join("\n");
    const result = spawnSync("sh", ["-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
        FAKE_DIR: dir,
        REPOSITORY_NAME: "acme-shop/api",
        PIPELINE_NAME: "acme-shop-api-delivery",
        TARGET_ENVIRONMENT: "production",
        CANDIDATE_DIGEST: CANDIDATE,
        CANDIDATE_COMMIT: INPUTS.candidateCommit,
        SOURCE_REPOSITORY: INPUTS.sourceRepository,
        TESTED_URL: INPUTS.testedUrl,
      },
    });
    const read = (file: string) => {
      try {
        return readFileSync(join(dir as string, file), "utf8");
      } catch {
        return "";
      }
    };
    const variables = Object.fromEntries(
      read("exported.txt")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { ...result, variables, calls: read("calls") };
  };

  it("exports production's commit and the compare link", () => {
    const r = run(
      images({ d: digest("a"), tags: ["aaaaaaa", "deployed-production--e1"] }),
      executions("e1"),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.variables).toEqual({
      PRODUCTION_DIGEST: digest("a"),
      PRODUCTION_COMMIT: "aaaaaaa",
      CHANGE_LINK: `https://github.com/acme-shop/shop-app/compare/aaaaaaa...${INPUTS.candidateCommit}`,
      CHANGE_SUMMARY: "production runs aaaaaaa; this release is cccccccccccc",
    });
    expect(r.calls).toContain(
      "ecr describe-images --repository-name acme-shop/api --filter tagStatus=TAGGED",
    );
    expect(r.calls).toContain(
      "codepipeline list-pipeline-executions --pipeline-name acme-shop-api-delivery --filter succeededInStage={stageName=Deploy-production} --max-items 5",
    );
  });

  it("exports a first release as such", () => {
    const r = run(images(), executions());
    expect(r.status, r.stderr).toBe(0);
    expect(r.variables.PRODUCTION_COMMIT).toBe("none");
    expect(r.variables.CHANGE_SUMMARY).toBe(
      "first release to production (nothing deployed there yet)",
    );
    expect(r.variables.CHANGE_LINK).toBe(INPUTS.testedUrl);
  });

  it("fails the action, not the approval text, on a malformed answer", () => {
    const r = run(
      images({ d: "sha256:nothex", tags: ["deployed-production--e1"] }),
      executions("e1"),
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("invalid production digest");
  });
});
