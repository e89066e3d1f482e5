import { terraformLiteral } from "./terraform-literal";
/**
 * ECS container definitions as typed data. They are rendered with JSON.stringify (cdktf resolves
 * tokens inside the string), so the synthesized `container_definitions` is plain JSON that tests
 * and guard rules can parse, never an opaque `jsonencode(...)` expression.
 */

export interface KeyValuePair {
  readonly name: string;
  readonly value: string;
}

export interface ContainerSecret {
  readonly name: string;
  /** The secret's ARN: ECS reads the value at task start with the execution role. */
  readonly valueFrom: string;
}

export interface ContainerHealthCheck {
  /** `["CMD-SHELL", "..."]` or `["CMD", ...]`. */
  readonly command: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly portMappings: readonly {
    readonly name: string;
    readonly containerPort: number;
    readonly hostPort: number;
    readonly protocol: "tcp";
    readonly appProtocol?: "http";
  }[];
  readonly environment: readonly KeyValuePair[];
  readonly secrets: readonly ContainerSecret[];
  readonly mountPoints: readonly {
    readonly sourceVolume: string;
    readonly containerPath: string;
    readonly readOnly: boolean;
  }[];
  readonly healthCheck: ContainerHealthCheck;
  readonly logConfiguration: {
    readonly logDriver: "awslogs";
    readonly options: Readonly<Record<string, string>>;
  };
  readonly linuxParameters?: { readonly initProcessEnabled: boolean };
  readonly stopTimeout?: number;
}

/** Environment variables as ECS wants them, sorted by name so the JSON is stable. */
export function environmentPairs(vars: Readonly<Record<string, string>>): KeyValuePair[] {
  return Object.keys(vars)
    .sort()
    .map((name) => ({ name, value: terraformLiteral(vars[name]) }));
}

/** The default container health check: an HTTP GET of the health path from inside the task. */
export function httpHealthCheckCommand(port: number, path: string): string {
  // Single-quoted so a path with shell metacharacters stays one argument.
  const url = `'http://localhost:${port}${path.replace(/'/g, `'\\''`)}'`;
  return `curl -fsS -o /dev/null ${url} || exit 1`;
}

export function renderContainerDefinitions(definitions: readonly ContainerDefinition[]): string {
  return JSON.stringify(definitions);
}
