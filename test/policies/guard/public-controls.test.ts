import { describe, expect, it } from "vitest";
import { RULE_CONTROLS } from "../../../src/policies/guard/controls";
import { GUARD_RULES } from "../../../src/policies/guard/rules";
import { guardOptionsFromConfig, runGuards } from "../../../src/policies/guard/runner";
import type { SynthesizedStackJson } from "../../../src/policies/guard/types";
import { exampleConfig } from "../../helpers/config";
import { synthApp } from "../../helpers/synth";
import { flagged, stackOf } from "./helpers";

/*
 * The rules that cover public scanner controls this platform is measured against, each with a
 * compliant and a non-compliant case, and the guard report's mapping of every rule to the public
 * controls it covers.
 */

describe("SG_NO_PUBLIC_HTTP (CKV_AWS_260)", () => {
  const rule = (from: number, to: number, cidr = "0.0.0.0/0") => ({
    security_group_id: "sg",
    ip_protocol: "tcp",
    from_port: from,
    to_port: to,
    cidr_ipv4: cidr,
  });
  it("flags port 80 (alone or in a range) from anywhere, not HTTPS or a private source", () => {
    const stack = stackOf({
      aws_vpc_security_group_ingress_rule: {
        http: rule(80, 80),
        range: rule(0, 1024),
        https: rule(443, 443),
        private: rule(80, 80, "10.0.0.0/8"),
      },
    });
    expect(flagged("SG_NO_PUBLIC_HTTP", stack)).toEqual([
      "aws_vpc_security_group_ingress_rule.http",
      "aws_vpc_security_group_ingress_rule.range",
    ]);
  });
});

describe("SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED (CKV_AWS_385)", () => {
  const topicPolicy = (condition?: unknown) =>
    stackOf({
      aws_sns_topic_policy: {
        p: {
          arn: "t",
          policy: JSON.stringify({
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111111111111:root" },
                Action: "sns:Publish",
                Resource: "t",
                ...(condition ? { Condition: condition } : {}),
              },
            ],
          }),
        },
      },
    });
  it("flags an account principal without a condition, passes one with", () => {
    expect(flagged("SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED", topicPolicy())).toEqual([
      "aws_sns_topic_policy.p",
    ]);
    expect(
      flagged(
        "SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED",
        topicPolicy({ StringEquals: { "aws:PrincipalAccount": "111111111111" } }),
      ),
    ).toEqual([]);
  });
});

describe("SECRETS_ROTATION (CKV2_AWS_57)", () => {
  it("flags a secret without a rotation resource", () => {
    const stack = stackOf({
      aws_secretsmanager_secret: { rotated: { name: "a" }, manual: { name: "b" } },
      aws_secretsmanager_secret_rotation: {
        r: { secret_id: "${aws_secretsmanager_secret.rotated.id}", rotation_lambda_arn: "l" },
      },
    });
    expect(flagged("SECRETS_ROTATION", stack)).toEqual(["aws_secretsmanager_secret.manual"]);
  });
});

describe("ECS_SERVICE_HIGH_AVAILABILITY", () => {
  it("flags fewer than two tasks or a single subnet", () => {
    const stack = stackOf({
      aws_ecs_service: {
        ha: { desired_count: 2, network_configuration: { subnets: ["a", "b"] } },
        one: { desired_count: 1, network_configuration: { subnets: ["a", "b"] } },
        zone: { desired_count: 3, network_configuration: { subnets: ["a"] } },
        remote: { desired_count: 2, network_configuration: { subnets: "${var.subnets}" } },
      },
    });
    expect(flagged("ECS_SERVICE_HIGH_AVAILABILITY", stack)).toEqual([
      "aws_ecs_service.one",
      "aws_ecs_service.zone",
    ]);
  });
});

describe("guard report: public controls", () => {
  it("maps every rule (an empty list when no public control matches)", () => {
    expect(GUARD_RULES.map((r) => r.id).filter((id) => !(id in RULE_CONTROLS))).toEqual([]);
  });

  it("shows each control the platform is measured against as passing or suppressed with a reason", () => {
    const config = exampleConfig();
    const app = synthApp(config);
    const report = runGuards(
      app.stacks as Record<string, SynthesizedStackJson>,
      guardOptionsFromConfig(config),
    );
    const rulesOf = (control: string) =>
      report.rules.filter((r) =>
        [...r.controls.checkov, ...r.controls.securityHub, ...r.controls.trivy].includes(control),
      );
    for (const control of [
      "CKV_AWS_150",
      "CKV2_AWS_28",
      "CKV_AWS_260",
      "CKV_AWS_385",
      "CKV2_AWS_57",
      "CKV_AWS_355",
    ]) {
      const rules = rulesOf(control);
      expect(rules.length, control).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(
          report.findings.filter((f) => f.ruleId === rule.id),
          control,
        ).toEqual([]);
      }
    }
    const reasons = (ruleId: string) =>
      report.suppressed.filter((s) => s.ruleId === ruleId).map((s) => `${s.stackId} ${s.address}`);
    // Staging's ALB: WAF off by default outside production (the reason names the config switch).
    expect(reasons("ALB_WAF")).toEqual(["network-staging aws_lb.Alb_16C2F182"]);
    expect(reasons("SECRETS_ROTATION")).toHaveLength(4);
    expect(
      reasons("ECS_SERVICE_HIGH_AVAILABILITY").every((r) => r.startsWith("services-staging")),
    ).toBe(true);
    expect(reasons("SG_NO_PUBLIC_HTTP")).toHaveLength(2);
  });
});
