import { describe, expect, it } from "vitest";
import { flagged, stackOf } from "./helpers";

const GOOD_LB = {
  load_balancer_type: "application",
  drop_invalid_header_fields: true,
  enable_deletion_protection: true,
  access_logs: { enabled: true, bucket: "${aws_s3_bucket.logs.id}" },
};

const stack = stackOf({
  aws_lb: {
    good: GOOD_LB,
    bad: { load_balancer_type: "application" },
    nlb: { load_balancer_type: "network" },
  },
  aws_lb_listener: {
    https: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
    old_tls: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-2016-08" },
    no_policy: { protocol: "HTTPS", port: 443 },
    redirect: {
      protocol: "HTTP",
      port: 80,
      default_action: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
      ],
    },
    forward: {
      protocol: "HTTP",
      port: 80,
      default_action: [{ type: "forward", target_group_arn: "x" }],
    },
  },
});

describe("ALB rules", () => {
  it("ALB_LISTENER_TLS_POLICY accepts TLS 1.2+ policies only", () => {
    expect(flagged("ALB_LISTENER_TLS_POLICY", stack)).toEqual([
      "aws_lb_listener.old_tls",
      "aws_lb_listener.no_policy",
    ]);
  });
  it("ALB_HTTP_LISTENER_REDIRECTS allows HTTP only as a redirect to HTTPS", () => {
    expect(flagged("ALB_HTTP_LISTENER_REDIRECTS", stack)).toEqual(["aws_lb_listener.forward"]);
  });
  it("ALB_DROP_INVALID_HEADERS (application load balancers only)", () => {
    expect(flagged("ALB_DROP_INVALID_HEADERS", stack)).toEqual(["aws_lb.bad"]);
  });
  it("ALB_ACCESS_LOGS", () => {
    expect(flagged("ALB_ACCESS_LOGS", stack)).toEqual(["aws_lb.bad"]);
  });
  it("ALB_DELETION_PROTECTION applies in production stacks only", () => {
    expect(flagged("ALB_DELETION_PROTECTION", stack)).toEqual([]);
    expect(flagged("ALB_DELETION_PROTECTION", stack, { production: true })).toEqual(["aws_lb.bad"]);
  });
  it("ALB_DELETION_PROTECTION: a resource tagged with a production environment counts", () => {
    const tagged = stackOf({ aws_lb: { lb: { tags: { Environment: "production" } } } });
    expect(flagged("ALB_DELETION_PROTECTION", tagged)).toEqual(["aws_lb.lb"]);
  });
});
