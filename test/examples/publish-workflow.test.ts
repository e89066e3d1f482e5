import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleConfig } from "../helpers/config";
import { resourcesOf, synthApp } from "../helpers/synth";

const WORKFLOW = join(
  __dirname,
  "..",
  "..",
  "examples",
  "app-repo",
  ".github",
  "workflows",
  "publish-image.yml",
);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
}
interface Job {
  permissions?: Record<string, string>;
  environment?: unknown;
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[] } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

describe("example app-repo workflow (publish-image.yml)", () => {
  const source = readFileSync(WORKFLOW, "utf8");
  const workflow = parse(source) as Workflow;
  const config = exampleConfig();
  const repos = synthApp(config).stacks["github-repos"];
  const appRepo = config.github.appRepository;
  const written = (type: string, key: string) =>
    new Set(
      Object.values(resourcesOf(repos, type))
        .filter((r) => r.repository === appRepo)
        .map((r) => r[key] as string),
    );
  const writtenSecrets = written("github_actions_secret", "secret_name");
  const writtenVariables = written("github_actions_variable", "variable_name");
  const used = (kind: "secrets" | "vars") =>
    new Set(
      [...source.matchAll(new RegExp(`\\b${kind}\\.([A-Za-z_][A-Za-z0-9_]*)`, "g"))].map(
        (m) => m[1],
      ),
    );

  it("uses exactly the secrets the github-repos stack writes on the app repository", () => {
    expect([...used("secrets")].sort()).toEqual([...writtenSecrets].sort());
  });

  it("uses exactly the variables the github-repos stack writes on the app repository", () => {
    expect([...used("vars")].sort()).toEqual([...writtenVariables].sort());
  });

  it("requests an OIDC token and only read access to contents", () => {
    expect(workflow.permissions).toEqual({});
    for (const job of Object.values(workflow.jobs)) {
      expect(job.permissions).toEqual({ "id-token": "write", contents: "read" });
      // An `environment:` would change the token's `sub`, which the publisher role does not trust.
      expect(job.environment).toBeUndefined();
    }
  });

  it("runs on the configured deploy branch only", () => {
    expect(workflow.on.push.branches).toEqual([config.github.deployBranch]);
  });

  it("assumes the role through OIDC from the AWS_ROLE_ARN secret", () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const credentials = steps.find((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    expect(credentials?.with).toMatchObject({
      "role-to-assume": "${{ secrets.AWS_ROLE_ARN }}",
      "aws-region": "${{ vars.AWS_REGION }}",
    });
    expect(credentials?.with).not.toHaveProperty("aws-access-key-id");
  });

  it("pins every action to a full commit SHA", () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const actions = steps.map((s) => s.uses).filter((u): u is string => u !== undefined);
    expect(actions.length).toBeGreaterThanOrEqual(3);
    for (const action of actions) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  // An amd64 runner builds amd64 images by default; an ARM64 task cannot run them (exec format
  // error / no matching manifest), so each service's image is built for its task's platform.
  it("builds each service's image for its task architecture (IMAGE_PLATFORMS), with QEMU for arm64", () => {
    const job = Object.values(workflow.jobs)[0] as Job & { env?: Record<string, string> };
    expect(job.env?.PLATFORM).toBe("${{ fromJSON(vars.IMAGE_PLATFORMS)[matrix.service] }}");
    const build = job.steps.find((s) => s.run?.includes("docker build"));
    expect(build?.run).toMatch(/--platform "\$\{PLATFORM\}"/);
    const qemu = job.steps.findIndex((s) => s.uses?.startsWith("docker/setup-qemu-action@"));
    expect(qemu).toBeGreaterThanOrEqual(0);
    expect(qemu).toBeLessThan(job.steps.indexOf(build as Step));
    expect(job.steps[qemu].with).toMatchObject({ platforms: "arm64" });
  });

  it("tags with the git SHA and the release tag, and prints the digest", () => {
    const script = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(script).toMatch(/:sha-\$\{GITHUB_SHA\}/);
    expect(script).toMatch(/\$\{RELEASE_TAG\}/);
    expect(source).toMatch(/RELEASE_TAG: \$\{\{ vars\.IMAGE_RELEASE_TAG \}\}/);
    expect(script).toMatch(/imageDigest/);
  });
});
