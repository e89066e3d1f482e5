import { blocks, refersTo, resources } from "../terraform";
import type { GuardRule } from "../types";

export const VPC_DEFAULT_SG_CLOSED: GuardRule = {
  id: "VPC_DEFAULT_SG_CLOSED",
  severity: "error",
  rationale:
    "The default security group allows all traffic between its members; take it over and empty it.",
  check(stack) {
    const defaults = resources(stack, "aws_default_security_group");
    return resources(stack, "aws_vpc").flatMap((vpc) => {
      const sg = defaults.find((d) => refersTo(d.block.vpc_id, vpc.address));
      if (!sg) {
        return [
          {
            address: vpc.address,
            message:
              "the VPC's default security group keeps AWS's allow rules; add an aws_default_security_group for it with no ingress or egress",
          },
        ];
      }
      if (blocks(sg.block.ingress).length > 0 || blocks(sg.block.egress).length > 0) {
        return [
          {
            address: sg.address,
            message: "default security group has rules; remove every ingress and egress block",
          },
        ];
      }
      return [];
    });
  },
};
