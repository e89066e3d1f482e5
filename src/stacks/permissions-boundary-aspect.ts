import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Gives every IAM role of a stack the platform's permissions boundary, unless the role already
 * names one. The CI apply role may create a role only with this boundary (iam:PermissionsBoundary
 * condition), so a role without it would fail at apply; and a role with it can never grant itself
 * more (src/policies/permissions-boundary.ts). An aspect, so no construct can forget it.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) {
      node.permissionsBoundary = this.boundaryArn;
    }
  }
}
