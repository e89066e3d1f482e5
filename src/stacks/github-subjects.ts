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
  /**
   * The infra repository's GitHub environments (each admits only the apply branch), over all
   * accounts. Each account's apply role trusts only its share: see `applySubjectsIn`.
   */
  readonly apply: readonly string[];
}

/**
 * The subjects the apply role of one account trusts: the apply environment (the deploy job,
 * which applies every stack in every account) and the environments whose stacks live in that
 * account. A job of another environment must not reach the account: `environment:staging` (often
 * without required reviewers) would otherwise assume the production account's apply role and skip
 * the production environment's reviewers.
 */
export function applySubjectsIn(config: PlatformConfig, accountId: string): string[] {
  const infra = repoClaim(config.github, "infraRepository");
  const local = Object.keys(config.environments).filter(
    (name) => config.environments[name].accountId === accountId,
  );
  return [...new Set([config.github.infraApplyEnvironment, ...local])].map(
    (env) => `${infra}:environment:${env}`,
  );
}

export function githubSubjects(config: PlatformConfig): GithubSubjects {
  const github = config.github;
  const app = repoClaim(github, "appRepository");
  const infra = repoClaim(github, "infraRepository");
  return {
    publisher: [`${app}:ref:refs/heads/${github.deployBranch}`],
    // Read-only: pull requests plan, and scheduled drift checks run on the apply branch.
    plan: [`${infra}:pull_request`, `${infra}:ref:refs/heads/${github.infraApplyBranch}`],
    // Only jobs that declare a GitHub environment may apply: the environment's reviewers and its
    // deployment branch policy (apply branch only) gate every write. The bare branch form is
    // left out on purpose, or any workflow on the apply branch could skip the reviewers.
    apply: infraGithubEnvironments(config).map((env) => `${infra}:environment:${env}`),
  };
}
