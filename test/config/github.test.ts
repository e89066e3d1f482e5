import { describe, expect, it } from "vitest";
import { configProblems, exampleConfig } from "../helpers/config";

type Raw = Record<string, unknown>;
const github = (input: Raw) => input.github as Raw;

/**
 * The trust policies are built from these fields with StringEquals, where `*` would be a literal
 * character; a wildcard in config is still refused, loudly, so nobody believes it matches.
 */
describe("github config: no wildcard subjects", () => {
  it.each([
    [
      "owner/*",
      "owner",
      "acme-shop/*",
      /github\.owner: "acme-shop\/\*" is not valid; .*no wildcard/,
    ],
    ["owner *", "owner", "*", /github\.owner: "\*" is not valid; .*no wildcard/],
    [
      "app repository *",
      "appRepository",
      "*",
      /github\.appRepository: "\*" is not valid; .*no wildcard/,
    ],
    [
      "app repository org/*",
      "appRepository",
      "acme-shop/*",
      /github\.appRepository: "acme-shop\/\*" is not valid; .*no wildcard/,
    ],
    [
      "infra repository shop-*",
      "infraRepository",
      "shop-*",
      /github\.infraRepository: "shop-\*" is not valid; .*no wildcard/,
    ],
    [
      "deploy branch *",
      "deployBranch",
      "*",
      /github\.deployBranch: "\*" is not valid; must be a literal git branch name: no wildcards/,
    ],
    [
      "deploy branch release/*",
      "deployBranch",
      "release/*",
      /github\.deployBranch: "release\/\*" is not valid; must be a literal git branch name/,
    ],
    [
      "apply branch ma?n",
      "infraApplyBranch",
      "ma?n",
      /github\.infraApplyBranch: "ma\?n" is not valid; must be a literal git branch name/,
    ],
    [
      "apply environment *",
      "infraApplyEnvironment",
      "*",
      /github\.infraApplyEnvironment: "\*" is not valid; .*no wildcard/,
    ],
  ])("refuses %s", (_, field, value, message) => {
    const problems = configProblems((i) => (github(i)[field] = value));
    expect(problems.join("\n")).toMatch(message);
  });
});

describe("github config: immutable subjects", () => {
  it("needs the numeric ids", () => {
    expect(configProblems((i) => (github(i).subjectFormat = "immutable")).join("\n")).toMatch(
      /github\.ids: .*subjectFormat "immutable" needs github\.ids/,
    );
  });

  it("refuses non-numeric ids", () => {
    const problems = configProblems((i) => {
      github(i).subjectFormat = "immutable";
      github(i).ids = { owner: "acme", appRepository: 1, infraRepository: 2 };
    });
    expect(problems.join("\n")).toMatch(/github\.ids\.owner/);
  });

  it("accepts ids with the immutable format", () => {
    const config = exampleConfig((c) => {
      c.github.subjectFormat = "immutable";
      c.github.ids = { owner: 1, appRepository: 2, infraRepository: 3 };
    });
    expect(config.github.ids).toEqual({ owner: 1, appRepository: 2, infraRepository: 3 });
  });
});

describe("github config: permissions boundary", () => {
  it.each([
    "arn:aws:iam::111111111111:policy/github-boundary",
    "arn:aws:iam::111111111111:policy/ci/github-boundary",
    "arn:aws:iam::aws:policy/PowerUserAccess",
  ])("accepts %s", (arn) => {
    expect(
      exampleConfig((c) => (c.github.permissionsBoundaryArn = arn)).github.permissionsBoundaryArn,
    ).toBe(arn);
  });

  it("is optional", () => {
    expect(exampleConfig().github.permissionsBoundaryArn).toBeUndefined();
  });

  it.each([
    "arn:aws:iam::111111111111:role/not-a-policy",
    "github-boundary",
    "arn:aws:iam::1111:policy/short-account",
    "arn:aws:iam::111111111111:policy/*",
  ])("refuses %s", (arn) => {
    expect(configProblems((i) => (github(i).permissionsBoundaryArn = arn)).join("\n")).toMatch(
      /github\.permissionsBoundaryArn: .* is not valid; must be an IAM policy ARN/,
    );
  });
});

describe("github config: the apply environment's required reviewers", () => {
  it("a config without reviewers is an error that says how to opt out", () => {
    const problems = configProblems((input) => {
      delete github(input).applyReviewers;
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^github\.applyReviewers: .*needs at least one team or user: .*github\.allowUnreviewedApply: true/,
      ),
    ]);
    expect(
      configProblems((input) => {
        github(input).applyReviewers = { teams: [], users: [] };
      }),
    ).toHaveLength(1);
  });

  it("an explicit opt-out is accepted", () => {
    expect(
      configProblems((input) => {
        delete github(input).applyReviewers;
        github(input).allowUnreviewedApply = true;
      }),
    ).toEqual([]);
  });

  it("GitHub's limit of six reviewers, and team slugs as GitHub writes them", () => {
    expect(
      configProblems((input) => {
        github(input).applyReviewers = { users: ["a", "b", "c", "d", "e", "f", "g"] };
      }),
    ).toEqual([expect.stringMatching(/names 7 reviewers; GitHub allows at most 6/)]);
    expect(
      configProblems((input) => {
        github(input).applyReviewers = { teams: ["Platform Admins"] };
      }),
    ).toEqual([
      expect.stringMatching(/github\.applyReviewers\.teams\[0\]: "Platform Admins" is not valid/),
    ]);
  });

  it("resolves to exampleConfig's team", () => {
    expect(exampleConfig().github.applyReviewers).toEqual({
      teams: ["platform-admins"],
      users: [],
    });
  });
});
