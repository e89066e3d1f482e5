import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Finds what the offline Terraform tier needs on this machine: the terraform binary and a
 * filesystem mirror holding the providers. Nothing here is hard-coded to one machine's layout:
 * TERRAFORM_BIN and TF_PROVIDER_MIRROR win; otherwise PATH, Terraform's own implied mirror
 * directories, and a bounded search of the usual install roots.
 */

export interface TerraformToolchain {
  readonly terraform: string;
  readonly version: string;
  /** Directory holding `registry.terraform.io/<namespace>/<type>/<version>/<os_arch>/`. */
  readonly mirror: string;
}

export type ToolchainResult =
  | { readonly ok: true; readonly toolchain: TerraformToolchain }
  | { readonly ok: false; readonly reason: string };

const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

export function findTerraform(): { path: string; version: string } | undefined {
  const candidate = process.env.TERRAFORM_BIN || "terraform";
  const run = spawnSync(candidate, ["version", "-json"], { encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) return undefined;
  try {
    const version = (JSON.parse(run.stdout) as { terraform_version: string }).terraform_version;
    return { path: candidate, version };
  } catch {
    return undefined;
  }
}

/** Whether `root` holds provider `namespace/type` at `version` for this OS/arch. */
export function mirrorHasProvider(root: string, source: string, version: string): boolean {
  const [namespace, type] = source.split("/");
  const dir = join(root, "registry.terraform.io", namespace, type, version, PLATFORM);
  return (
    existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(`terraform-provider-${type}`))
  );
}

function impliedMirrors(): string[] {
  const home = homedir();
  const xdgData = process.env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (process.env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":");
  return [
    join(home, ".terraform.d", "plugins"),
    join(xdgData, "terraform", "plugins"),
    ...dataDirs.map((d) => join(d, "terraform", "plugins")),
  ];
}

/** Breadth-first search for a directory named registry.terraform.io, bounded in depth and size. */
function searchForMirror(roots: string[], maxDepth = 5, maxDirs = 20_000): string[] {
  const found: string[] = [];
  let queue = roots.filter((r) => existsSync(r)).map((r) => ({ dir: r, depth: 0 }));
  let visited = 0;
  while (queue.length > 0 && visited < maxDirs) {
    const next: typeof queue = [];
    for (const { dir, depth } of queue) {
      visited++;
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      if (entries.includes("registry.terraform.io")) found.push(dir);
      if (depth >= maxDepth) continue;
      for (const entry of entries) {
        if (entry === "node_modules" || entry === "proc" || entry.startsWith(".")) continue;
        const child = join(dir, entry);
        try {
          if (statSync(child).isDirectory()) next.push({ dir: child, depth: depth + 1 });
        } catch {
          // unreadable entries are not mirrors
        }
      }
    }
    queue = next;
  }
  return found;
}

let cached: ToolchainResult | undefined;

/** The toolchain, or why the Terraform tier cannot run here. */
export function findToolchain(awsVersion: string): ToolchainResult {
  if (cached) return cached;
  const tf = findTerraform();
  if (!tf) {
    cached = {
      ok: false,
      reason: "terraform is not on PATH (set TERRAFORM_BIN to use another binary)",
    };
    return cached;
  }
  const explicit = process.env.TF_PROVIDER_MIRROR;
  const candidates = explicit
    ? [explicit]
    : [
        ...impliedMirrors(),
        ...searchForMirror(["/opt", "/usr/local", "/usr/share", "/var/lib", homedir(), "/srv"]),
      ];
  const mirror = candidates.find((c) => mirrorHasProvider(c, "hashicorp/aws", awsVersion));
  cached = mirror
    ? { ok: true, toolchain: { terraform: tf.path, version: tf.version, mirror } }
    : {
        ok: false,
        reason:
          `no filesystem mirror with hashicorp/aws ${awsVersion} for ${PLATFORM} ` +
          `(set TF_PROVIDER_MIRROR; looked in ${candidates.length ? candidates.join(", ") : "the usual places"})`,
      };
  return cached;
}
