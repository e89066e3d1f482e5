import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildCommands, buildScript, imageDefinitions } from "../../src/pipeline/imagedefinitions";
import {
  imageDefinitionsBuildspec,
  renderBuildspec,
  smokeTestBuildspec,
} from "../../src/pipeline/buildspec";

const DIGEST = `sha256:${"ab12".repeat(16)}`;
const REPO = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme-shop/api";

/** What the ECR source action writes (AWS's documented imageDetail.json shape). */
const SAMPLE = {
  ImageSizeInBytes: "44728918",
  ImageDigest: DIGEST,
  Version: "1.0",
  ImagePushedAt: "Mon Jan 21 20:04:00 UTC 2026",
  RegistryId: "111111111111",
  RepositoryName: "acme-shop/api",
  ImageURI: `${REPO}@${DIGEST}`,
  ImageTags: ["release", "3f2a9c1d0e"],
};

describe("imageDefinitions (pure)", () => {
  it("pins the image to its digest and names the container", () => {
    expect(imageDefinitions(SAMPLE, "api")).toEqual({
      definitions: [{ name: "api", imageUri: `${REPO}@${DIGEST}` }],
      variables: {
        IMAGE_DIGEST: DIGEST,
        IMAGE_URI: `${REPO}@${DIGEST}`,
        IMAGE_COMMIT: "3f2a9c1d0e",
      },
    });
  });

  it("re-pins a tag-form ImageURI to the digest", () => {
    const result = imageDefinitions({ ...SAMPLE, ImageURI: `${REPO}:release` }, "api");
    expect(result.definitions[0].imageUri).toBe(`${REPO}@${DIGEST}`);
  });

  it("keeps a registry port and reads sha- prefixed commit tags", () => {
    const result = imageDefinitions(
      {
        ImageURI: "registry.local:5000/team/api:1.2",
        ImageDigest: DIGEST,
        ImageTags: ["sha-abcdef1"],
      },
      "api",
    );
    expect(result.definitions[0].imageUri).toBe(`registry.local:5000/team/api@${DIGEST}`);
    expect(result.variables.IMAGE_COMMIT).toBe("abcdef1");
  });

  it('says "unknown" when no tag names a commit', () => {
    expect(
      imageDefinitions({ ...SAMPLE, ImageTags: ["release"] }, "api").variables.IMAGE_COMMIT,
    ).toBe("unknown");
  });

  it.each([
    [{ ...SAMPLE, ImageDigest: "sha256:short" }, /ImageDigest is not a sha256 digest/],
    [{ ...SAMPLE, ImageDigest: undefined }, /ImageDigest/],
    [{ ...SAMPLE, ImageURI: "not a uri" }, /ImageURI is not a registry image URI/],
    [{ ...SAMPLE, ImageURI: "" }, /ImageURI/],
  ])("rejects a bad imageDetail.json (%#)", (detail, error) => {
    expect(() => imageDefinitions(detail, "api")).toThrow(error);
  });

  it("rejects a container name that could escape the shell word", () => {
    expect(() => buildCommands("api; rm -rf /")).toThrow(/invalid container name/);
  });

  it("embeds no single quote in the node program", () => {
    expect(buildScript()).not.toContain("'");
  });
});

describe("the buildspec's build commands, executed", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Runs the rendered buildspec's build phase in `sh`, as CodeBuild does, in a temp dir. */
  function runBuild(detail: unknown, container = "api") {
    dir = mkdtempSync(join(tmpdir(), "buildspec-"));
    writeFileSync(join(dir, "imageDetail.json"), JSON.stringify(detail));
    const spec = parse(renderBuildspec(imageDefinitionsBuildspec(container))) as {
      env: { "exported-variables": string[] };
      phases: { build: { commands: string[] } };
      artifacts: { files: string[] };
    };
    const vars = spec.env["exported-variables"];
    const script = [
      "set -e",
      ...spec.phases.build.commands,
      ...vars.map((v) => `echo "EXPORT ${v}=$${v}"`),
    ].join("\n");
    const run = spawnSync("sh", ["-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CODEBUILD_SRC_DIR: dir },
    });
    return { run, spec, dir };
  }

  it("writes a digest-pinned imagedefinitions.json and exports the variables", () => {
    const { run, spec, dir: cwd } = runBuild(SAMPLE);
    expect(run.status, run.stderr).toBe(0);
    expect(spec.artifacts.files).toEqual(["imagedefinitions.json"]);
    const written = JSON.parse(readFileSync(join(cwd, "imagedefinitions.json"), "utf8")) as unknown;
    expect(written).toEqual([{ name: "api", imageUri: `${REPO}@${DIGEST}` }]);
    expect(JSON.stringify(written)).toMatch(/@sha256:[0-9a-f]{64}"/);
    expect(run.stdout).toContain(`EXPORT IMAGE_DIGEST=${DIGEST}`);
    expect(run.stdout).toContain(`EXPORT IMAGE_URI=${REPO}@${DIGEST}`);
    expect(run.stdout).toContain("EXPORT IMAGE_COMMIT=3f2a9c1d0e");
  });

  it("matches the pure function on the same input", () => {
    const { run, dir: cwd } = runBuild({ ...SAMPLE, ImageURI: `${REPO}:release` }, "web");
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, "imagedefinitions.json"), "utf8"))).toEqual(
      imageDefinitions({ ...SAMPLE, ImageURI: `${REPO}:release` }, "web").definitions,
    );
  });

  it("fails the build (non-zero exit) on an image without a digest", () => {
    const { run } = runBuild({ ...SAMPLE, ImageDigest: "" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/ImageDigest is not a sha256 digest/);
  });
});

describe("renderBuildspec", () => {
  it("refuses Terraform template sequences in commands", () => {
    expect(() =>
      renderBuildspec({ version: "0.2", phases: { build: { commands: ["echo ${HOME}"] } } }),
    ).toThrow(/Terraform would interpolate/);
  });

  it("renders the smoke test with BASE_URL and the health check fallback", () => {
    const spec = parse(renderBuildspec(smokeTestBuildspec("api"))) as {
      phases: { build: { commands: string[] } };
    };
    expect(spec.phases.build.commands.join("\n")).toContain('"$BASE_URL$HEALTH_CHECK_PATH"');
    expect(spec.phases.build.commands.join("\n")).toContain("tests/api/smoke.sh");
  });
});
