import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs a synthesized build project's build-phase commands with `sh`, as CodeBuild does, in a
 * fresh folder holding the ECR source action's imageDetail.json for `repo@digest`. The caller
 * reads the files the build wrote in `dir`, and removes it.
 */
export function runBuildPhase(
  commands: readonly string[],
  image: { readonly repo: string; readonly digest: string },
  env: Readonly<Record<string, string>> = {},
): { readonly run: SpawnSyncReturns<string>; readonly dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "build-phase-"));
  writeFileSync(
    join(dir, "imageDetail.json"),
    JSON.stringify({
      ImageURI: `${image.repo}@${image.digest}`,
      ImageDigest: image.digest,
      ImageTags: ["release"],
    }),
  );
  const run = spawnSync("sh", ["-c", ["set -e", ...commands].join("\n")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CODEBUILD_SRC_DIR: dir, ...env },
  });
  return { run, dir };
}
