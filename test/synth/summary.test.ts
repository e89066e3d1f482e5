import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backendLabel,
  deployedByCi,
  guardCounts,
  readSynthOutput,
  resourcesIn,
} from "../../src/synth/output";
import {
  deployOrder,
  environmentOrder,
  summarizeOutdir,
  synthSummary,
  textTable,
} from "../../src/synth/summary";
import { exampleConfig } from "../helpers/config";
import { synthApp, type SynthesizedApp } from "../helpers/synth";

describe("deployOrder", () => {
  it("puts every stack after its dependencies, ties in manifest order", () => {
    expect(deployOrder({ c: ["a"], b: [], a: [], d: ["c", "b"] })).toEqual(["b", "a", "c", "d"]);
  });

  it("puts `first` stacks first and finishes one environment before the next", () => {
    const deps = {
      "network-production": [],
      "network-staging": [],
      ecr: [],
      "services-production": ["network-production", "ecr"],
      "services-staging": ["network-staging", "ecr"],
      pipeline: ["services-staging", "services-production"],
      state: [],
    };
    expect(
      deployOrder(deps, { first: ["state"], environments: ["staging", "production"] }),
    ).toEqual([
      "state",
      "ecr",
      "network-staging",
      "services-staging",
      "network-production",
      "services-production",
      "pipeline",
    ]);
  });

  it("ignores dependencies on stacks it was not given and self-references", () => {
    expect(deployOrder({ a: ["gone", "a"], b: ["a"] })).toEqual(["a", "b"]);
  });

  it("names the stacks of a cycle", () => {
    expect(() => deployOrder({ a: ["b"], b: ["a"], c: [] })).toThrow(
      "stack dependency cycle among: a, b",
    );
  });
});

describe("environmentOrder", () => {
  it("is the promotion order, then environments outside it", () => {
    expect(
      environmentOrder({
        pipeline: { promotion: ["staging", "production"] },
        environments: { production: {}, dev: {}, staging: {} },
      }),
    ).toEqual(["staging", "production", "dev"]);
  });
});

describe("backendLabel", () => {
  it("names the S3 key, the HCP workspace, or local", () => {
    expect(backendLabel({ terraform: { backend: { s3: { key: "p/ecr.tfstate" } } } })).toBe(
      "s3 p/ecr.tfstate",
    );
    expect(backendLabel({ terraform: { cloud: { workspaces: { name: "p-ecr" } } } })).toBe(
      "hcp p-ecr",
    );
    expect(backendLabel({ terraform: { backend: { local: { path: "x" } } } })).toBe("local");
    expect(backendLabel({})).toBe("local");
    expect(deployedByCi({})).toBe(false);
    expect(deployedByCi({ terraform: { cloud: { workspaces: { name: "w" } } } })).toBe(true);
  });
});

describe("guardCounts", () => {
  it("counts unsuppressed findings per stack and severity; tolerates other shapes", () => {
    expect(
      guardCounts({
        findings: [
          { stackId: "ecr", severity: "error" },
          { stackId: "ecr", severity: "warning" },
          { stackId: "pipeline", severity: "warning" },
        ],
      }),
    ).toEqual({ ecr: { errors: 1, warnings: 1 }, pipeline: { errors: 0, warnings: 1 } });
    expect(guardCounts({ something: "else" })).toBeUndefined();
    expect(guardCounts(null)).toBeUndefined();
  });
});

describe("textTable", () => {
  it("aligns columns under a header rule", () => {
    expect(
      textTable([
        ["a", "bb"],
        ["ccc", "d"],
      ]),
    ).toBe("a    bb\n---  --\nccc  d\n");
  });
});

describe("synth summary of the example config", () => {
  const config = exampleConfig();
  let app: SynthesizedApp;
  beforeAll(() => {
    app = synthApp(config, true);
  });
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  it("has one row per stack with backend, resource count, dependencies and '-' for guards", () => {
    const summary = synthSummary(readSynthOutput(app.outdir), environmentOrder(config));
    const lines = summary.split("\n");
    expect(lines[0]).toMatch(/^stack\s+backend\s+resources\s+depends on\s+guard findings$/);
    for (const [id, stack] of Object.entries(app.stacks)) {
      const row = lines.find((l) => l.startsWith(`${id} `));
      expect(row, id).toBeDefined();
      const backend = id === "state" ? "local" : `s3 ${config.project}/${id}.tfstate`;
      const deps = app.dependencies[id].length ? app.dependencies[id].join(", ") : "-";
      expect(row?.split(/\s{2,}/)).toEqual([
        id,
        backend,
        String(resourcesIn(stack).length),
        deps,
        "-",
      ]);
    }
    expect(summary).toMatch(/\nDeploy order: state -> /);
  });

  it("shows guard finding counts when the guard wrote its report", () => {
    writeFileSync(
      join(app.outdir, "guard-report.json"),
      JSON.stringify({ findings: [{ stackId: "state", severity: "error" }] }),
    );
    const summary = summarizeOutdir(app.outdir, environmentOrder(config));
    expect(summary).toMatch(/^state\s+local\s+\d+\s+-\s+1 \(1 error\)$/m);
    expect(summary).toMatch(/^ecr\s+s3 \S+\s+\d+\s+\S+\s+0$/m);
    rmSync(join(app.outdir, "guard-report.json"));
  });

  it("never throws: a missing output becomes a note", () => {
    expect(summarizeOutdir(join(app.outdir, "nope"))).toMatch(
      /^\(no synth summary: .*manifest\.json not found: run `npm run synth` first\)\n$/,
    );
  });
});
