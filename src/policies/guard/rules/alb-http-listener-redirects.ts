import { block, blocks, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_HTTP_LISTENER_REDIRECTS: GuardRule = {
  id: "ALB_HTTP_LISTENER_REDIRECTS",
  severity: "error",
  rationale: "Plain HTTP is only ever a redirect to HTTPS; no content is served unencrypted.",
  check(stack) {
    return resources(stack, "aws_lb_listener", "aws_alb_listener")
      .filter((l) => (l.block.protocol ?? "HTTP") === "HTTP")
      .filter((l) => {
        const actions = blocks(l.block.default_action);
        return (
          actions.length === 0 ||
          !actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS")
        );
      })
      .map((l) => ({
        address: l.address,
        message:
          'HTTP listener does not only redirect; make its default_action { type = "redirect", ' +
          'redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } } and add no rules',
      }));
  },
};
