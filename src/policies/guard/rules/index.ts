import { ALB_WAF } from "./alb-waf";
import { ECS_SERVICE_HIGH_AVAILABILITY } from "./ecs-service-high-availability";
import { SECRETS_ROTATION } from "./secrets-rotation";
import { SG_NO_PUBLIC_HTTP } from "./sg-no-public-http";
import { SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED } from "./sns-topic-account-principal";
/**
 * Every guard rule, in report order (grouped by service). A new rule: one file here, exported
 * and listed below, a compliant and a non-compliant test, and a row in docs/guardrails.md.
 */
import { ALB_ACCESS_LOGS } from "./alb-access-logs";
import { ALB_DELETION_PROTECTION } from "./alb-deletion-protection";
import { ALB_DROP_INVALID_HEADERS } from "./alb-drop-invalid-headers";
import { ALB_HTTP_LISTENER_REDIRECTS } from "./alb-http-listener-redirects";
import { ALB_LISTENER_TLS_POLICY } from "./alb-listener-tls-policy";
import { CODEBUILD_ENCRYPTED } from "./codebuild-encrypted";
import { CODEDEPLOY_ROLE_SCOPED } from "./codedeploy-role-scoped";
import { CODEBUILD_LOGS } from "./codebuild-logs";
import { CODEBUILD_NOT_PRIVILEGED } from "./codebuild-not-privileged";
import { CODEPIPELINE_ARTIFACTS_ENCRYPTED } from "./codepipeline-artifacts-encrypted";
import { ECR_KMS_ENCRYPTED } from "./ecr-kms-encrypted";
import { ECR_LIFECYCLE_POLICY } from "./ecr-lifecycle-policy";
import { ECR_NO_FORCE_DELETE } from "./ecr-no-force-delete";
import { ECR_SCAN_ON_PUSH } from "./ecr-scan-on-push";
import { ECR_TAG_IMMUTABLE } from "./ecr-tag-immutable";
import { ECS_CLUSTER_CONTAINER_INSIGHTS } from "./ecs-cluster-container-insights";
import { ECS_CONTAINER_DEFINITIONS_READABLE } from "./ecs-container-definitions-readable";
import { ECS_CONTAINER_LOGGING } from "./ecs-container-logging";
import { ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT } from "./ecs-container-no-secrets-in-environment";
import { ECS_CONTAINER_NON_ROOT_USER } from "./ecs-container-non-root-user";
import { ECS_CONTAINER_NOT_PRIVILEGED } from "./ecs-container-not-privileged";
import { ECS_CONTAINER_READONLY_ROOT } from "./ecs-container-readonly-root";
import { ECS_SERVICE_CIRCUIT_BREAKER } from "./ecs-service-circuit-breaker";
import { ECS_SERVICE_NO_PUBLIC_IP } from "./ecs-service-no-public-ip";
import { ECS_TASK_NO_HOST_NAMESPACES } from "./ecs-task-no-host-namespaces";
import { ECS_TASK_ROLES_DISTINCT } from "./ecs-task-roles-distinct";
import { IAM_ACTION_EXISTS } from "./iam-action-exists";
import { IAM_NO_SERVICE_WILDCARD_ACTION } from "./iam-no-service-wildcard-action";
import { IAM_NO_WILDCARD_ACTION } from "./iam-no-wildcard-action";
import { IAM_NO_WILDCARD_RESOURCE } from "./iam-no-wildcard-resource";
import { IAM_OIDC_TRUST_PINNED } from "./iam-oidc-trust-pinned";
import { IAM_PASSROLE_PASSED_TO_SERVICE } from "./iam-passrole-passed-to-service";
import { IAM_PRIVILEGE_ESCALATION } from "./iam-privilege-escalation";
import { IAM_POLICY_READABLE } from "./iam-policy-readable";
import { IAM_ROLE_NO_INLINE_POLICY } from "./iam-role-no-inline-policy";
import { IAM_SERVICE_TRUST_SCOPED } from "./iam-service-trust-scoped";
import { KMS_KEY_NO_PUBLIC_PRINCIPAL } from "./kms-key-no-public-principal";
import { KMS_KEY_ROTATION } from "./kms-key-rotation";
import { LOGS_KMS } from "./logs-kms";
import { LOGS_RETENTION } from "./logs-retention";
import { NO_LITERAL_CREDENTIALS } from "./no-literal-credentials";
import { RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL } from "./resource-policy-no-public-principal";
import { S3_BUCKET_ACCESS_LOGGING } from "./s3-bucket-access-logging";
import { S3_BUCKET_ENCRYPTED } from "./s3-bucket-encrypted";
import { S3_BUCKET_NO_FORCE_DESTROY } from "./s3-bucket-no-force-destroy";
import { S3_BUCKET_PUBLIC_ACCESS_BLOCKED } from "./s3-bucket-public-access-blocked";
import { S3_BUCKET_TLS_ONLY } from "./s3-bucket-tls-only";
import { S3_BUCKET_VERSIONED } from "./s3-bucket-versioned";
import { SECRETS_KMS } from "./secrets-kms";
import { SECRETS_NO_LITERAL_VALUE } from "./secrets-no-literal-value";
import { SG_NO_ALL_PROTOCOL_INGRESS } from "./sg-no-all-protocol-ingress";
import { SG_NO_PUBLIC_INGRESS } from "./sg-no-public-ingress";
import { SNS_TOPIC_KMS } from "./sns-topic-kms";
import { STATEFUL_DELETION_PROTECTION } from "./stateful-deletion-protection";
import { STATEFUL_PREVENT_DESTROY } from "./stateful-prevent-destroy";
import { VPC_DEFAULT_SG_CLOSED } from "./vpc-default-sg-closed";
import { VPC_FLOW_LOGS } from "./vpc-flow-logs";
import type { GuardRule } from "../types";

export const GUARD_RULES: readonly GuardRule[] = [
  S3_BUCKET_ENCRYPTED,
  S3_BUCKET_NO_FORCE_DESTROY,
  S3_BUCKET_PUBLIC_ACCESS_BLOCKED,
  S3_BUCKET_TLS_ONLY,
  S3_BUCKET_VERSIONED,
  S3_BUCKET_ACCESS_LOGGING,
  KMS_KEY_NO_PUBLIC_PRINCIPAL,
  KMS_KEY_ROTATION,
  RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL,
  ECR_KMS_ENCRYPTED,
  ECR_LIFECYCLE_POLICY,
  ECR_NO_FORCE_DELETE,
  ECR_SCAN_ON_PUSH,
  ECR_TAG_IMMUTABLE,
  ECS_CLUSTER_CONTAINER_INSIGHTS,
  ECS_CONTAINER_DEFINITIONS_READABLE,
  ECS_CONTAINER_LOGGING,
  ECS_CONTAINER_NON_ROOT_USER,
  ECS_CONTAINER_NOT_PRIVILEGED,
  ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT,
  ECS_CONTAINER_READONLY_ROOT,
  ECS_SERVICE_CIRCUIT_BREAKER,
  ECS_SERVICE_NO_PUBLIC_IP,
  ECS_TASK_NO_HOST_NAMESPACES,
  ECS_TASK_ROLES_DISTINCT,
  ALB_ACCESS_LOGS,
  ALB_DELETION_PROTECTION,
  ALB_DROP_INVALID_HEADERS,
  ALB_HTTP_LISTENER_REDIRECTS,
  ALB_LISTENER_TLS_POLICY,
  SG_NO_ALL_PROTOCOL_INGRESS,
  SG_NO_PUBLIC_INGRESS,
  VPC_DEFAULT_SG_CLOSED,
  VPC_FLOW_LOGS,
  IAM_ACTION_EXISTS,
  IAM_NO_SERVICE_WILDCARD_ACTION,
  IAM_NO_WILDCARD_ACTION,
  IAM_NO_WILDCARD_RESOURCE,
  IAM_OIDC_TRUST_PINNED,
  IAM_PASSROLE_PASSED_TO_SERVICE,
  IAM_PRIVILEGE_ESCALATION,
  ALB_WAF,
  SG_NO_PUBLIC_HTTP,
  SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED,
  SECRETS_ROTATION,
  ECS_SERVICE_HIGH_AVAILABILITY,
  IAM_POLICY_READABLE,
  IAM_ROLE_NO_INLINE_POLICY,
  IAM_SERVICE_TRUST_SCOPED,
  LOGS_KMS,
  LOGS_RETENTION,
  SNS_TOPIC_KMS,
  SECRETS_KMS,
  SECRETS_NO_LITERAL_VALUE,
  CODEBUILD_ENCRYPTED,
  CODEBUILD_LOGS,
  CODEBUILD_NOT_PRIVILEGED,
  CODEPIPELINE_ARTIFACTS_ENCRYPTED,
  CODEDEPLOY_ROLE_SCOPED,
  NO_LITERAL_CREDENTIALS,
  STATEFUL_DELETION_PROTECTION,
  STATEFUL_PREVENT_DESTROY,
];

export function guardRule(id: string): GuardRule | undefined {
  return GUARD_RULES.find((r) => r.id === id);
}
