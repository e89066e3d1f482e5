/** Reading `aws_ecs_task_definition.container_definitions` (a JSON string). */
import { isBlock, resources, type ResourceEntry } from "./terraform";
import type { Block, SynthesizedStackJson } from "./types";

export interface TaskDefinition extends ResourceEntry {
  /** Undefined when container_definitions cannot be read (see ECS_CONTAINER_DEFINITIONS_READABLE). */
  readonly containers?: readonly Block[];
  readonly problem?: string;
}

export function taskDefinitions(stack: SynthesizedStackJson): TaskDefinition[] {
  return resources(stack, "aws_ecs_task_definition").map((t) => {
    const raw = t.block.container_definitions;
    if (typeof raw !== "string") return { ...t, problem: "is not a JSON string" };
    if (raw.trim().startsWith("${")) {
      return {
        ...t,
        problem: "is a Terraform expression (jsonencode?); render it with JSON.stringify",
      };
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) return { ...t, problem: "is not a JSON array" };
      return { ...t, containers: parsed.filter(isBlock) };
    } catch (err) {
      return { ...t, problem: `is not valid JSON (${(err as Error).message})` };
    }
  });
}

export function containerName(c: Block): string {
  return typeof c.name === "string" ? c.name : "(unnamed)";
}
