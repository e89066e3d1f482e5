/**
 * Placeholder values for a producer stack's outputs, used where the offline plan of a consumer
 * stack reads them through terraform_remote_state. The values are shaped like the real ones (an
 * ARN looks like an ARN, a subnet id like a subnet id) because the plan runs the provider's real
 * validators on them.
 */

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

/** `aws_vpc` -> prefix of its id. */
const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc-0123456789abcdef0",
  aws_subnet: "subnet-0123456789abcdef0",
  aws_security_group: "sg-0123456789abcdef0",
  aws_internet_gateway: "igw-0123456789abcdef0",
  aws_nat_gateway: "nat-0123456789abcdef0",
  aws_route_table: "rtb-0123456789abcdef0",
  aws_route53_zone: "Z0123456789ABCDEFGHIJ",
  aws_service_discovery_private_dns_namespace: "ns-0123456789abcdef",
  aws_kms_key: "0a1b2c3d-4e5f-4a1b-8c2d-0123456789ab",
  aws_vpc_endpoint: "vpce-0123456789abcdef0",
  aws_cloudwatch_log_group: "placeholder-log-group",
  aws_iam_role: "placeholder-role",
  aws_s3_bucket: "placeholder-bucket",
  aws_ecr_repository: "placeholder-repository",
  aws_ecs_service: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/placeholder-cluster/placeholder-service`,
};

/** Resource types whose `id` is their ARN. */
const ID_IS_ARN = new Set([
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_target_group",
  "aws_ecs_cluster",
  "aws_sns_topic",
  "aws_secretsmanager_secret",
  "aws_iam_policy",
  "aws_iam_openid_connect_provider",
  "aws_acm_certificate",
  "aws_service_discovery_service",
  "aws_wafv2_web_acl",
  "aws_codepipeline",
]);

const ARN_SERVICE: Record<string, string> = {
  aws_lb: "elasticloadbalancing",
  aws_lb_listener: "elasticloadbalancing",
  aws_lb_target_group: "elasticloadbalancing",
  aws_iam_role: "iam",
  aws_iam_policy: "iam",
  aws_iam_openid_connect_provider: "iam",
  aws_acm_certificate: "acm",
  aws_service_discovery_service: "servicediscovery",
  aws_service_discovery_private_dns_namespace: "servicediscovery",
  aws_wafv2_web_acl: "wafv2",
  aws_sns_topic: "sns",
  aws_secretsmanager_secret: "secretsmanager",
  aws_kms_key: "kms",
  aws_ecs_cluster: "ecs",
  aws_ecs_service: "ecs",
  aws_ecs_task_definition: "ecs",
  aws_ecr_repository: "ecr",
  aws_s3_bucket: "s3",
  aws_cloudwatch_log_group: "logs",
  aws_codepipeline: "codepipeline",
  aws_codebuild_project: "codebuild",
};

function arnFor(type: string): string {
  const service = ARN_SERVICE[type] ?? type.replace(/^aws_/, "").split("_")[0];
  const name = type.replace(/^aws_/, "").replace(/_/g, "-");
  if (service === "iam")
    return `arn:aws:iam::${ACCOUNT}:${type === "aws_iam_role" ? "role" : "policy"}/placeholder`;
  if (service === "s3") return "arn:aws:s3:::placeholder-bucket";
  if (service === "sns") return `arn:aws:sns:${REGION}:${ACCOUNT}:placeholder`;
  if (service === "kms") return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${ID_PREFIX.aws_kms_key}`;
  if (service === "elasticloadbalancing") {
    const kind =
      type === "aws_lb_target_group"
        ? "targetgroup"
        : type === "aws_lb_listener"
          ? "listener/app"
          : "loadbalancer/app";
    return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${kind}/placeholder/0123456789abcdef`;
  }
  return `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}/placeholder`;
}

/** A placeholder for `TYPE.NAME.ATTR` (ATTR may be nested like `dns_name`). */
export function placeholderFor(type: string, attribute: string): unknown {
  if (
    attribute === "arn" ||
    attribute.endsWith("_arn") ||
    (attribute === "id" && ID_IS_ARN.has(type))
  ) {
    return arnFor(type);
  }
  if (attribute === "arn_suffix") {
    // CloudWatch dimensions and autoscaling resource labels: `app/<name>/<id>`, `targetgroup/<name>/<id>`.
    return type === "aws_lb_target_group"
      ? "targetgroup/placeholder/0123456789abcdef"
      : "app/placeholder/0123456789abcdef";
  }
  if (attribute === "id") return ID_PREFIX[type] ?? "placeholder-id";
  if (attribute === "key_id") return ID_PREFIX.aws_kms_key;
  if (attribute === "repository_url")
    return `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/placeholder`;
  if (attribute === "dns_name") return `placeholder-123456.${REGION}.elb.amazonaws.com`;
  if (attribute === "zone_id") return "Z32O12XQLNTSW2";
  if (attribute === "hosted_zone_id") return "Z0123456789ABCDEFGHIJ";
  if (attribute === "registry_id") return ACCOUNT;
  if (attribute === "name_servers") return ["ns-1.awsdns-01.org"];
  if (attribute === "default_domain") return "placeholder.amplifyapp.com";
  return "placeholder";
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([\w-]+)(\[[^\]]*\])?\.([\w.]+)\}$/;

/** A placeholder for an output's value expression as synthesized (e.g. `${aws_vpc.vpc.id}`). */
export function placeholderForExpression(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(placeholderForExpression);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "string") return "placeholder";
  const match = REFERENCE.exec(value);
  if (!match) {
    if (!value.includes("${")) return value;
    return /\[\*\]|tolist\(|toset\(/.test(value) ? ["placeholder"] : "placeholder";
  }
  const [, type, , index, attribute] = match;
  const single = placeholderFor(type, attribute);
  return index === "[*]" ? [single] : single;
}
