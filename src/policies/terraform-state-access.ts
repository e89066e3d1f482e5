import type { PolicyStatement } from "./document";

/** Where the S3 backend keeps this platform's state. */
export interface StateLocation {
  readonly bucket: string;
  /** State objects live under `<prefix>/` (the project name). */
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
  /** `alias/<project>-tfstate` */
  readonly keyAlias: string;
}

/**
 * The state key, named by alias. IAM cannot name a key by its alias ARN, and the key id is only
 * known after the state stack ran, so the statement names any key of the state account and
 * region and narrows it to the key that carries the alias.
 */
function stateKeyStatement(sid: string, state: StateLocation): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
    Resource: `arn:aws:kms:${state.region}:${state.accountId}:key/*`,
    Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": state.keyAlias } },
  };
}

/**
 * What `terraform plan` needs of the state: list the bucket, read this project's state objects,
 * and write or delete only the S3-native lock files (`<key>.tflock`), never a state object.
 */
export function stateReadAndLockStatements(state: StateLocation): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucket}`;
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "StateRead",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${state.prefix}/*`,
    },
    {
      Sid: "StateLockFiles",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/${state.prefix}/*.tflock`,
    },
    stateKeyStatement("StateKey", state),
  ];
}

/** What `terraform apply` needs of the state: read and write this project's objects. */
export function stateReadWriteStatements(state: StateLocation): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucket}`;
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "StateReadWrite",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/${state.prefix}/*`,
    },
    stateKeyStatement("StateKey", state),
  ];
}
