import type { GithubConfig, PlatformConfig } from "../config";

/**
 * The `sub` claims the GitHub roles trust, derived from config only. GitHub's forms:
 * `repo:OWNER/REPO:ref:refs/heads/BRANCH`, `...:environment:NAME`, `...:pull_request`; with the
 * immutable format the owner and repository carry their numeric ids (`repo:OWNER@ID/REPO@ID:...`),
 * so a deleted and re-created repository of the same name is not trusted.
 */

type Repo = "appRepository" | "infraRepository";

/** `repo:OWNER/REPO` or `repo:OWNER@ID/REPO@ID`. */
export function repoClaim(github: GithubConfig, repo: Repo): string {
  const name = github[repo];
  if (github.subjectFormat === "immutable") {
    // Config validation guarantees the ids with this format; this guards direct callers.
    if (!github.ids) throw new Error('github.subjectFormat "immutable" needs github.ids');
    return `repo:${github.owner}@${github.ids.owner}/${name}@${github.ids[repo]}`;
  }
  return `repo:${github.owner}/${name}`;
}

/**
 * The GitHub environments of the infra repository: one per platform environment plus the apply
 * environment, each restricted to the apply branch (see the github-repos stack).
 */
export function infraGithubEnvironments(config: PlatformConfig): string[] {
  return [...new Set([...Object.keys(config.environments), config.github.infraApplyEnvironment])];
}

export interface GithubSubjects {
  /** The app repository's deploy branch. */
  readonly publisher: readonly string[];
  /** The infra repository's pull requests, and its apply branch (the nightly drift check). */
  readonly plan: readonly string[];
  /** The infra repository's apply environment (reviewers, apply branch only), in every account. */
  readonly apply: readonly string[];
}

export function githubSubjects(config: PlatformConfig): GithubSubjects {
  const github = config.github;
  const app = repoClaim(github, "appRepository");
  const infra = repoClaim(github, "infraRepository");
  return {
    publisher: [`${app}:ref:refs/heads/${github.deployBranch}`],
    // Read-only: pull requests plan, and scheduled drift checks run on the apply branch.
    plan: [`${infra}:pull_request`, `${infra}:ref:refs/heads/${github.infraApplyBranch}`],
    // Only jobs in the apply environment may apply, in every account: its required reviewers and
    // its deployment branch policy (apply branch only) gate every write. Left out on purpose:
    // the bare branch form (any workflow on the apply branch would skip the reviewers) and the
    // other GitHub environments (a `staging` job could reach the tooling account's apply role,
    // and through the pipeline role, production deploys).
    apply: [`${infra}:environment:${github.infraApplyEnvironment}`],
  };
}
