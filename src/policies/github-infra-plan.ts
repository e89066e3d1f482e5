import { policyDocument, type PolicyDocument, type PolicyStatement } from "./document";
import { stateReadAndLockStatements, type StateLocation } from "./terraform-state-access";

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
 * The plan role's own policy, on top of the configuration reads it shares with the apply role
 * (configuration-reads.ts): the state it reads and the lock files it writes (S3 backend only),
 * and the explicit deny of secret values.
 */
export function planPolicy(state?: StateLocation): PolicyDocument {
  return policyDocument(...(state ? stateReadAndLockStatements(state) : []), denySecretValues());
}
