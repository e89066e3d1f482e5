import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { recordDeploymentBuildspec, renderBuildspec } from "../../src/pipeline/buildspec";
import {
  deployedTag,
  deployedTagPrefix,
  deployedTagPrefixesByPriority,
} from "../../src/pipeline/deployment-tags";
import { candidateTag, MANIFEST_MEDIA_TYPES } from "../../src/pipeline/record-deployment";

const DIGEST = `sha256:${"ab12".repeat(16)}`;
const EXECUTION = "0f9b3c2e-7a41-4d2b-9c8e-5b6a7d8e9f01";
/** A manifest as docker writes it: pretty-printed, ending in a newline (the bytes matter). */
const MANIFEST =
  JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPES[3] }, null, 3) + "\n";

/**
 * A fake `aws` on PATH: records each call's arguments (one per line, calls separated by "--"),
 * answers batch-get-image from $FAKE_IMAGE, and makes put-image fail with $FAKE_PUT_ERROR.
 */
const FAKE_AWS = `#!/bin/sh
for a in "$@"; do printf "%s\\n" "$a" >> "$FAKE_LOG"; done
echo "--" >> "$FAKE_LOG"
case "$2" in
  batch-get-image) cat "$FAKE_IMAGE" ;;
  put-image)
    for a in "$@"; do case "$a" in file://*) cp "\${a#file://}" "$FAKE_DIR/put-manifest" ;; esac; done
    if [ -n "$FAKE_PUT_ERROR" ]; then echo "$FAKE_PUT_ERROR" >&2; exit 254; fi
    echo "{}" ;;
esac
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[][];
  putManifest?: string;
}

describe("the record-deployment buildspec, executed with a fake aws", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function run(
    env: Record<string, string>,
    image: unknown = {
      images: [
        {
          registryId: "111111111111",
          repositoryName: "acme-shop/api",
          imageId: { imageDigest: DIGEST },
          imageManifest: MANIFEST,
          imageManifestMediaType: MANIFEST_MEDIA_TYPES[3],
        },
      ],
      failures: [],
    },
  ): Run {
    dir = mkdtempSync(join(tmpdir(), "record-deployment-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "aws"), FAKE_AWS);
    chmodSync(join(bin, "aws"), 0o755);
    writeFileSync(join(dir, "image.json"), JSON.stringify(image));
    const spec = parse(renderBuildspec(recordDeploymentBuildspec())) as {
      phases: { build: { commands: string[] } };
    };
    const result = spawnSync("sh", ["-c", ["set -e", ...spec.phases.build.commands].join("\n")], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        FAKE_LOG: join(dir, "calls"),
        FAKE_IMAGE: join(dir, "image.json"),
        FAKE_DIR: dir,
        FAKE_PUT_ERROR: "",
        PURPOSE: "",
        IMAGE_DIGEST: DIGEST,
        ENVIRONMENT: "production",
        EXECUTION_ID: EXECUTION,
        REPOSITORY_NAME: "acme-shop/api",
        ...env,
      },
    });
    let calls: string[][] = [];
    let putManifest: string | undefined;
    try {
      calls = readFileSync(join(dir, "calls"), "utf8")
        .split("--\n")
        .filter(Boolean)
        .map((c) => c.split("\n").filter(Boolean));
      putManifest = readFileSync(join(dir, "put-manifest"), "utf8");
    } catch {
      // no call made
    }
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls,
      putManifest,
    };
  }

  it("reads the manifest by digest and re-puts it, byte for byte, under the deployment tag", () => {
    const r = run({});
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls).toEqual([
      [
        "ecr",
        "batch-get-image",
        "--repository-name",
        "acme-shop/api",
        "--image-ids",
        `imageDigest=${DIGEST}`,
        "--accepted-media-types",
        ...MANIFEST_MEDIA_TYPES,
        "--output",
        "json",
      ],
      [
        "ecr",
        "put-image",
        "--repository-name",
        "acme-shop/api",
        "--image-digest",
        DIGEST,
        "--image-tag",
        `deployed-production--${EXECUTION}`,
        "--image-manifest",
        "file://deployed-manifest.json",
        "--image-manifest-media-type",
        MANIFEST_MEDIA_TYPES[3],
        "--output",
        "json",
      ],
    ]);
    expect(r.putManifest).toBe(MANIFEST);
    expect(r.stdout).toContain(
      `Tagged acme-shop/api@${DIGEST} as deployed-production--${EXECUTION}`,
    );
  });

  it("writes the tag the lifecycle policy protects", () => {
    const r = run({ ENVIRONMENT: "staging" });
    expect(r.status, r.stderr).toBe(0);
    const tag = r.calls[1][r.calls[1].indexOf("--image-tag") + 1];
    expect(tag).toBe(deployedTag("staging", EXECUTION));
    expect(tag.startsWith(deployedTagPrefix("staging"))).toBe(true);
    expect(tag.length).toBeLessThanOrEqual(128);
  });

  it("treats ImageAlreadyExistsException (a retried action) as success", () => {
    const r = run({
      FAKE_PUT_ERROR:
        "An error occurred (ImageAlreadyExistsException) when calling the PutImage operation: Image with digest ... and tag ... already exists",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("is already tagged");
  });

  it("fails on any other put-image error and shows it", () => {
    const r = run({
      FAKE_PUT_ERROR:
        "An error occurred (AccessDeniedException) when calling the PutImage operation",
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("AccessDeniedException");
  });

  it("tags the scan's candidate `candidate--<execution id>`, the same bytes by digest", () => {
    const r = run({ PURPOSE: "candidate", ENVIRONMENT: "" });
    expect(r.status, r.stderr).toBe(0);
    const put = r.calls[1];
    expect(put[put.indexOf("--image-tag") + 1]).toBe(candidateTag(EXECUTION));
    expect(put[put.indexOf("--image-digest") + 1]).toBe(DIGEST);
    expect(r.putManifest).toBe(MANIFEST);
    // Not a deployment: the lifecycle policy's deployed-<env> rules never count it.
    expect(candidateTag(EXECUTION).startsWith("deployed-")).toBe(false);
  });

  it("fails when ECR returns no image for the digest", () => {
    const r = run({}, { images: [], failures: [{ failureCode: "ImageNotFound" }] });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("ImageNotFound");
    expect(r.calls).toHaveLength(1);
  });

  it.each([
    [{ IMAGE_DIGEST: "sha256:short" }, /IMAGE_DIGEST is not a sha256 digest/],
    [{ IMAGE_DIGEST: "" }, /IMAGE_DIGEST/],
    [{ ENVIRONMENT: "prod; rm -rf /" }, /ENVIRONMENT is not an environment name/],
    [{ REPOSITORY_NAME: "a b" }, /REPOSITORY_NAME is not a repository name/],
    [{ EXECUTION_ID: "x".repeat(120) }, /not a valid ECR tag/],
    [{ EXECUTION_ID: "bad;id" }, /not a valid ECR tag/],
    [{ PURPOSE: "latest" }, /PURPOSE must be deployed or candidate: latest/],
  ])("refuses bad input before calling AWS (%#)", (env, error) => {
    const r = run(env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(error);
    expect(r.calls).toEqual([]);
  });
});

describe("deployment tags", () => {
  it("are unambiguous per environment (prod is no prefix of prod-eu)", () => {
    expect(deployedTagPrefix("prod")).toBe("deployed-prod--");
    expect(deployedTag("prod-eu", EXECUTION).startsWith(deployedTagPrefix("prod"))).toBe(false);
    expect(() => deployedTagPrefix("Prod")).toThrow(/invalid environment/);
  });

  it("fit ECR's 128 characters with the longest environment name and a UUID", () => {
    expect(deployedTag("a".repeat(12), EXECUTION).length).toBeLessThanOrEqual(128);
    expect(() => deployedTag("staging", "x".repeat(120))).toThrow(/invalid ECR image tag/);
  });

  it("are protected last promotion environment first", () => {
    expect(deployedTagPrefixesByPriority(["dev", "staging", "production"])).toEqual([
      "deployed-production--",
      "deployed-staging--",
      "deployed-dev--",
    ]);
  });
});
