import { policyDocument, type PolicyDocument, type PolicyStatement } from "./document";

/*
 * What the CI roles may read: the configuration of every resource type the platform manages
 * (what `terraform plan` refreshes), never its data. This replaces AWS's ReadOnlyAccess, which
 * also reads data: every S3 object (pipeline artifacts included), log events, parameter values,
 * queue messages, image layers, repository contents. The reads are the services' own
 * Describe/Get/List families (a new resource type of a known service needs no change), and the
 * data reads those families contain are denied explicitly.
 */

/**
 * Services the platform manages resources of, with the read families each one has (IAM's
 * service authorization reference: a family an API lacks is left out, so every pattern names
 * real actions). test/policies/plan-reads.test.ts checks every resource type of every
 * synthesized stack against this list.
 */
export const READ_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  iam: ["Get*", "List*"],
  kms: ["Describe*", "Get*", "List*"],
  s3: ["Get*", "List*"],
  ec2: ["Describe*", "Get*"],
  elasticloadbalancing: ["Describe*"],
  acm: ["Describe*", "Get*", "List*"],
  route53: ["Get*", "List*"],
  wafv2: ["Describe*", "Get*", "List*"],
  logs: ["Describe*", "Get*", "List*"],
  ecs: ["Describe*", "List*"],
  "application-autoscaling": ["Describe*", "List*"],
  cloudwatch: ["Describe*", "Get*", "List*"],
  sns: ["Get*", "List*"],
  events: ["Describe*", "List*"],
  secretsmanager: ["Describe*", "Get*", "List*"],
  servicediscovery: ["Get*", "List*"],
  codepipeline: ["Get*", "List*"],
  codebuild: ["BatchGetProjects", "List*"],
  // Blue/green services' applications and deployment groups (revisions are not read by a plan).
  codedeploy: ["GetApplication", "GetDeploymentGroup", "BatchGet*", "List*"],
  codecommit: ["Get*", "List*", "BatchGetRepositories"],
  "codestar-notifications": ["Describe*", "List*"],
  "codestar-connections": ["Get*", "List*"],
  codeconnections: ["Get*", "List*"],
  ecr: ["Describe*", "Get*", "List*"],
  amplify: ["Get*", "List*"],
};

/**
 * Reads of data rather than configuration, inside the families above. A plan never needs them;
 * a role assumable from a pull request must not have them.
 */
export const DATA_READS = [
  // Log events and queries.
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:GetLogRecord",
  "logs:GetQueryResults",
  "logs:StartQuery",
  "logs:StartLiveTail",
  "logs:Unmask",
  // Secret values (the containers' metadata stays readable).
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "secretsmanager:GetRandomPassword",
  // Image layers and registry logins.
  "ecr:GetAuthorizationToken",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
  // Repository contents.
  "codecommit:GetBlob",
  "codecommit:GetFile",
  "codecommit:GetFolder",
  "codecommit:GetDifferences",
  "codecommit:GetCommit",
  "codecommit:GitPull",
  // Key material and data keys.
  "kms:GetParametersForImport",
  // Stored pipeline job secrets (third-party action credentials).
  "codepipeline:GetJobDetails",
  "codepipeline:GetThirdPartyJobDetails",
  // Amplify build artifacts and logs.
  "amplify:GetArtifactUrl",
  "amplify:GetJob",
] as const;

export interface ConfigurationReadScope {
  /** Objects a plan may read: the state (S3 backend) and any object a stack manages. */
  readonly readableObjectArns: readonly string[];
}

/**
 * The configuration-read policy shared by the plan and apply roles: every read family of the
 * platform's services, minus data. Object reads are limited to `readableObjectArns`.
 */
export function configurationReadPolicy(scope: ConfigurationReadScope): PolicyDocument {
  return policyDocument(
    {
      Sid: "ReadConfiguration",
      Effect: "Allow",
      Action: Object.entries(READ_FAMILIES).flatMap(([service, families]) =>
        families.map((f) => `${service}:${f}`),
      ),
      // Describe/Get/List of every resource type, of this account and AWS managed ones (ACM,
      // managed WAF rule groups, AWS managed policies); many reads have no resource-level
      // permissions at all.
      Resource: "*",
    },
    ...dataReadDenies(scope),
  );
}

/** The denies that keep the reads to configuration. */
export function dataReadDenies(scope: ConfigurationReadScope): PolicyStatement[] {
  return [
    {
      Sid: "NoDataReads",
      Effect: "Deny",
      Action: [...DATA_READS],
      Resource: "*",
    },
    {
      Sid: "NoObjectReadsOutsideTheState",
      Effect: "Deny",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"],
      NotResource: scope.readableObjectArns.length
        ? [...scope.readableObjectArns]
        : "arn:aws:s3:::none/none",
    },
  ];
}
