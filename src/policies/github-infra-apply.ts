import { policyDocument, type PolicyDocument, type PolicyStatement } from "./document";
import { denySecretValues } from "./github-infra-plan";
import {
  BOUNDED_ROLE_WRITES,
  boundaryArn,
  escalationDenies,
  POLICY_WRITES,
} from "./permissions-boundary";
import { stateReadWriteStatements, type StateLocation } from "./terraform-state-access";

/** Services that may be handed a platform role (`iam:PassRole`). */
export const PASS_ROLE_SERVICES = [
  "ecs-tasks.amazonaws.com",
  "codepipeline.amazonaws.com",
  "codebuild.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "events.amazonaws.com",
  "amplify.amazonaws.com",
  // Blue/green services' CodeDeploy service roles.
  "codedeploy.amazonaws.com",
] as const;

/** Service-linked roles the platform's resources create on first use. */
export const SERVICE_LINKED_ROLE_SERVICES = [
  "ecs.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  // The first notification rule of an account creates AWSServiceRoleForCodeStarNotifications
  // ("Using service-linked roles for AWS CodeStar Notifications").
  "codestar-notifications.amazonaws.com",
] as const;

/**
 * Global services: their requests are not bound to the platform's regions (IAM, Route 53 and STS
 * answer from us-east-1 whatever region the platform uses).
 */
const GLOBAL_ACTIONS = ["iam:*", "route53:*", "sts:*", "organizations:Describe*", "support:*"];

export interface ApplyPoliciesProps {
  readonly project: string;
  /** The account the role lives in; every ARN names it. */
  readonly accountId: string;
  /** Regions the platform uses in this account (plus the state region). */
  readonly regions: readonly string[];
  /**
   * Public hosted zones of the environments in this account (records only, never the zone).
   * No zone may be deleted: the private zones Cloud Map makes for namespaces have generated ids,
   * so deleting a namespace (an environment's teardown) is an administrator's job.
   */
  readonly hostedZoneIds: readonly string[];
  /** The S3 backend's state. @default - no state access (HCP Terraform keeps state) */
  readonly state?: StateLocation;
  /**
   * Roles the providers and the backend assume (environments' `deployRoleArn`, `state.roleArn`).
   * @default [] */
  readonly assumableRoleArns?: readonly string[];
  /**
   * Policies besides the platform's own that may be attached to platform roles (config's
   * `services[].taskRolePolicyArns`). @default []
   */
  readonly attachablePolicyArns?: readonly string[];
  /** Tag keys the providers' default_tags put on every resource (config tags and the platform's). */
  readonly tagKeys: readonly string[];
  /** Objects a stack writes (the S3 config source's seed). @default [] */
  readonly writableObjectArns?: readonly string[];
}

/**
 * What `cdktf deploy` of the platform needs, in one account, on top of the configuration reads (which
 * covers every Describe/Get/List a refresh makes). Write actions are listed one by one and scoped
 * to `<project>-*` names or ARN patterns wherever AWS supports resource-level permissions; `*`
 * appears only for actions without them (AWS's service authorization reference: "*" is the only
 * valid resource), and each such statement says so. Resources whose ids are generated at creation
 * (VPC plumbing, certificates, Amplify apps) are scoped to the account. Every request is confined
 * to the platform's regions.
 *
 * Split into several documents because a managed policy holds at most 6,144 characters.
 * Extend this list when a stack starts managing a new kind of resource.
 */
export function applyPolicies(props: ApplyPoliciesProps): Record<string, PolicyDocument> {
  return {
    iam: policyDocument(...iamStatements(props), ...guardStatements(props)),
    network: policyDocument(...networkStatements(props)),
    compute: policyDocument(...computeStatements(props)),
    delivery: policyDocument(...deliveryStatements(props)),
  };
}

const arn = (service: string, props: ApplyPoliciesProps, resource: string) =>
  `arn:aws:${service}:*:${props.accountId}:${resource}`;

function iamStatements(props: ApplyPoliciesProps): PolicyStatement[] {
  const { project, accountId } = props;
  const roles = `arn:aws:iam::${accountId}:role/${project}-*`;
  const boundary = boundaryArn(project, accountId);
  return [
    {
      Sid: "PlatformRolesWithBoundary",
      Effect: "Allow",
      // Only roles that carry the platform boundary (requested, or already on the role): a role
      // created or changed here can never do more than the boundary allows.
      Action: BOUNDED_ROLE_WRITES.filter((a) => a !== "iam:AttachRolePolicy"),
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "AttachPlatformPolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: roles,
      Condition: {
        StringEquals: { "iam:PermissionsBoundary": boundary },
        ArnLike: {
          "iam:PolicyARN": [
            `arn:aws:iam::${accountId}:policy/${project}-*`,
            ...(props.attachablePolicyArns ?? []),
          ],
        },
      },
    },
    {
      Sid: "PlatformRoleLabels",
      Effect: "Allow",
      // Tags and descriptions change no permission (no platform policy reads role tags).
      Action: ["iam:TagRole", "iam:UntagRole", "iam:UpdateRoleDescription"],
      Resource: roles,
    },
    {
      Sid: "PlatformPolicies",
      Effect: "Allow",
      Action: [...POLICY_WRITES],
      Resource: `arn:aws:iam::${accountId}:policy/${project}-*`,
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:aws:iam::${accountId}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLE_SERVICES] } },
    },
    {
      Sid: "PassPlatformRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } },
    },
    ...escalationDenies({
      project,
      accountId,
      boundaryArn: boundary,
      attachablePolicyArns: props.attachablePolicyArns ?? [],
    }),
    ...(props.state ? stateReadWriteStatements(props.state) : []),
    ...(props.assumableRoleArns?.length
      ? [
          {
            Sid: "AssumeDeployRoles",
            Effect: "Allow" as const,
            Action: "sts:AssumeRole",
            Resource: [...props.assumableRoleArns],
          },
        ]
      : []),
  ];
}

function guardStatements(props: ApplyPoliciesProps): PolicyStatement[] {
  return [
    denySecretValues(),
    {
      Sid: "OnlyPlatformRegions",
      Effect: "Deny",
      NotAction: GLOBAL_ACTIONS,
      // A deny over every resource: nothing outside the platform's regions, whatever else allows.
      Resource: "*",
      Condition: { StringNotEquals: { "aws:RequestedRegion": [...props.regions] } },
    },
    {
      Sid: "NeverDeleteZones",
      Effect: "Deny",
      Action: "route53:DeleteHostedZone",
      Resource: "*",
    },
  ];
}

function networkStatements(props: ApplyPoliciesProps): PolicyStatement[] {
  const { project } = props;
  const elb = (resource: string) => arn("elasticloadbalancing", props, resource);
  return [
    {
      Sid: "EndpointPrivateDns",
      Effect: "Allow",
      // A dependent action of ec2:CreateVpcEndpoint with private DNS (Service Authorization
      // Reference, Amazon EC2): the endpoint's private zone is AWS-managed, its id unknown.
      Action: "route53:AssociateVPCWithHostedZone",
      Resource: "arn:aws:route53:::hostedzone/*",
    },
    {
      Sid: "VpcNetworking",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:CreateInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:AllocateAddress",
        "ec2:ReleaseAddress",
        "ec2:DisassociateAddress",
        "ec2:CreateNatGateway",
        "ec2:DeleteNatGateway",
        "ec2:CreateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:DeleteRoute",
        "ec2:ReplaceRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateNetworkAclEntry",
        "ec2:DeleteNetworkAclEntry",
        "ec2:ReplaceNetworkAclEntry",
        "ec2:CreateVpcEndpoint",
        "ec2:ModifyVpcEndpoint",
        "ec2:DeleteVpcEndpoints",
        "ec2:CreateFlowLogs",
        "ec2:DeleteFlowLogs",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      // VPC resources get generated ids (vpc-..., subnet-...) and no name in their ARN, so the
      // narrowest ARN that exists before they do is "any EC2 resource of this account in the
      // platform's regions".
      Resource: props.regions.map((region) => `arn:aws:ec2:${region}:${props.accountId}:*`),
    },
    {
      Sid: "LoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ],
      Resource: [
        elb(`loadbalancer/app/${project}-*`),
        elb(`listener/app/${project}-*`),
        elb(`listener-rule/app/${project}-*`),
        elb(`targetgroup/${project}-*`),
      ],
    },
    {
      Sid: "WebAclOnLoadBalancers",
      Effect: "Allow",
      Action: "elasticloadbalancing:SetWebAcl",
      // No resource-level permissions for SetWebAcl (AWS requires "*"); WAF checks the ACL.
      Resource: "*",
    },
    {
      Sid: "WebAcls",
      Effect: "Allow",
      Action: [
        "wafv2:CreateWebACL",
        "wafv2:UpdateWebACL",
        "wafv2:DeleteWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:PutLoggingConfiguration",
        "wafv2:DeleteLoggingConfiguration",
        "wafv2:TagResource",
        "wafv2:UntagResource",
      ],
      Resource: [
        arn("wafv2", props, `regional/webacl/${project}-*`),
        arn("wafv2", props, "regional/managedruleset/*"),
        elb(`loadbalancer/app/${project}-*`),
      ],
    },
    {
      Sid: "CreateWithoutResourceLevelPermissions",
      Effect: "Allow",
      // None of these supports resource-level permissions: AWS requires "*". Cloud Map creates
      // the private hosted zone of a namespace with the caller's rights.
      Action: [
        "acm:RequestCertificate",
        "servicediscovery:CreatePrivateDnsNamespace",
        "route53:CreateHostedZone",
      ],
      Resource: "*",
    },
    {
      Sid: "WafLogDelivery",
      Effect: "Allow",
      // WAF request logging to CloudWatch Logs sets up a log delivery and the log group's resource
      // policy with the caller's rights; none of these supports resource-level permissions.
      Action: [
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "Certificates",
      Effect: "Allow",
      Action: [
        "acm:DeleteCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
      ],
      Resource: arn("acm", props, "certificate/*"),
    },
    ...(props.hostedZoneIds.length > 0
      ? [
          {
            Sid: "RecordsInPublicZones",
            Effect: "Allow" as const,
            Action: ["route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource"],
            Resource: props.hostedZoneIds.map((id) => `arn:aws:route53:::hostedzone/${id}`),
          },
        ]
      : []),
    {
      Sid: "CloudMap",
      Effect: "Allow",
      Action: [
        "servicediscovery:DeleteNamespace",
        "servicediscovery:UpdatePrivateDnsNamespace",
        "servicediscovery:CreateService",
        "servicediscovery:UpdateService",
        "servicediscovery:DeleteService",
        "servicediscovery:TagResource",
        "servicediscovery:UntagResource",
      ],
      Resource: [
        arn("servicediscovery", props, "namespace/*"),
        arn("servicediscovery", props, "service/*"),
      ],
    },
  ];
}

function keyTagConditions(props: ApplyPoliciesProps): PolicyStatement["Condition"] {
  return {
    StringEquals: { "aws:RequestTag/Project": props.project },
    "ForAllValues:StringEquals": { "aws:TagKeys": [...props.tagKeys] },
  };
}

/** The name prefixes of every log group the platform creates (src/stacks naming). */
export function platformLogGroupPrefixes(project: string): string[] {
  return [
    `/ecs/${project}/`,
    `${project}-`,
    `/aws/codebuild/${project}-`,
    `aws-waf-logs-${project}-`,
  ];
}

function computeStatements(props: ApplyPoliciesProps): PolicyStatement[] {
  const { project } = props;
  return [
    {
      Sid: "Ecs",
      Effect: "Allow",
      Action: [
        "ecs:CreateCluster",
        "ecs:DeleteCluster",
        "ecs:UpdateCluster",
        "ecs:UpdateClusterSettings",
        "ecs:PutClusterCapacityProviders",
        "ecs:CreateService",
        "ecs:UpdateService",
        "ecs:DeleteService",
        "ecs:RegisterTaskDefinition",
        "ecs:TagResource",
        "ecs:UntagResource",
      ],
      Resource: [
        arn("ecs", props, `cluster/${project}-*`),
        arn("ecs", props, `service/${project}-*`),
        arn("ecs", props, `task-definition/${project}-*`),
      ],
    },
    {
      Sid: "BlueGreenDeployments",
      Effect: "Allow",
      // CodeDeploy applications and deployment groups of blue/green services. Deployments
      // themselves are the pipeline's, never Terraform's.
      Action: [
        "codedeploy:CreateApplication",
        "codedeploy:DeleteApplication",
        "codedeploy:UpdateApplication",
        "codedeploy:CreateDeploymentGroup",
        "codedeploy:DeleteDeploymentGroup",
        "codedeploy:UpdateDeploymentGroup",
        "codedeploy:TagResource",
        "codedeploy:UntagResource",
      ],
      Resource: [
        arn("codedeploy", props, `application:${project}-*`),
        arn("codedeploy", props, `deploymentgroup:${project}-*`),
      ],
    },
    {
      Sid: "EcsDeregisterTaskDefinitions",
      Effect: "Allow",
      Action: "ecs:DeregisterTaskDefinition",
      // No resource-level permissions for DeregisterTaskDefinition: AWS requires "*".
      Resource: "*",
    },
    {
      Sid: "ServiceAutoscaling",
      Effect: "Allow",
      Action: [
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:TagResource",
        "application-autoscaling:UntagResource",
      ],
      // Scalable targets get generated ids; they are named by account and service namespace only.
      Resource: arn("application-autoscaling", props, "scalable-target/*"),
    },
    {
      Sid: "LogGroups",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
      ],
      // By prefix, never by substring: the platform's log groups are /ecs/<project>/...,
      // <project>-... (flow logs, ECS Exec), /aws/codebuild/<project>-... and aws-waf-logs-<project>-...
      Resource: platformLogGroupPrefixes(project).map((prefix) =>
        arn("logs", props, `log-group:${prefix}*`),
      ),
    },
    {
      Sid: "AlarmsAndDashboards",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:PutDashboard",
        "cloudwatch:DeleteDashboards",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: [
        arn("cloudwatch", props, `alarm:${project}-*`),
        // Target tracking policies: Application Auto Scaling creates their alarms with the
        // caller's permissions ("Permissions validation for API calls on target resources"),
        // named TargetTracking-service/<cluster>/<service>-...; the clusters are the project's.
        arn("cloudwatch", props, `alarm:TargetTracking-service/${project}-*`),
        `arn:aws:cloudwatch::${props.accountId}:dashboard/${project}-*`,
      ],
    },
    {
      Sid: "DescribeAlarms",
      Effect: "Allow",
      // Application Auto Scaling checks it when it manages the target tracking alarms.
      Action: "cloudwatch:DescribeAlarms",
      Resource: arn("cloudwatch", props, "alarm:*"),
    },
    {
      Sid: "SecretContainers",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:PutResourcePolicy",
        "secretsmanager:DeleteResourcePolicy",
        "secretsmanager:TagResource",
        "secretsmanager:UntagResource",
      ],
      Resource: [
        arn("secretsmanager", props, `secret:${project}/*`),
        arn("secretsmanager", props, `secret:${project}-*`),
      ],
    },
    {
      Sid: "Topics",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: arn("sns", props, `${project}-*`),
    },
    {
      Sid: "CreateKeys",
      Effect: "Allow",
      // No resource-level permissions for CreateKey: AWS requires "*". Only with the platform's
      // Project tag and the provider's default tag keys. Everything else on a platform key comes
      // from its key policy, which names this role (src/constructs/kms-key.ts): no IAM statement
      // here reaches another key's administration.
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: keyTagConditions(props),
    },
    {
      Sid: "TagKeysAtCreation",
      Effect: "Allow",
      // Tagging a key while creating it needs kms:TagResource in an IAM policy that covers all
      // keys of the account and region (KMS Developer Guide, "Tagging permissions"), since the
      // new key's id is unknown. Only the platform's tag keys with Project = the project.
      Action: "kms:TagResource",
      Resource: props.regions.map((region) => `arn:aws:kms:${region}:${props.accountId}:key/*`),
      Condition: keyTagConditions(props),
    },
    {
      Sid: "PlatformKeyAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: arn("kms", props, `alias/${project}-*`),
    },
    {
      Sid: "Repositories",
      Effect: "Allow",
      Action: [
        "ecr:CreateRepository",
        "ecr:DeleteRepository",
        "ecr:PutLifecyclePolicy",
        "ecr:DeleteLifecyclePolicy",
        "ecr:SetRepositoryPolicy",
        "ecr:DeleteRepositoryPolicy",
        "ecr:PutImageScanningConfiguration",
        "ecr:PutImageTagMutability",
        "ecr:TagResource",
        "ecr:UntagResource",
      ],
      Resource: arn("ecr", props, `repository/${project}/*`),
    },
  ];
}

function deliveryStatements(props: ApplyPoliciesProps): PolicyStatement[] {
  const { project } = props;
  return [
    {
      Sid: "Buckets",
      Effect: "Allow",
      // Bucket-level actions only: no object in a platform bucket is readable or writable here.
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketTagging",
        "s3:PutBucketLogging",
        "s3:PutBucketNotification",
        "s3:PutBucketAcl",
        "s3:PutBucketCORS",
      ],
      Resource: `arn:aws:s3:::${project}-*`,
    },
    ...(props.writableObjectArns?.length
      ? [
          {
            Sid: "SeedObjects",
            Effect: "Allow" as const,
            // The seed of the S3 config source, created once (later versions are the operator's).
            Action: ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"],
            Resource: [...props.writableObjectArns],
          },
        ]
      : []),
    {
      Sid: "Pipelines",
      Effect: "Allow",
      Action: [
        "codepipeline:CreatePipeline",
        "codepipeline:UpdatePipeline",
        "codepipeline:DeletePipeline",
        "codepipeline:TagResource",
        "codepipeline:UntagResource",
        "codebuild:CreateProject",
        "codebuild:UpdateProject",
        "codebuild:DeleteProject",
        "codecommit:CreateRepository",
        "codecommit:DeleteRepository",
        "codecommit:UpdateRepositoryDescription",
        "codecommit:TagResource",
        "codecommit:UntagResource",
      ],
      Resource: [
        arn("codepipeline", props, `${project}-*`),
        arn("codebuild", props, `project/${project}-*`),
        arn("codecommit", props, `${project}-*`),
      ],
    },
    {
      Sid: "NotificationRules",
      Effect: "Allow",
      Action: [
        "codestar-notifications:CreateNotificationRule",
        "codestar-notifications:UpdateNotificationRule",
        "codestar-notifications:DeleteNotificationRule",
        "codestar-notifications:Subscribe",
        "codestar-notifications:Unsubscribe",
        "codestar-notifications:TagResource",
        "codestar-notifications:UntagResource",
      ],
      // Notification rule ARNs end in a generated id.
      Resource: arn("codestar-notifications", props, "notificationrule/*"),
    },
    {
      Sid: "EventRules",
      Effect: "Allow",
      Action: [
        "events:PutRule",
        "events:DeleteRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:TagResource",
        "events:UntagResource",
      ],
      Resource: arn("events", props, `rule/${project}-*`),
    },
    {
      Sid: "AmplifyCreateApp",
      Effect: "Allow",
      Action: "amplify:CreateApp",
      // No resource-level permissions for CreateApp: AWS requires "*".
      Resource: "*",
    },
    {
      Sid: "AmplifyApps",
      Effect: "Allow",
      Action: [
        "amplify:UpdateApp",
        "amplify:DeleteApp",
        "amplify:CreateBranch",
        "amplify:UpdateBranch",
        "amplify:DeleteBranch",
        "amplify:CreateDomainAssociation",
        "amplify:UpdateDomainAssociation",
        "amplify:DeleteDomainAssociation",
        "amplify:TagResource",
        "amplify:UntagResource",
      ],
      // Amplify app ids are generated.
      Resource: arn("amplify", props, "apps/*"),
    },
  ];
}
