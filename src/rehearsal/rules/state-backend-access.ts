import { isAllowed } from "../../iam/simulate";
import { type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface S3BackendJson {
  readonly bucket?: string;
  readonly key?: string;
  readonly kms_key_id?: string;
  readonly use_lockfile?: boolean;
  readonly region?: string;
}

/**
 * A CI step's role must be able to use the S3 backend: list the bucket, read and write its state
 * object and its S3-native lock file, and encrypt with the state key. Across accounts both the
 * role's policy and the bucket (and key) policy must allow each request, or init, plan or the
 * state write after apply fails (AccessDenied).
 */
export const STATE_BACKEND_ACCESS: RehearsalRule = {
  id: "STATE_BACKEND_ACCESS",
  models: "CI roles can read, lock and write their stack's state in the state bucket",
  docs: [
    "Terraform: Backend Type s3 (permissions: s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject for the lock file; KMS)",
    "Amazon S3 User Guide: Bucket owner granting cross-account bucket permissions",
    "AWS KMS Developer Guide: Allowing users in other accounts to use a KMS key",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    const { app, step } = context;
    if (step.firstApply !== "ci" || !step.roleArn) return [];
    const backend = (
      app.document(step.stack).terraform?.backend as { s3?: S3BackendJson } | undefined
    )?.s3;
    const role = context.roles.get(step.roleArn);
    if (!backend?.bucket || !backend.key || !role) return [];
    const bucketArn = `arn:aws:s3:::${backend.bucket}`;
    const bucketPolicyRef = app.stackIds
      .flatMap((id) => app.resources(id, "aws_s3_bucket_policy"))
      .find((p) => app.resolve(p.stack, String(p.config.bucket)) === backend.bucket);
    const bucketOwner = bucketPolicyRef ? app.placement(bucketPolicyRef).accountId : role.accountId;
    const findings: RehearsalFinding[] = [];
    const base = {
      principal: role.arn,
      region: backend.region,
      identityPolicies: role.policies.map((p) => p.document),
      context: {},
    };
    const requests: [string, string][] = [
      ["s3:ListBucket", bucketArn],
      ["s3:GetObject", `${bucketArn}/${backend.key}`],
      ["s3:PutObject", `${bucketArn}/${backend.key}`],
      ...(backend.use_lockfile
        ? ([
            ["s3:PutObject", `${bucketArn}/${backend.key}.tflock`],
            ["s3:DeleteObject", `${bucketArn}/${backend.key}.tflock`],
          ] as [string, string][])
        : []),
    ];
    for (const [action, resource] of requests) {
      const allowed = await isAllowed({
        ...base,
        action,
        resource,
        resourceAccount: bucketOwner,
        resourcePolicy: bucketPolicyRef ? app.policy(bucketPolicyRef, "policy") : undefined,
      });
      if (!allowed) {
        findings.push(
          finding(
            STATE_BACKEND_ACCESS,
            step.stack,
            "",
            `${role.arn} may not ${action} ${resource}: terraform fails with AccessDenied on the state`,
            "grant the stack's CI role its state in the role's policy and the state bucket policy",
          ),
        );
      }
    }
    const key = stateKey(context, backend.kms_key_id);
    if (key) {
      const alias = /:(alias\/.+)$/.exec(backend.kms_key_id ?? "")?.[1];
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        const allowed = await isAllowed({
          ...base,
          action,
          resource: app.attribute(key, "arn"),
          resourceAccount: app.placement(key).accountId,
          resourcePolicy: app.policy(key, "policy"),
          context: {
            ...(alias ? { "kms:ResourceAliases": [alias] } : {}),
            "kms:ViaService": `s3.${app.placement(key).region}.amazonaws.com`,
          },
        });
        if (!allowed) {
          findings.push(
            finding(
              STATE_BACKEND_ACCESS,
              step.stack,
              "",
              `${role.arn} may not ${action} with the state key: reading or writing the encrypted state fails`,
              "grant the CI role the state key in its policy and the key policy",
            ),
          );
        }
      }
    }
    return findings;
  },
};

/** The key a backend's kms_key_id names (an alias ARN resolved through aws_kms_alias). */
function stateKey(context: StepContext, kmsKeyId: string | undefined): ResourceRef | undefined {
  if (!kmsKeyId) return undefined;
  const { app } = context;
  const alias = /:(alias\/.+)$/.exec(kmsKeyId)?.[1];
  const aliasRef = app.stackIds
    .flatMap((id) => app.resources(id, "aws_kms_alias"))
    .find((a) => a.config.name === alias);
  return aliasRef ? app.referenced(aliasRef, "target_key_id") : context.resourceByArn(kmsKeyId);
}
