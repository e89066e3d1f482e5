import { accountRootArn, type PolicyStatement } from "./document";

export interface CrossAccountStateAccess {
  readonly bucketArn: string;
  /** State objects live under `<prefix>/`. */
  readonly prefix: string;
  /** Accounts other than the state account whose roles plan or deploy stacks. */
  readonly accountIds: readonly string[];
  /** Role ARNs (in those accounts) that plan: read state, write only lock files. */
  readonly planRoleArns: readonly string[];
  /** Role ARNs (in those accounts) that apply: read and write state. */
  readonly applyRoleArns: readonly string[];
}

/**
 * Resource-policy statements that let the platform's roles in other accounts use the state bucket
 * and its key. Principals are the accounts (a role that does not exist yet cannot be a principal,
 * and the state stack is deployed first), narrowed to the exact roles with aws:PrincipalArn; the
 * roles' own IAM policies must allow the same, as cross-account access needs both sides.
 */
export function crossAccountStateBucketStatements(
  access: CrossAccountStateAccess,
): PolicyStatement[] {
  if (access.accountIds.length === 0) return [];
  const principal = { AWS: access.accountIds.map(accountRootArn) };
  const allRoles = [...access.planRoleArns, ...access.applyRoleArns];
  const objects = `${access.bucketArn}/${access.prefix}/*`;
  return [
    {
      Sid: "PlatformRolesList",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:ListBucket",
      Resource: access.bucketArn,
      Condition: { ArnEquals: { "aws:PrincipalArn": allRoles } },
    },
    {
      Sid: "PlatformRolesReadState",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:GetObject",
      Resource: objects,
      Condition: { ArnEquals: { "aws:PrincipalArn": allRoles } },
    },
    {
      Sid: "PlatformRolesWriteLocks",
      Effect: "Allow",
      Principal: principal,
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${access.bucketArn}/${access.prefix}/*.tflock`,
      Condition: { ArnEquals: { "aws:PrincipalArn": allRoles } },
    },
    {
      Sid: "ApplyRolesWriteState",
      Effect: "Allow",
      Principal: principal,
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: objects,
      Condition: { ArnEquals: { "aws:PrincipalArn": [...access.applyRoleArns] } },
    },
  ];
}

/** The key-policy side: encrypt and decrypt state objects, for the same roles. */
export function crossAccountStateKeyStatements(access: CrossAccountStateAccess): PolicyStatement[] {
  if (access.accountIds.length === 0) return [];
  return [
    {
      Sid: "PlatformRolesUseStateKey",
      Effect: "Allow",
      Principal: { AWS: access.accountIds.map(accountRootArn) },
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      // In a key policy, "*" means "this key".
      Resource: "*",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": [...access.planRoleArns, ...access.applyRoleArns] },
      },
    },
  ];
}
