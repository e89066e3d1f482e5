import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { projectRoot } from "../paths";

/** What every config source starts with (the S3 seed; the runbook's first commit elsewhere). */
export const DEPLOY_CONFIG_SEED = join(projectRoot(), "examples", "deploy-config");

/**
 * Every entry's modification time: the earliest a zip can record (DOS time starts in 1980), so
 * the archive depends on the files' names, contents and modes only, not on when they were
 * checked out.
 */
const ZIP_EPOCH = new Date(1980, 0, 1);

/** PKZIP's "made by" system for Unix: the entries' external attributes hold Unix modes. */
const UNIX = 3;

/**
 * A zip of everything under `folder` (paths relative to it, "/"-separated, in name order), built
 * in this process: the same files always give the same bytes. cdktf's ARCHIVE assets zip in a
 * child process (about 0.4 s of every synth that has one) and record the files' modification
 * times, so each checkout produced a different archive.
 */
export function zipFolder(folder: string): Buffer {
  const entries: Zippable = {};
  const add = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) add(path, `${prefix}${name}/`);
      else if (stat.isFile()) {
        // The mode as git checks it out (644 or 755): scripts stay executable once unzipped.
        const mode = stat.mode & 0o111 ? 0o755 : 0o644;
        entries[`${prefix}${name}`] = [
          readFileSync(path),
          { mtime: ZIP_EPOCH, os: UNIX, attrs: (0o100000 | mode) << 16 },
        ];
      }
    }
  };
  add(folder, "");
  if (Object.keys(entries).length === 0) throw new Error(`${folder}: no files to zip`);
  return Buffer.from(zipSync(entries, { level: 9, mtime: ZIP_EPOCH }));
}

/** The S3 config source's first object: examples/deploy-config, zipped. */
export function deployConfigSeedZip(): Buffer {
  return zipFolder(DEPLOY_CONFIG_SEED);
}
