import { readmeBlock } from "./readme-block";
import { deployedByCi, resourcesIn, type SynthOutput } from "../../src/synth/output";
import { outputDeployOrder } from "../../src/synth/summary";

/**
 * The architecture diagram `npm run diagram` writes into docs/architecture.md, generated from the
 * synthesized output only (so it is true to what deploys, and copes with any set of stacks):
 * the stacks and their dependencies, the delivery pipeline's stages and actions, and per
 * environment the request path Route 53 -> ALB -> ECS services. Resource counts and other
 * numbers stay out on purpose: the diagram changes only when the architecture does.
 */

export const DIAGRAM_START = "<!-- diagram:start -->";
export const DIAGRAM_END = "<!-- diagram:end -->";

type Config = Record<string, unknown>;

/** A Mermaid node id: letters, digits and underscores only. */
function nodeId(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/** A quoted Mermaid label; `<br/>` separates lines. */
function label(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, "#quot;")).join("<br/>")}"`;
}

/** The environment a stack id belongs to (`<kind>-<env>`), if any. */
function environmentOf(stackId: string, environments: readonly string[]): string | undefined {
  return environments.find((env) => stackId.endsWith(`-${env}`));
}

function mermaid(lines: readonly string[]): string {
  return ["```mermaid", ...lines, "```"].join("\n");
}

function resourcesOfType(output: SynthOutput, type: string) {
  return Object.values(output.stacks).flatMap((stack) =>
    resourcesIn(stack.document)
      .filter(([t]) => t === type)
      .map(([, name, config]) => ({ stack: stack.id, name, config })),
  );
}

function stacksDiagram(output: SynthOutput, environments: readonly string[]): string {
  const order = outputDeployOrder(output, environments);
  const lines = ["flowchart LR"];
  const node = (id: string) => {
    const bootstrap = !deployedByCi(output.stacks[id].document);
    return `${nodeId("stack", id)}[${label(id, ...(bootstrap ? ["bootstrap, local state"] : []))}]`;
  };
  for (const id of order.filter((s) => !environmentOf(s, environments))) {
    lines.push(`  ${node(id)}`);
  }
  for (const env of environments) {
    const members = order.filter((s) => environmentOf(s, environments) === env);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${nodeId("env", env)}[${label(env)}]`);
    for (const id of members) lines.push(`    ${node(id)}`);
    lines.push("  end");
  }
  for (const id of order) {
    for (const dep of output.stacks[id].dependencies.filter((d) => d in output.stacks)) {
      lines.push(`  ${nodeId("stack", dep)} --> ${nodeId("stack", id)}`);
    }
  }
  return mermaid(lines);
}

interface Stage {
  readonly name: string;
  readonly actions: readonly string[];
}

function pipelineStages(config: Config): Stage[] {
  const stages = (config.stage ?? []) as Config[];
  return stages.map((stage) => {
    const actions = ((stage.action ?? []) as Config[])
      .map((action, index) => ({ action, index }))
      .sort(
        (a, b) =>
          Number(a.action.run_order ?? 1) - Number(b.action.run_order ?? 1) || a.index - b.index,
      )
      .map(({ action }) => `${String(action.name)} (${String(action.provider)})`);
    return { name: String(stage.name), actions };
  });
}

function pipelineDiagram(output: SynthOutput): string | undefined {
  const pipelines = resourcesOfType(output, "aws_codepipeline")
    .map((p) => ({ name: String(p.config.name), stages: pipelineStages(p.config) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (pipelines.length === 0) return undefined;
  // Pipelines with the same stages and actions (one per service) are drawn once.
  const groups = new Map<string, { names: string[]; stages: Stage[] }>();
  for (const p of pipelines) {
    const key = JSON.stringify(p.stages);
    const group = groups.get(key) ?? { names: [], stages: p.stages };
    group.names.push(p.name);
    groups.set(key, group);
  }
  const lines = ["flowchart LR"];
  [...groups.values()].forEach((group, g) => {
    lines.push(`  subgraph ${nodeId("pipeline", String(g))}[${label(group.names.join(", "))}]`);
    lines.push("    direction LR");
    group.stages.forEach((stage, s) => {
      lines.push(
        `    ${nodeId("p", String(g), String(s))}[${label(stage.name, ...stage.actions)}]`,
      );
    });
    for (let s = 1; s < group.stages.length; s++) {
      lines.push(
        `    ${nodeId("p", String(g), String(s - 1))} --> ${nodeId("p", String(g), String(s))}`,
      );
    }
    lines.push("  end");
  });
  return mermaid(lines);
}

/** `${aws_lb.NAME.dns_name}` -> NAME */
function referencedName(expression: unknown, type: string): string | undefined {
  const match = new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(String(expression ?? ""));
  return match?.[1];
}

function hostHeaders(rule: Config): string[] {
  return ((rule.condition ?? []) as Config[]).flatMap(
    (c) => ((c.host_header as Config | undefined)?.values ?? []) as string[],
  );
}

function requestPathDiagram(
  output: SynthOutput,
  environments: readonly string[],
): string | undefined {
  // Environments in promotion order, then any other stack holding a load balancer.
  const rank = (stack: string) => {
    const env = environmentOf(stack, environments);
    return env ? environments.indexOf(env) : environments.length;
  };
  const albs = resourcesOfType(output, "aws_lb").sort(
    (a, b) => rank(a.stack) - rank(b.stack) || a.stack.localeCompare(b.stack),
  );
  if (albs.length === 0) return undefined;
  const records = resourcesOfType(output, "aws_route53_record");
  const rules = resourcesOfType(output, "aws_lb_listener_rule");
  const services = resourcesOfType(output, "aws_ecs_service");
  const lines = ["flowchart LR", `  users((Users))`];
  for (const alb of albs) {
    const env = environmentOf(alb.stack, environments) ?? alb.stack;
    const albNode = nodeId("alb", alb.stack, alb.name);
    const albRecords = records
      .filter(
        (r) =>
          r.stack === alb.stack &&
          referencedName((r.config.alias as Config | undefined)?.name, "aws_lb") === alb.name,
      )
      .map((r) => String(r.config.name))
      .sort();
    lines.push(`  subgraph ${nodeId("path", alb.stack, alb.name)}[${label(env)}]`);
    lines.push("    direction LR");
    lines.push(`    ${albNode}[${label(`ALB ${String(alb.config.name)}`)}]`);
    for (const host of albRecords) {
      const recordNode = nodeId("dns", alb.stack, host);
      lines.push(`    ${recordNode}[${label("Route 53", host)}] --> ${albNode}`);
      // The listener rule that routes this host, then the ECS service behind its target group.
      for (const rule of rules.filter((r) => hostHeaders(r.config).includes(host))) {
        const targetGroups = ((rule.config.action ?? []) as Config[])
          .map((a) => referencedName(a.target_group_arn, "aws_lb_target_group"))
          .filter((n): n is string => n !== undefined);
        const backing = services.filter(
          (s) =>
            s.stack === rule.stack &&
            ((s.config.load_balancer ?? []) as Config[]).some((lb) =>
              targetGroups.includes(
                referencedName(lb.target_group_arn, "aws_lb_target_group") ?? "",
              ),
            ),
        );
        for (const service of backing) {
          const serviceNode = nodeId("svc", service.stack, service.name);
          lines.push(
            `    ${serviceNode}[${label(`ECS service ${String(service.config.name)}`)}]`,
            `    ${albNode} -->|${label(host)}| ${serviceNode}`,
          );
        }
      }
    }
    lines.push("  end");
    for (const host of albRecords) lines.push(`  users --> ${nodeId("dns", alb.stack, host)}`);
  }
  return mermaid(dedupe(lines));
}

/** Node declarations repeat when two hosts reach one service; Mermaid needs them only once. */
function dedupe(lines: readonly string[]): string[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    if (line.trim() === "end" || line.trim().startsWith("direction")) return true;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/**
 * The markdown that goes between the docs/architecture.md markers: one Mermaid diagram per view, each with a
 * one-line caption. Views whose resources are not synthesized (yet) are left out.
 */
export function architectureDiagram(
  output: SynthOutput,
  environments: readonly string[] = [],
): string {
  const parts = [
    "_Generated by `npm run diagram` from the synthesized example config; do not edit by hand._",
    "**Stacks.** An arrow points from a stack to a stack that reads its outputs (deploy the " +
      "first before the second).",
    stacksDiagram(output, environments),
  ];
  const pipeline = pipelineDiagram(output);
  if (pipeline) {
    parts.push("**Delivery pipeline.** Stages in order, with their actions (provider).", pipeline);
  }
  const requests = requestPathDiagram(output, environments);
  if (requests) {
    parts.push(
      "**Request path** per environment: Route 53 alias -> load balancer -> ECS service.",
      requests,
    );
  }
  return `${parts.join("\n\n")}\n`;
}

const DIAGRAM_BLOCK = readmeBlock(
  "diagram",
  "the architecture diagram goes between them: add them, then run `npm run diagram`.",
);

/** Replaces what is between the markers; throws when they are missing or out of order. */
export function replaceDiagramBlock(readme: string, block: string): string {
  return DIAGRAM_BLOCK.replace(readme, block);
}

/** What is between the markers now, without the surrounding blank lines. */
export function currentDiagramBlock(readme: string): string | undefined {
  return DIAGRAM_BLOCK.current(readme);
}

/** Whether the diagram block is `block` (ignoring the blank lines around it). */
export function diagramIsCurrent(readme: string, block: string): boolean {
  return currentDiagramBlock(readme) === block.trim();
}
