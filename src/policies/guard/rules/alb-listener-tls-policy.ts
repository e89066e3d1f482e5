import { resources } from "../terraform";
import type { GuardRule } from "../types";

/**
 * ELB security policies that negotiate TLS 1.2 or newer only (TLS13-1-2*, TLS13-1-3*, TLS-1-2*,
 * FS-1-2*, including their -Res/-Ext/-FIPS/-PQ variants). Older ones (2016-08, TLS-1-1, FS-2018-06,
 * TLS13-1-0/1-1) still accept TLS 1.0/1.1.
 */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

export const ALB_LISTENER_TLS_POLICY: GuardRule = {
  id: "ALB_LISTENER_TLS_POLICY",
  severity: "error",
  rationale: "HTTPS listeners negotiate TLS 1.2+ only, with forward-secret ciphers.",
  check(stack) {
    return resources(stack, "aws_lb_listener", "aws_alb_listener")
      .filter((l) => l.block.protocol === "HTTPS" || l.block.protocol === "TLS")
      .filter(
        (l) =>
          typeof l.block.ssl_policy !== "string" || !MODERN_TLS_POLICY.test(l.block.ssl_policy),
      )
      .map((l) => ({
        address: l.address,
        message:
          `ssl_policy is ${l.block.ssl_policy === undefined ? "unset (the AWS default may allow older TLS)" : `"${String(l.block.ssl_policy)}"`}; ` +
          'set ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.2 and 1.3)',
      }));
  },
};
