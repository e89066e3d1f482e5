import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The layout shows the flow: src/ holds the product only (no devDependency, no tooling), and its
 * folders depend on each other one way (config -> model -> stacks -> constructs -> policies),
 * never in a cycle.
 */

const ROOT = join(__dirname, "..", "..");
const SRC = join(ROOT, "src");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
}

/** `config`, `stacks`, ... for files under src/<folder>/; the file name for files in src/. */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, "");
}

function resolveImport(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* next */
    }
  }
  return base;
}

const files = tsFiles(SRC);

describe("the product's layout", () => {
  it("imports only runtime dependencies and Node's own modules", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const allowed = new Set(Object.keys(pkg.dependencies));
    const bad = files.flatMap((file) =>
      importsOf(file)
        .filter((s) => !s.startsWith("."))
        .filter((s) => {
          const name = s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0];
          return !allowed.has(name) && !builtinModules.includes(name.replace(/^node:/, ""));
        })
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it("has no cycle between its folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      for (const s of importsOf(file).filter((i) => i.startsWith("."))) {
        const target = resolveImport(file, s);
        if (!target.startsWith(SRC)) continue;
        const [a, b] = [folderOf(file), folderOf(target)];
        if (a === b) continue;
        if (!edges.has(a)) edges.set(a, new Set());
        edges.get(a)?.add(b);
      }
    }
    // The check sees the real graph (config is imported by most folders).
    expect([...edges.values()].filter((targets) => targets.has("config")).length).toBeGreaterThan(
      3,
    );
    const cycles: string[] = [];
    const reach = (from: string, to: string, seen = new Set<string>()): boolean => {
      if (from === to) return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return [...(edges.get(from) ?? [])].some((next) => reach(next, to, seen));
    };
    for (const [a, targets] of edges) {
      for (const b of targets) if (reach(b, a)) cycles.push(`${a} -> ${b} -> ... -> ${a}`);
    }
    expect(cycles.sort()).toEqual([]);
  });

  it("lets the CI stack-order script load the config without cdktf or the provider bindings", () => {
    // terraform-stacks.sh runs it twice per CI job: loading cdktf would add ~0.2 s each time.
    const runtimeImports = (file: string): string[] => {
      const text = readFileSync(file, "utf8");
      return [...text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gms)].map(
        (m) => m[1],
      );
    };
    const loaded = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const s of runtimeImports(file)) {
        if (s.startsWith(".")) visit(resolveImport(file, s));
        else packages.add(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
      }
    };
    visit(join(ROOT, "scripts", "stack-order.ts"));
    expect(loaded.size).toBeGreaterThan(10);
    expect(packages).toContain("zod");
    expect([...packages].filter((p) => p === "cdktf" || p.startsWith("@cdktf/"))).toEqual([]);
  });
});
