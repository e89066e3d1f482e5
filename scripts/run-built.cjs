/**
 * Runs a TypeScript entry point of this project as one bundled JavaScript file:
 *
 *   node scripts/run-built.cjs main.ts [args...]
 *
 * The entry and everything it imports (our sources, cdktf, the provider bindings) are bundled by
 * esbuild into `.build/<entry>.js`; type-checking stays `npm run typecheck`'s job. Why: the
 * process then reads and compiles one file of ~5.6 MB instead of ~800 files of ~15 MB (the
 * provider bindings carry their full API docs as comments), which takes `npm run synth` from
 * ~1.1 s to ~0.8 s (tsx took ~1.5 s). The bundle is rebuilt only when one of its inputs (recorded
 * by esbuild in `.build/<entry>.inputs.json`) changed, appeared or went away, or the bundle is
 * missing; otherwise the check costs a few milliseconds of `stat` calls.
 *
 * Kept outside the bundle: packages that find their data files next to their own code at run
 * time (the IAM action catalog), and esbuild itself. cdktf's ARCHIVE assets do not work bundled
 * (cdktf zips by running its own module file as a command, which is the bundle here); the app
 * zips what it needs in process (src/pipeline/deploy-config-seed.ts).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, ".build");
const EXTERNAL = ["@cloud-copilot/*", "esbuild"];

/** True when the bundle is missing or older than any input it was built from. */
function stale(bundle, inputsFile) {
  const built = fs.statSync(bundle, { throwIfNoEntry: false });
  if (!built || !fs.existsSync(inputsFile)) return true;
  // npm writes package files with a fixed old mtime; its install record changes on every install.
  const inputs = [
    ...JSON.parse(fs.readFileSync(inputsFile, "utf8")),
    "node_modules/.package-lock.json",
  ];
  for (const input of inputs) {
    const stat = fs.statSync(path.join(ROOT, input), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > built.mtimeMs) return true;
  }
  // A new source file only matters once an input imports it, and that input changed.
  return false;
}

/** Writes `text` to `file` via a temporary file and a rename: concurrent runs never see half. */
function writeAtomically(file, text) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

async function build(entry, bundle, inputsFile) {
  const started = new Date();
  const esbuild = require("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: EXTERNAL,
    outfile: bundle,
    // Whitespace only (names stay, for stack traces and constructor names): a third less to read
    // and parse at every start, ~50 ms of a synth. `node --enable-source-maps` maps traces back.
    minifyWhitespace: true,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  // Dated when the build began: a source saved while esbuild read the old one stays newer.
  fs.utimesSync(bundle, started, started);
  // esbuild's service process would outlive the build, and the entry runs in this process next:
  // it must end by its own exit code or signal only.
  esbuild.stop();
}

const entry = process.argv[2];
if (!entry || !entry.endsWith(".ts")) {
  process.stderr.write("usage: node scripts/run-built.cjs <entry.ts> [args...]\n");
  process.exit(2);
}
const bundle = path.join(OUT, entry.replace(/\.ts$/, ".js"));
const inputsFile = bundle.replace(/\.js$/, ".inputs.json");

/** Runs the bundle as the main module, so the entry's `require.main === module` check holds. */
function runBundle() {
  process.argv.splice(1, 2, bundle);
  require("node:module").runMain();
}

if (stale(bundle, inputsFile)) {
  build(entry, bundle, inputsFile).then(runBundle, (err) => {
    // esbuild's own message names the file, line and problem.
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  runBundle();
}
