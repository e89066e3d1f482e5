import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  architectureDiagram,
  currentDiagramBlock,
  diagramIsCurrent,
  DIAGRAM_END,
  DIAGRAM_START,
  replaceDiagramBlock,
} from "../../tools/docs/diagram";
import { readSynthOutput, type SynthOutput } from "../../src/synth/output";
import { environmentOrder } from "../../src/synth/summary";
import { exampleConfig } from "../helpers/config";
import { synthApp, type SynthesizedApp } from "../helpers/synth";

const README = join(__dirname, "..", "..", "docs", "architecture.md");
const config = exampleConfig();

let app: SynthesizedApp;
let output: SynthOutput;
let diagram: string;
beforeAll(() => {
  app = synthApp(config, true);
  output = readSynthOutput(app.outdir);
  diagram = architectureDiagram(output, environmentOrder(config));
});
afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

describe("docs/architecture.md diagram", () => {
  it("is what `npm run diagram` generates from the example config", () => {
    const readme = readFileSync(README, "utf8");
    expect(
      currentDiagramBlock(readme),
      `docs/architecture.md has no ${DIAGRAM_START} ... ${DIAGRAM_END} block`,
    ).toBeDefined();
    expect(
      diagramIsCurrent(readme, diagram),
      "docs/architecture.md is stale: run `npm run diagram` and commit it",
    ).toBe(true);
  });
});

describe("architectureDiagram", () => {
  it("draws every stack and every manifest dependency", () => {
    for (const id of Object.keys(app.stacks)) {
      expect(diagram).toContain(`["${id}`);
    }
    for (const [id, deps] of Object.entries(app.dependencies)) {
      for (const dep of deps) {
        const node = (s: string) => `stack_${s.replace(/[^A-Za-z0-9_]/g, "_")}`;
        expect(diagram).toContain(`  ${node(dep)} --> ${node(id)}\n`);
      }
    }
    expect(diagram).toContain('stack_state["state<br/>bootstrap, local state"]');
    expect(diagram).toContain('subgraph env_staging["staging"]');
  });

  it("draws the pipeline's stages in order with their actions", (ctx) => {
    const pipelines = Object.values(app.stacks).flatMap((s) =>
      Object.values(s.resource?.aws_codepipeline ?? {}),
    );
    if (pipelines.length === 0) ctx.skip();
    const stages = (pipelines[0].stage as { name: string }[]).map((s) => s.name);
    const drawn = [...diagram.matchAll(/p_0_\d+\["([^<"]+)/g)].map((m) => m[1]);
    expect(drawn).toEqual(stages);
    expect(diagram).toMatch(/Approval<br\/>ReleaseNotes \(CodeBuild\)<br\/>Approve \(Manual\)/);
  });

  it("draws Route 53 -> ALB -> ECS service per environment", (ctx) => {
    if (!Object.values(app.stacks).some((s) => s.resource?.aws_lb)) ctx.skip();
    const api = config.services[0].name;
    for (const env of Object.keys(config.environments)) {
      const host = `${config.services[0].subdomain}.${config.environments[env].dns.domain}`;
      expect(diagram).toContain(`["Route 53<br/>${host}"] --> alb_network_${env}_`);
      expect(diagram).toMatch(
        new RegExp(
          `alb_network_${env}_\\w+ -->\\|"${host.replace(/\./g, "\\.")}"\\| svc_services_${env}_${api}_`,
        ),
      );
    }
  });

  it("leaves out the views whose resources do not exist (yet)", () => {
    const stateOnly: SynthOutput = { stacks: { state: output.stacks.state } };
    const small = architectureDiagram(stateOnly);
    expect(small).toContain('stack_state["state<br/>bootstrap, local state"]');
    expect(small).not.toContain("Delivery pipeline");
    expect(small).not.toContain("Request path");
  });
});

describe("replaceDiagramBlock", () => {
  const readme = `# Title\n\nintro\n\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\n\n## Next\n`;

  it("replaces only what is between the markers", () => {
    const updated = replaceDiagramBlock(readme, "new\n");
    expect(updated).toBe(
      `# Title\n\nintro\n\n${DIAGRAM_START}\n\nnew\n\n${DIAGRAM_END}\n\n## Next\n`,
    );
    expect(diagramIsCurrent(updated, "new\n")).toBe(true);
    expect(diagramIsCurrent(readme, "new\n")).toBe(false);
  });

  it("fails with a clear message when the markers are missing or reversed", () => {
    expect(() => replaceDiagramBlock("# no markers\n", "x")).toThrow(
      /README\.md needs the markers <!-- diagram:start --> and <!-- diagram:end -->.*npm run diagram/,
    );
    expect(() => replaceDiagramBlock(`${DIAGRAM_END}\n${DIAGRAM_START}\n`, "x")).toThrow(
      /in that order/,
    );
  });
});
