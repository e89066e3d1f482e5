import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The project's root (the directory holding package.json), found from this file's location, so
 * paths to files shipped with the project (examples/deploy-config) hold whether the code runs
 * from its sources (tsx, Vitest) or transpiled into `.build/` (scripts/run-built.cjs).
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
