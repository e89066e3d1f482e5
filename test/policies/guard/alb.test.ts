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
  it("ALB_DELETION_PROTECTION: every internet-facing ALB, in every environment; internal ones exempt", () => {
    expect(flagged("ALB_DELETION_PROTECTION", stack)).toEqual(["aws_lb.bad"]);
    const internal = stackOf({ aws_lb: { lb: { internal: true } } });
    expect(flagged("ALB_DELETION_PROTECTION", internal)).toEqual([]);
  });
  it("ALB_WAF: an internet-facing ALB needs a web ACL association that names it", () => {
    const withWaf = stackOf({
      aws_lb: { protected: {}, open: {}, private: { internal: true } },
      aws_wafv2_web_acl_association: {
        a: { resource_arn: "${aws_lb.protected.arn}", web_acl_arn: "${aws_wafv2_web_acl.w.arn}" },
      },
    });
    expect(flagged("ALB_WAF", withWaf)).toEqual(["aws_lb.open"]);
  });
});
