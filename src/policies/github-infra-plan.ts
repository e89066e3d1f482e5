import { policyDocument, type PolicyDocument, type PolicyStatement } from "./document";
import { stateReadAndLockStatements, type StateLocation } from "./terraform-state-access";

/**
 * AWS's managed read-only policy. `terraform plan` refreshes every resource of every stack: VPCs,
 * load balancers, ECS, IAM, KMS, Route 53, CodePipeline, Amplify... A hand-written read list would
 * break each time a stack adds a resource type; ReadOnlyAccess holds no write action, and the
 * secret values it would not expose anyway are denied explicitly below.
 */
export const READ_ONLY_ACCESS_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** CI roles never read secret values: Terraform creates the containers, values are set out of band. */
export function denySecretValues(): PolicyStatement {
  return {
    Sid: "NeverReadSecretValues",
    Effect: "Deny",
    Action: "secretsmanager:GetSecretValue",
    Resource: "*",
  };
}

/**
 * The plan role's own policy (on top of ReadOnlyAccess): the state it reads and the lock files it
 * writes (S3 backend only), and the explicit deny of secret values.
 */
export function planPolicy(state?: StateLocation): PolicyDocument {
  return policyDocument(...(state ? stateReadAndLockStatements(state) : []), denySecretValues());
}
