import { isAllowed } from "../../iam/simulate";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/**
 * Each provider block can get credentials for its account in the runbook's flow. The AWS
 * provider uses the caller's credentials unless it assumes a role; with `allowed_account_ids` it
 * refuses any other account ("AWS account ID not allowed"), so two blocks for two accounts
 * without `assume_role` can never both pass. On CI steps the credentials are the account's
 * apply role, assumed with the deploy job's GitHub OIDC token: that role must exist (created by
 * an earlier step) and trust exactly that token, and may assume any role a provider names.
 */
export const STACK_CREDENTIALS: RehearsalRule = {
  id: "STACK_CREDENTIALS",
  models:
    "providers refuse accounts outside allowed_account_ids; CI roles must exist and trust the deploy job",
  docs: [
    "Terraform AWS provider: allowed_account_ids, assume_role",
    "IAM User Guide: Create a role for OpenID Connect federation (GitHub Actions conditions aud, sub)",
    "HCP Terraform: Dynamic provider credentials, AWS configuration (aud, sub with run_phase)",
    "AWS STS API Reference: AssumeRoleWithWebIdentity",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    const report = (effect: string, fix: string) =>
      findings.push(finding(STACK_CREDENTIALS, step.stack, "", effect, fix));
    const providers = app.providers(step.stack);
    const callerAccount = step.accountId;
    for (const provider of providers) {
      const target = provider.assumeRoleArn
        ? /^arn:aws[\w-]*:iam::(\d{12}):/.exec(provider.assumeRoleArn)?.[1]
        : callerAccount;
      if (provider.accountIds.length > 0 && target && !provider.accountIds.includes(target)) {
        report(
          `provider ${provider.key} allows account ${provider.accountIds.join(", ")} but runs with credentials of ${target}${provider.assumeRoleArn ? ` (role ${provider.assumeRoleArn})` : " (the applier's, no assume_role)"}: plan fails with "AWS account ID not allowed"`,
          "give the stack one account (one stack per account) or an assume_role into each other account",
        );
      }
      if (!target) {
        report(
          `provider ${provider.key} has no assume_role and the runbook names no account for ${step.stack}`,
          "record the stack's account in the runbook",
        );
      }
    }
    if (step.firstApply !== "ci") return findings;

    const role = step.roleArn ? context.roles.get(step.roleArn) : undefined;
    if (!step.roleArn || !role) {
      report(
        `CI applies ${step.stack} with ${step.roleArn ?? "no role"}, which no stack creates`,
        "create the account's apply role in its GitHub OIDC bootstrap stack",
      );
      return findings;
    }
    if (!context.applied.includes(role.ref.stack)) {
      report(
        `CI applies ${step.stack} with ${role.arn}, created by ${role.ref.stack}, which is not applied yet: AssumeRoleWithWebIdentity fails`,
        `apply ${role.ref.stack} before ${step.stack}`,
      );
    }
    const token = step.token;
    const trusted =
      token !== undefined &&
      (await isAllowed({
        principal: `arn:aws:iam::${role.accountId}:oidc-provider/${token.host}`,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: role.arn,
        resourceAccount: role.accountId,
        resourcePolicy: role.trust,
        context: { [`${token.host}:aud`]: token.audience, [`${token.host}:sub`]: token.subject },
      }));
    if (!trusted) {
      report(
        `${role.arn} does not trust the token CI applies ${step.stack} with (${token ? `${token.host} sub ${token.subject}` : "none"}): AssumeRoleWithWebIdentity is denied`,
        "trust that subject (the apply environment's, or the workspace's apply phase) in the apply role",
      );
    }
    for (const p of providers.filter((x) => x.assumeRoleArn)) {
      const may = await isAllowed({
        principal: role.arn,
        action: "sts:AssumeRole",
        resource: p.assumeRoleArn as string,
        // The identity side only: the assumed role is the operator's (config deployRoleArn), its
        // trust policy is not in the synthesized output.
        resourceAccount: role.accountId,
        identityPolicies: role.policies.map((x) => x.document),
        context: { "aws:PrincipalArn": role.arn },
      });
      if (!may) {
        report(
          `${role.arn} may not sts:AssumeRole ${p.assumeRoleArn} (provider ${p.key}): the provider fails to configure`,
          "allow the apply role to assume the deploy role",
        );
      }
    }
    return findings;
  },
};
