import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { projectRoot } from "../paths";

/** What every config source starts with (the S3 seed; the runbook's first commit elsewhere). */
export const DEPLOY_CONFIG_SEED = join(projectRoot(), "examples", "deploy-config");

/**
 * The most a seed may hold, zipped. It travels in the stack's JSON, in every plan that creates
 * it and in the state: a few test scripts, never data.
 */
export const SEED_MAX_BYTES = 256 * 1024;

/** PKZIP's "made by" system for Unix: the entries' external attributes hold Unix modes. */
const UNIX = 3;

/** Shell scripts are executable once unzipped; everything else is a plain file. */
function modeOf(name: string): number {
  return name.endsWith(".sh") ? 0o755 : 0o644;
}

/**
 * A zip of the files under `folder` (paths relative to it, "/"-separated, in name order), built
 * in this process. It depends on the files' names and contents only: every entry is dated
 * 1980-01-01 00:00 (the earliest a zip records) and its mode follows its name, so every checkout
 * on every system gives the same bytes. Hidden files and folders (editor, desktop and version
 * control leftovers) are left
 * out; a symbolic link is refused rather than followed. cdktf's ARCHIVE assets zip in a child
 * process (about 0.4 s of every synth that has one) and record the files' times.
 */
export function zipFolder(folder: string): Buffer {
  // Made at each call, in the local time zone fflate writes: 1980-01-01 in any zone.
  const epoch = new Date(1980, 0, 1);
  const entries: Zippable = {};
  const add = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue;
      const path = join(dir, name);
      const stat = lstatSync(path);
      const entry = relative(folder, path).split("\\").join("/");
      if (stat.isSymbolicLink()) {
        throw new Error(`${path}: a symbolic link; the seed holds files and folders only`);
      }
      if (stat.isDirectory()) add(path);
      else if (stat.isFile()) {
        entries[entry] = [readFileSync(path), { os: UNIX, attrs: (0o100000 | modeOf(name)) << 16 }];
      }
    }
  };
  add(folder);
  if (Object.keys(entries).length === 0) throw new Error(`${folder}: no files to zip`);
  // Every entry's time (the entries leave it to these options).
  const zip = Buffer.from(zipSync(entries, { level: 9, mtime: epoch }));
  if (zip.length > SEED_MAX_BYTES) {
    throw new Error(
      `${folder}: zipped it is ${zip.length} bytes, more than the ${SEED_MAX_BYTES} a seed may hold (it is carried in the stack, the plan and the state); keep test scripts only`,
    );
  }
  return zip;
}

/** The S3 config source's first object: examples/deploy-config, zipped. */
export function deployConfigSeedZip(): Buffer {
  return zipFolder(DEPLOY_CONFIG_SEED);
}
