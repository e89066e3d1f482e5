import { describe, expect, it } from "vitest";
import { lookupAction } from "../../src/policies/guard/iam-catalog";
import { requiresWildcardResource } from "../../src/policies/guard/rules/iam-no-wildcard-resource";
import { guardOptionsFromConfig, runGuards } from "../../src/policies/guard/runner";
import type { SynthesizedStackJson } from "../../src/policies/guard/types";
import type { PolicyDocument } from "../../src/policies/document";
import { applyPolicies } from "../../src/policies/github-infra-apply";
import { planPolicy } from "../../src/policies/github-infra-plan";
import { publisherPolicy } from "../../src/policies/github-publisher";
import { exampleConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";

const STATE = {
  bucket: "acme-tfstate-111111111111",
  prefix: "acme",
  region: "eu-west-1",
  accountId: "111111111111",
  keyAlias: "alias/acme-tfstate",
};

const DOCUMENTS: Record<string, PolicyDocument> = {
  publisher: publisherPolicy({
    region: "eu-west-1",
    accountId: "111111111111",
    repositoryArns: ["arn:aws:ecr:eu-west-1:111111111111:repository/acme/api"],
    kmsKeyAlias: "alias/acme-ecr",
  }),
  plan: planPolicy(STATE),
  ...Object.fromEntries(
    Object.entries(
      applyPolicies({
        project: "acme",
        accountId: "111111111111",
        regions: ["eu-west-1"],
        hostedZoneIds: ["Z0123456789"],
        state: STATE,
        tagKeys: ["Project", "Environment", "ManagedBy", "Stack"],
        writableObjectArns: ["arn:aws:s3:::acme-deploy-config-111111111111/deploy-config.zip"],
      }),
    ).map(([k, v]) => [`apply-${k}`, v]),
  ),
};

const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

describe("GitHub role policies", () => {
  it.each(Object.entries(DOCUMENTS))("%s names only real IAM actions", (_, doc) => {
    for (const statement of doc.Statement) {
      for (const action of [...list(statement.Action), ...list(statement.NotAction)]) {
        const found = lookupAction(action);
        expect(found.ok, `${action}: ${found.ok ? "" : found.problem}`).toBe(true);
      }
    }
  });

  it.each(Object.entries(DOCUMENTS))(
    "%s grants Resource * only for actions without resource-level permissions",
    (_, doc) => {
      for (const s of doc.Statement) {
        if (s.Effect !== "Allow" || !list(s.Resource).includes("*")) continue;
        for (const action of list(s.Action)) {
          expect(requiresWildcardResource(action), `${s.Sid}: ${action}`).toBe(true);
        }
      }
    },
  );

  it.each(Object.entries(DOCUMENTS))("%s has unique Sids and no Action *", (_, doc) => {
    const sids = doc.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(doc.Statement.flatMap((s) => list(s.Action))).not.toContain("*");
  });

  it("the synthesized github stacks pass every guard rule", () => {
    const config = exampleConfig();
    const app = synthApp(config);
    const report = runGuards(
      {
        "github-oidc": JSON.parse(app.text["github-oidc"]) as SynthesizedStackJson,
        "github-repos": JSON.parse(app.text["github-repos"]) as SynthesizedStackJson,
      },
      guardOptionsFromConfig(config),
    );
    expect(report.findings).toEqual([]);
  });
});
