import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { Lazy, TerraformRemoteState, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { HcpState, PlatformConfig } from "../config";
import { projectRoot } from "../paths";
import { configureBackend } from "./backend";
import { ciStacks } from "../model/ci-stacks";
import { roleArn } from "../config/naming";
import {
  hcpProjectName,
  hcpRoleNames,
  hcpWorkspaceName,
  remoteExecution,
} from "../model/hcp-names";

export interface HcpWorkspacesStackProps {
  readonly config: PlatformConfig;
  readonly hcp: HcpState;
  /** Every other stack of the app: each gets a workspace. */
  readonly stacks: readonly TerraformStack[];
}

/**
 * HCP Terraform as code: the project and one workspace per stack (its own included), each with
 * its execution mode, exactly the workspaces that may read its state, and, for remote runs, the
 * dynamic-credential variables naming the account's HCP plan and apply roles (created by the
 * GitHub OIDC stack of that account).
 *
 * - Execution: the stacks CI deploys run remotely when `state.execution: remote`; the bootstrap
 *   stacks (GitHub OIDC roles, GitHub repositories, this one) always run locally, where an
 *   administrator's (or, for github-repos, CI's GitHub) credentials are, so no remote run can
 *   change the roles or tokens remote runs use.
 * - Configuration: CLI-driven. `terraform plan`/`apply` (or `cdktf deploy`) in
 *   cdktf.out/stacks/<stack> uploads that directory as the run's configuration; no VCS
 *   connection, because the synthesized JSON is not committed (it is generated from the config).
 * - State sharing: off globally; each producer shares with exactly the workspaces whose stacks
 *   read its outputs (their `terraform_remote_state` data sources, which cdktf writes for every
 *   cross-stack reference), computed at synth from the other stacks.
 * - No run triggers: CI applies the stacks in deploy order with the configuration of the same
 *   commit; a run trigger would queue a second run of each consumer with the configuration it
 *   last received (an older commit), racing the CI run.
 * - Authentication: the tfe provider reads TFE_TOKEN (never the config or the state).
 */
export class HcpWorkspacesStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: HcpWorkspacesStackProps) {
    super(scope, id);
    const { config, hcp } = props;
    configureBackend(this, id, config, hcp.workspacesStackBackend === "hcp" ? "remote" : "local");
    new TfeProvider(this, "tfe", { hostname: hcp.hostname, organization: hcp.organization });

    const project = new Project(this, "Project", {
      name: hcpProjectName(hcp, config),
      description: `${config.project}: one workspace per cdktf stack (managed by the ${id} stack)`,
    });
    const remote = new Map(
      remoteExecution(config) ? ciStacks(config).map((s) => [s.stack, s.accountId]) : [],
    );
    const terraformVersion = readFileSync(join(projectRoot(), ".terraform-version"), "utf8").trim();
    const roles = hcpRoleNames(config);

    const ids = [...props.stacks.map((s) => s.node.id), id];
    const workspaces = new Map<string, Workspace>();
    for (const stackId of ids) {
      const name = hcpWorkspaceName(hcp, config, stackId);
      workspaces.set(
        name,
        new Workspace(this, `Workspace-${stackId}`, {
          name,
          projectId: project.id,
          description: `cdktf stack ${stackId} (cdktf.out/stacks/${stackId}); CLI-driven runs`,
          terraformVersion,
          // CLI-driven: nothing runs until CI (or an administrator) uploads a configuration.
          queueAllRuns: false,
          autoApply: false,
          tagNames: [config.project, "cdktf"],
          // This stack's own workspace holds its state once migrated: a rename (another prefix)
          // or a destroy would pull the state out from under the stack.
          ...(stackId === id ? { lifecycle: { preventDestroy: true } } : {}),
        }),
      );
    }
    for (const stackId of ids) {
      const name = hcpWorkspaceName(hcp, config, stackId);
      const workspace = workspaces.get(name) as Workspace;
      const accountId = remote.get(stackId);
      new WorkspaceSettings(this, `Settings-${stackId}`, {
        workspaceId: workspace.id,
        executionMode: accountId ? "remote" : "local",
        globalRemoteState: false,
        remoteStateConsumerIds: Lazy.listValue({
          produce: () =>
            consumersOf(name, props.stacks, (s) => hcpWorkspaceName(hcp, config, s)).map(
              (consumer) => {
                const reader = workspaces.get(consumer);
                if (!reader) throw new Error(`${consumer} reads ${name} but has no workspace`);
                return reader.id;
              },
            ),
        }),
      });
      if (!accountId) continue;
      const env = {
        TFC_AWS_PROVIDER_AUTH: "true",
        TFC_AWS_PLAN_ROLE_ARN: roleArn(accountId, roles.plan),
        TFC_AWS_APPLY_ROLE_ARN: roleArn(accountId, roles.apply),
      };
      for (const [key, value] of Object.entries(env)) {
        new Variable(this, `${key}-${stackId}`, {
          workspaceId: workspace.id,
          category: "env",
          key,
          value,
          description: "HCP Terraform dynamic AWS credentials (hcp-workspaces stack)",
        });
      }
    }
  }
}

/**
 * The workspaces that read `producer`'s state: every stack with a `terraform_remote_state` data
 * source naming that workspace. cdktf adds those data sources while it prepares the stacks for
 * synth (one per cross-stack reference), so this is evaluated lazily, at synth.
 */
function consumersOf(
  producer: string,
  stacks: readonly TerraformStack[],
  workspaceOf: (stackId: string) => string,
): string[] {
  const consumers = new Set<string>();
  for (const stack of stacks) {
    for (const node of stack.node.findAll()) {
      if (!(node instanceof TerraformRemoteState)) continue;
      const data = node.toTerraform() as {
        data?: { terraform_remote_state?: Record<string, { config?: RemoteConfig }> };
      };
      for (const source of Object.values(data.data?.terraform_remote_state ?? {})) {
        if (source.config?.workspaces?.name === producer) {
          consumers.add(workspaceOf(stack.node.id));
        }
      }
    }
  }
  return [...consumers].sort();
}

interface RemoteConfig {
  readonly workspaces?: { readonly name?: string };
}
