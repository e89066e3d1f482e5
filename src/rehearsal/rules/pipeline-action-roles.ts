import { isAllowed } from "../../iam/simulate";
import { addressOf } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface Action {
  readonly name: string;
  readonly role_arn?: string;
}

interface Stage {
  readonly name: string;
  readonly action?: readonly Action[];
}

/**
 * CreatePipeline and UpdatePipeline check that the pipeline's role can assume the role of each
 * action that names one ("... is not authorized to perform AssumeRole on action role"): the
 * action role must exist, the pipeline role's policy must allow sts:AssumeRole on it, and the
 * action role's trust must allow the pipeline role.
 */
export const PIPELINE_ACTION_ROLES: RehearsalRule = {
  id: "PIPELINE_ACTION_ROLES",
  models: "the pipeline role must be able to assume every action role when the pipeline is created",
  docs: [
    "AWS CodePipeline User Guide: Create a pipeline in CodePipeline that uses resources from another AWS account",
    "AWS CodePipeline API Reference: CreatePipeline (InvalidStructureException: not authorized to perform AssumeRole on action role)",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    for (const pipeline of app.resources(step.stack, "aws_codepipeline")) {
      const pipelineRoleArn = app.resolve(step.stack, String(pipeline.config.role_arn));
      const pipelineRole = context.roles.get(pipelineRoleArn);
      for (const stage of (pipeline.config.stage as Stage[] | undefined) ?? []) {
        for (const action of stage.action ?? []) {
          if (!action.role_arn) continue;
          const actionRoleArn = app.resolve(step.stack, action.role_arn);
          const where = `${stage.name}/${action.name}`;
          const report = (effect: string, fix: string) =>
            findings.push(
              finding(PIPELINE_ACTION_ROLES, step.stack, addressOf(pipeline), effect, fix),
            );
          const actionRole = context.roles.get(actionRoleArn);
          if (!actionRole) {
            report(
              `action ${where} runs as ${actionRoleArn}, which no stack creates: CreatePipeline fails`,
              "create the action role in a stack applied before the pipeline",
            );
            continue;
          }
          if (!context.existsFor(actionRole.ref, pipeline)) {
            report(
              `action ${where} runs as ${actionRoleArn}, created by ${actionRole.ref.stack}, which is applied later: CreatePipeline fails ("not authorized to perform AssumeRole on action role")`,
              `apply ${actionRole.ref.stack} before ${step.stack} (name the pipeline role in its trust through aws:PrincipalArn)`,
            );
          }
          if (!pipelineRole) {
            report(`the pipeline role ${pipelineRoleArn} is not a platform role`, "create it");
            continue;
          }
          const request = {
            principal: pipelineRole.arn,
            action: "sts:AssumeRole",
            resource: actionRole.arn,
            resourceAccount: actionRole.accountId,
            context: {
              "aws:PrincipalArn": pipelineRole.arn,
              "aws:PrincipalAccount": pipelineRole.accountId,
            },
          };
          const identity = await isAllowed({
            ...request,
            resourceAccount: pipelineRole.accountId,
            identityPolicies: pipelineRole.policies.map((p) => p.document),
          });
          if (!identity) {
            report(
              `${pipelineRole.arn}'s policies do not allow sts:AssumeRole on ${actionRole.arn} (action ${where}): CreatePipeline fails`,
              "allow sts:AssumeRole on the action role in the pipeline role's policy",
            );
          }
          const trusted = await isAllowed({
            ...request,
            identityPolicies: [
              {
                Statement: [
                  { Effect: "Allow", Action: "sts:AssumeRole", Resource: actionRole.arn },
                ],
              },
            ],
            resourcePolicy: actionRole.trust,
          });
          if (!trusted) {
            report(
              `${actionRole.arn}'s trust policy does not let ${pipelineRole.arn} assume it (action ${where}): CreatePipeline fails`,
              "trust the pipeline role (account principal with an aws:PrincipalArn condition)",
            );
          }
        }
      }
    }
    return findings;
  },
};
