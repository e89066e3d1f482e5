import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { DEPLOY_CONFIG_SEED, zipFolder } from "../../src/pipeline/deploy-config-seed";
import { exampleConfig } from "../helpers/config";
import { resources, synthPipeline } from "./fixtures";

interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  /** Unix mode from the external attributes, when the entry was made on Unix. */
  readonly mode?: number;
}

/**
 * Reads a zip as CodePipeline's S3 source hands it to CodeBuild, from PKZIP's APPNOTE layout
 * (end of central directory -> central directory -> local headers), with zlib only: a reader
 * independent of the library that wrote it.
 */
function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, "end of central directory").toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at), "central directory header").toBe(0x02014b50);
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const attributes = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(local), `local header of ${name}`).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length, `${name} size`).toBe(size);
    entries.push({ name, data, mode: madeBy === 3 ? (attributes >>> 16) & 0o777 : undefined });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Path ("/"-separated) -> content of every file under `dir`. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [
        relative(dir, join(e.parentPath, e.name)).split("\\").join("/"),
        readFileSync(join(e.parentPath, e.name), "utf8"),
      ]),
  );
}

describe("the S3 config source's seed", () => {
  const config = exampleConfig((c) => {
    c.pipeline.configSource = { type: "s3" };
  });

  it("is examples/deploy-config zipped into the stack, under the key the pipelines read", () => {
    const stack = synthPipeline(config).stacks.pipeline;
    const [seed] = Object.values(resources(stack, "aws_s3_object"));
    expect(seed).toMatchObject({
      key: "deploy-config.zip",
      content_type: "application/zip",
      // Encrypted with the pipeline's own key, as the bucket's default encryption does.
      server_side_encryption: "aws:kms",
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/),
      // Created once; afterwards the operator's uploads are never put back to the example.
      lifecycle: { ignore_changes: "all" },
    });
    // Nothing next to the stack: the content is in the stack (an HCP run uploads nothing else).
    expect(seed.source).toBeUndefined();
    const entries = readZip(Buffer.from(seed.content_base64 as string, "base64"));
    expect(Object.fromEntries(entries.map((e) => [e.name, e.data.toString("utf8")]))).toEqual(
      filesOf(DEPLOY_CONFIG_SEED),
    );
    // The smoke tests stay executable once unzipped.
    expect(entries.find((e) => e.name === "tests/example/smoke.sh")?.mode).toBe(0o755);
    expect(entries.find((e) => e.name === "README.md")?.mode).toBe(0o644);
  });
});

describe("zipFolder", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("gives the same bytes for the same files, whenever they were checked out", () => {
    dir = mkdtempSync(join(tmpdir(), "zip-folder-"));
    cpSync(DEPLOY_CONFIG_SEED, dir, { recursive: true });
    for (const file of Object.keys(filesOf(dir))) {
      utimesSync(join(dir, file), new Date(2031, 5, 7), new Date(2031, 5, 7));
    }
    expect(zipFolder(dir).equals(zipFolder(DEPLOY_CONFIG_SEED))).toBe(true);
    // Whether a file is executable is part of the content.
    chmodSync(join(dir, "README.md"), 0o755);
    expect(zipFolder(dir).equals(zipFolder(DEPLOY_CONFIG_SEED))).toBe(false);
  });

  it("refuses a folder without files instead of seeding an empty archive", () => {
    dir = mkdtempSync(join(tmpdir(), "zip-folder-"));
    expect(() => zipFolder(dir as string)).toThrow(/zip-folder-.*: no files to zip/);
  });
});
