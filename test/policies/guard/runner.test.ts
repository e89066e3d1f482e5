import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatErrors,
  formatReport,
  formatReportMarkdown,
  writeReport,
} from "../../../src/policies/guard/report";
import { guardOptionsFromConfig, runGuards } from "../../../src/policies/guard/runner";
import { suppressGuard } from "../../../src/policies/guard/suppress";
import { stackOf, synthStack } from "./helpers";

function repository(suppress?: (repo: EcrRepository) => void) {
  return synthStack((stack) => {
    const repo = new EcrRepository(stack, "api", {
      name: "acme/api",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:1:key/k" }],
      lifecycle: { preventDestroy: true },
    });
    suppress?.(repo);
  });
}

describe("suppressGuard", () => {
  it("needs a non-empty reason", () => {
    expect(() => repository((r) => suppressGuard(r, "ECR_TAG_IMMUTABLE", "  "))).toThrow(
      /suppressing ECR_TAG_IMMUTABLE on .*api needs a reason/,
    );
  });

  it("rejects unknown rule ids", () => {
    expect(() => repository((r) => suppressGuard(r, "ECR_TAGS_IMMUTABLE", "typo"))).toThrow(
      /unknown guard rule "ECR_TAGS_IMMUTABLE"/,
    );
  });

  it("records the reason in the resource's // metadata and keeps cdktf's own", () => {
    const json = repository((r) =>
      suppressGuard(r, "ECR_TAG_IMMUTABLE", "latest tag for local dev"),
    );
    const meta = json.resource?.aws_ecr_repository.api["//"];
    expect(meta).toEqual({
      metadata: expect.objectContaining({ path: "test/api" }),
      guard_suppressions: { ECR_TAG_IMMUTABLE: "latest tag for local dev" },
    });
  });

  it("moves the finding into the report's suppressed list with its reason", () => {
    const report = runGuards({
      ecr: repository((r) => suppressGuard(r, "ECR_TAG_IMMUTABLE", "latest tag for local dev")),
    });
    expect(report.findings.filter((f) => f.ruleId === "ECR_TAG_IMMUTABLE")).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({ ruleId: "ECR_TAG_IMMUTABLE", reason: "latest tag for local dev" }),
    ]);
    expect(report.suppressions).toEqual([
      {
        stackId: "ecr",
        address: "aws_ecr_repository.api",
        ruleId: "ECR_TAG_IMMUTABLE",
        reason: "latest tag for local dev",
        used: true,
      },
    ]);
    expect(report.counts).toEqual({ error: 1, warning: 0, suppressed: 1 }); // lifecycle policy missing
    const text = formatReport(report);
    expect(text).toMatch(/suppressed: 1/);
    expect(text).toMatch(
      /ECR_TAG_IMMUTABLE {2}ecr {2}aws_ecr_repository.api\n {6}reason: latest tag/,
    );
    expect(formatReportMarkdown(report)).toMatch(
      /\| ECR_TAG_IMMUTABLE \| CKV_AWS_51, ECR.2, AVD-AWS-0031 \| ecr \| `aws_ecr_repository.api` \| latest tag for local dev \| yes \|/,
    );
  });

  it("reports a suppression that no longer matches anything as unused", () => {
    const report = runGuards({
      ecr: repository((r) => suppressGuard(r, "ECR_NO_FORCE_DELETE", "stale")),
    });
    expect(report.suppressions).toEqual([expect.objectContaining({ used: false })]);
    expect(formatReport(report)).toMatch(/unused/);
  });

  it("a hand-edited suppression without a reason or with an unknown rule is an error", () => {
    const report = runGuards({
      s: stackOf({
        aws_sns_topic: {
          t: {
            kms_master_key_id: "k",
            "//": { guard_suppressions: { SNS_TOPIC_KMS: "", NOT_A_RULE: "x" } },
          },
        },
      }),
    });
    expect(report.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      expect.stringMatching(/GUARD_SUPPRESSION_INVALID: suppression names unknown rule NOT_A_RULE/),
      expect.stringMatching(
        /GUARD_SUPPRESSION_INVALID: suppression of SNS_TOPIC_KMS has no reason/,
      ),
    ]);
  });
});

describe("runGuards", () => {
  it("counts per severity, sorts errors first, and says what and how to fix", () => {
    const report = runGuards({
      b: stackOf({ aws_sns_topic: { t: { name: "t" } } }),
      a: stackOf({
        aws_iam_role_policy: {
          p: {
            policy: JSON.stringify({
              Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::x" }],
            }),
          },
        },
      }),
    });
    expect(report.stacks).toEqual(["a", "b"]);
    expect(report.counts).toEqual({ error: 1, warning: 1, suppressed: 0 });
    expect(report.findings.map((f) => [f.severity, f.ruleId, f.stackId, f.address])).toEqual([
      ["error", "SNS_TOPIC_KMS", "b", "aws_sns_topic.t"],
      ["warning", "IAM_NO_SERVICE_WILDCARD_ACTION", "a", "aws_iam_role_policy.p"],
    ]);
    expect(formatErrors(report)).toMatch(
      /SNS_TOPIC_KMS {2}b {2}aws_sns_topic.t\n {6}topic is not encrypted; set kms_master_key_id/,
    );
  });

  it("holds every environment's internet-facing ALB to deletion protection and WAF", () => {
    const lb = {
      aws_lb: {
        lb: { drop_invalid_header_fields: true, access_logs: { enabled: true, bucket: "b" } },
      },
    };
    const tagged = (env: string) =>
      stackOf(lb, { provider: { aws: [{ default_tags: [{ tags: { Environment: env } }] }] } });
    const options = guardOptionsFromConfig({
      environments: { staging: { production: false }, live: { production: true } },
    });
    const report = runGuards({ staging: tagged("staging"), live: tagged("live") }, options);
    expect(report.findings.map((f) => `${f.ruleId} ${f.stackId}`).sort()).toEqual([
      "ALB_DELETION_PROTECTION live",
      "ALB_DELETION_PROTECTION staging",
      "ALB_WAF live",
      "ALB_WAF staging",
    ]);
  });

  it("writes guard-report.json and guard-report.md", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-report-"));
    try {
      const report = runGuards({ s: stackOf({ aws_sns_topic: { t: {} } }) });
      writeReport(dir, report);
      expect(JSON.parse(readFileSync(join(dir, "guard-report.json"), "utf8"))).toEqual(
        JSON.parse(JSON.stringify(report)),
      );
      expect(readFileSync(join(dir, "guard-report.md"), "utf8")).toMatch(/^# Guard report/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
