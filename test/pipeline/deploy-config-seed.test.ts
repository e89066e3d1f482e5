import { randomBytes } from "node:crypto";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEPLOY_CONFIG_SEED,
  SEED_MAX_BYTES,
  zipFolder,
} from "../../src/pipeline/deploy-config-seed";
import { exampleConfig } from "../helpers/config";
import { resources, synthPipeline } from "./fixtures";

interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  /** Unix mode from the external attributes, when the entry was made on Unix. */
  readonly mode?: number;
  /** The modification time and date fields, as MS-DOS packs them. */
  readonly dosTime: number;
  readonly dosDate: number;
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
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
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
    entries.push({
      name,
      data,
      mode: madeBy === 3 ? (attributes >>> 16) & 0o777 : undefined,
      dosTime,
      dosDate,
    });
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
    // Every entry dated 1980-01-01 00:00 (date: (1980 - 1980) << 9 | 1 << 5 | 1; time: 0).
    for (const e of entries) expect([e.name, e.dosDate, e.dosTime]).toEqual([e.name, 0x21, 0]);
  });
});

describe("zipFolder", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const copy = (): string => {
    dir = mkdtempSync(join(tmpdir(), "zip-folder-"));
    cpSync(DEPLOY_CONFIG_SEED, dir, { recursive: true });
    return dir;
  };

  it("gives the same bytes for the same files, whenever and wherever they were checked out", () => {
    const seed = zipFolder(DEPLOY_CONFIG_SEED);
    const other = copy();
    for (const file of Object.keys(filesOf(other))) {
      utimesSync(join(other, file), new Date(2031, 5, 7), new Date(2031, 5, 7));
    }
    // A checkout without executable bits (Windows), and the leftovers of an editor or desktop.
    chmodSync(join(other, "tests", "example", "smoke.sh"), 0o644);
    chmodSync(join(other, "README.md"), 0o755);
    writeFileSync(join(other, ".DS_Store"), "desktop");
    writeFileSync(join(other, "tests", ".smoke.sh.swp"), "editor");
    mkdirSync(join(other, ".git"));
    writeFileSync(join(other, ".git", "HEAD"), "ref: refs/heads/main");
    expect(zipFolder(other).equals(seed)).toBe(true);
    // In any time zone (the zip's times are local).
    const zone = process.env.TZ;
    try {
      for (const tz of ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"]) {
        process.env.TZ = tz;
        expect(zipFolder(other).equals(seed), tz).toBe(true);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // Content is what counts.
    writeFileSync(join(other, "README.md"), "changed");
    expect(zipFolder(other).equals(seed)).toBe(false);
  });

  it("refuses a folder without files instead of seeding an empty archive", () => {
    dir = mkdtempSync(join(tmpdir(), "zip-folder-"));
    expect(() => zipFolder(dir as string)).toThrow(/zip-folder-.*: no files to zip/);
  });

  it("refuses a symbolic link instead of following it", () => {
    const other = copy();
    symlinkSync(other, join(other, "tests", "loop"));
    expect(() => zipFolder(other)).toThrow(/tests\/loop: a symbolic link/);
    rmSync(join(other, "tests", "loop"));
    symlinkSync(join(other, "README.md"), join(other, "NOTES.md"));
    expect(() => zipFolder(other)).toThrow(/NOTES\.md: a symbolic link/);
  });

  it("refuses more than a seed may carry in the stack", () => {
    const other = copy();
    writeFileSync(join(other, "data.bin"), randomBytes(SEED_MAX_BYTES));
    expect(() => zipFolder(other)).toThrow(
      new RegExp(`zipped it is \\d+ bytes, more than the ${SEED_MAX_BYTES} a seed may hold`),
    );
  });
});
