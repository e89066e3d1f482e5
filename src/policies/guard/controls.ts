/**
 * The public scanner controls each guard rule covers, so a team can map this platform's findings
 * and reasoned suppressions onto its own scanners: Checkov policy ids, AWS Security Hub (CSPM)
 * controls, and Trivy (AVD) ids. An empty list means no public control matches the rule (the
 * rule is this platform's own, e.g. Terraform-specific). Written into guard-report.json.
 */
export interface PublicControls {
  readonly checkov: readonly string[];
  readonly securityHub: readonly string[];
  readonly trivy: readonly string[];
}

const c = (
  checkov: string[],
  securityHub: string[] = [],
  trivy: string[] = [],
): PublicControls => ({
  checkov,
  securityHub,
  trivy,
});

export const RULE_CONTROLS: Readonly<Record<string, PublicControls>> = {
  S3_BUCKET_ENCRYPTED: c(
    ["CKV_AWS_19", "CKV_AWS_145"],
    ["S3.17"],
    ["AVD-AWS-0088", "AVD-AWS-0132"],
  ),
  S3_BUCKET_NO_FORCE_DESTROY: c([]),
  S3_BUCKET_PUBLIC_ACCESS_BLOCKED: c(
    ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
    ["S3.8"],
    ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
  ),
  S3_BUCKET_TLS_ONLY: c([], ["S3.5"]),
  S3_BUCKET_VERSIONED: c(["CKV_AWS_21"], ["S3.14"], ["AVD-AWS-0090"]),
  S3_BUCKET_ACCESS_LOGGING: c(["CKV_AWS_18"], ["S3.9"], ["AVD-AWS-0089"]),
  KMS_KEY_NO_PUBLIC_PRINCIPAL: c(["CKV_AWS_33"]),
  KMS_KEY_ROTATION: c(["CKV_AWS_7"], ["KMS.4"], ["AVD-AWS-0065"]),
  RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL: c(
    ["CKV_AWS_32", "CKV_AWS_70", "CKV_AWS_169"],
    ["S3.2", "S3.3", "SNS.4"],
  ),
  ECR_KMS_ENCRYPTED: c(["CKV_AWS_136"], [], ["AVD-AWS-0033"]),
  ECR_LIFECYCLE_POLICY: c([], ["ECR.3"]),
  ECR_NO_FORCE_DELETE: c([]),
  ECR_SCAN_ON_PUSH: c(["CKV_AWS_163"], ["ECR.1"], ["AVD-AWS-0030"]),
  ECR_TAG_IMMUTABLE: c(["CKV_AWS_51"], ["ECR.2"], ["AVD-AWS-0031"]),
  ECS_CLUSTER_CONTAINER_INSIGHTS: c(["CKV_AWS_65"], ["ECS.12"], ["AVD-AWS-0034"]),
  ECS_CONTAINER_DEFINITIONS_READABLE: c([]),
  ECS_CONTAINER_LOGGING: c([], ["ECS.9"]),
  ECS_CONTAINER_NON_ROOT_USER: c([], ["ECS.20"]),
  ECS_CONTAINER_NOT_PRIVILEGED: c(["CKV_AWS_334"], ["ECS.4"]),
  ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT: c([], ["ECS.8"], ["AVD-AWS-0036"]),
  ECS_CONTAINER_READONLY_ROOT: c(["CKV_AWS_336"], ["ECS.5"]),
  ECS_SERVICE_CIRCUIT_BREAKER: c([]),
  ECS_SERVICE_HIGH_AVAILABILITY: c([], ["ECS.15"]),
  ECS_SERVICE_NO_PUBLIC_IP: c(["CKV_AWS_333"], ["ECS.2"]),
  ECS_TASK_NO_HOST_NAMESPACES: c(["CKV_AWS_335"], ["ECS.3"]),
  ECS_TASK_ROLES_DISTINCT: c(["CKV_AWS_249"]),
  IAM_ACTION_EXISTS: c([]),
  IAM_NO_SERVICE_WILDCARD_ACTION: c([], ["IAM.21"]),
  IAM_NO_WILDCARD_ACTION: c(["CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63"], ["IAM.1"], ["AVD-AWS-0057"]),
  IAM_NO_WILDCARD_RESOURCE: c(["CKV_AWS_355", "CKV_AWS_290"], [], ["AVD-AWS-0057"]),
  IAM_OIDC_TRUST_PINNED: c(["CKV_AWS_358"]),
  IAM_PASSROLE_PASSED_TO_SERVICE: c(["CKV_AWS_286"]),
  IAM_POLICY_READABLE: c([]),
  IAM_PRIVILEGE_ESCALATION: c(["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_289"]),
  IAM_ROLE_NO_INLINE_POLICY: c([]),
  IAM_SERVICE_TRUST_SCOPED: c([]),
  LOGS_KMS: c(["CKV_AWS_158"], [], ["AVD-AWS-0017"]),
  LOGS_RETENTION: c(["CKV_AWS_66", "CKV_AWS_338"], ["CloudWatch.16"]),
  NO_LITERAL_CREDENTIALS: c(["CKV_AWS_41"]),
  SECRETS_KMS: c(["CKV_AWS_149"], [], ["AVD-AWS-0098"]),
  SECRETS_NO_LITERAL_VALUE: c([]),
  SECRETS_ROTATION: c(["CKV2_AWS_57"], ["SecretsManager.1"]),
  SG_NO_ALL_PROTOCOL_INGRESS: c(["CKV_AWS_277"], ["EC2.18"]),
  SG_NO_PUBLIC_HTTP: c(["CKV_AWS_260"], ["EC2.19"], ["AVD-AWS-0107"]),
  SG_NO_PUBLIC_INGRESS: c(["CKV_AWS_24", "CKV_AWS_25"], ["EC2.19"], ["AVD-AWS-0107"]),
  SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED: c(["CKV_AWS_385"]),
  SNS_TOPIC_KMS: c(["CKV_AWS_26"], ["SNS.1"], ["AVD-AWS-0095", "AVD-AWS-0136"]),
  STATEFUL_DELETION_PROTECTION: c([]),
  STATEFUL_PREVENT_DESTROY: c([]),
  VPC_DEFAULT_SG_CLOSED: c(["CKV2_AWS_12"], ["EC2.2"], ["AVD-AWS-0173"]),
  VPC_FLOW_LOGS: c(["CKV2_AWS_11"], ["EC2.6"], ["AVD-AWS-0178"]),
  ALB_ACCESS_LOGS: c(["CKV_AWS_91"], ["ELB.5"]),
  ALB_DELETION_PROTECTION: c(["CKV_AWS_150"], ["ELB.6"]),
  ALB_DROP_INVALID_HEADERS: c(["CKV_AWS_131"], ["ELB.4"], ["AVD-AWS-0052"]),
  ALB_HTTP_LISTENER_REDIRECTS: c(["CKV2_AWS_20"], ["ELB.1"], ["AVD-AWS-0054"]),
  ALB_LISTENER_TLS_POLICY: c(["CKV_AWS_103"], ["ELB.17"], ["AVD-AWS-0047"]),
  ALB_WAF: c(["CKV2_AWS_28"], ["WAF.10"]),
  CODEBUILD_ENCRYPTED: c(["CKV_AWS_147"], [], ["AVD-AWS-0018"]),
  CODEBUILD_LOGS: c(["CKV_AWS_314"], ["CodeBuild.4"]),
  CODEBUILD_NOT_PRIVILEGED: c(["CKV_AWS_316"], ["CodeBuild.5"]),
  CODEPIPELINE_ARTIFACTS_ENCRYPTED: c(["CKV_AWS_219"]),
  CODEDEPLOY_ROLE_SCOPED: c([]),
};

/** The controls of a rule (none when the rule maps to no public control). */
export function controlsOf(ruleId: string): PublicControls {
  return RULE_CONTROLS[ruleId] ?? c([]);
}
