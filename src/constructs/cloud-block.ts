import { DataTerraformRemoteState, TerraformBackend, type TerraformRemoteState } from "cdktf";
import type { Construct } from "constructs";

export interface CloudBlockProps {
  /** HCP Terraform or Terraform Enterprise host. @default app.terraform.io (Terraform's) */
  readonly hostname?: string;
  readonly organization: string;
  /** The one named workspace that holds this stack's state. */
  readonly workspace: string;
}

/**
 * A stack's `terraform { cloud { ... } }` block with one named workspace: the JSON, metadata and
 * remote-state reads of cdktf's CloudBackend, without the validation CloudBackend adds. That
 * validation runs `terraform version` for every stack at every synth (1.2 s of a 1.5 s synth of
 * the example on HCP Terraform) and fails the synth where no terraform is installed, though synth
 * never runs terraform: the version that matters is the one of the machine or workspace that
 * plans (`.terraform-version` in CI, the workspace's own in HCP Terraform), not of the one that
 * synthesizes.
 */
export class CloudBlock extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly props: CloudBlockProps,
  ) {
    super(scope, "backend", "cloud");
  }

  override toTerraform(): Record<string, unknown> {
    const { hostname, organization, workspace } = this.props;
    return {
      terraform: {
        cloud: withOverrides(
          { hostname, organization, workspaces: { name: workspace } },
          this.rawOverrides as Record<string, unknown>,
        ),
      },
    };
  }

  override toHclTerraform(): Record<string, unknown> {
    const text = (value: string) => ({ value, type: "simple", storageClassType: "string" });
    const { hostname, organization, workspace } = this.props;
    return {
      terraform: {
        cloud: withOverrides(
          {
            ...(hostname ? { hostname: text(hostname) } : {}),
            organization: text(organization),
            workspaces: {
              value: { name: text(workspace) },
              isBlock: true,
              type: "map",
              storageClassType: "stringmap",
            },
          },
          this.rawOverrides as Record<string, unknown>,
        ),
      },
    };
  }

  /** As CloudBackend's: `cloud` tells cdktf's CLI whether the host is HCP Terraform or TFE. */
  override toMetadata(): Record<string, unknown> {
    const hostname = this.props.hostname;
    const cloud = !hostname || hostname.startsWith("app.terraform.io") ? "tfc" : "tfe";
    return { ...(super.toMetadata() as Record<string, unknown>), cloud };
  }

  getRemoteStateDataSource(scope: Construct, name: string): TerraformRemoteState {
    return new DataTerraformRemoteState(scope, name, {
      organization: this.props.organization,
      hostname: this.props.hostname,
      workspaces: { name: this.props.workspace },
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `addOverride` paths merged into the block as cdktf merges them: nested keys, not whole keys. */
function withOverrides(
  block: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...block };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? withOverrides(current, value) : value;
  }
  return merged;
}
