import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { serviceTrustPolicy } from "../policies/service-trust";
import { policyDocument, renderPolicy } from "../policies/document";
import { BLUE_GREEN_RULE_TAG } from "./fargate-service";

export interface BlueGreenDeploymentProps {
  /** CodeDeploy application and deployment group name (the pipeline names them too). */
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** `app/<name>/<id>`: the listener rules CodeDeploy may rewrite belong to this ALB. */
  readonly albArnSuffix: string;
  readonly productionListenerArn: string;
  readonly testListenerArn: string;
  /** Target group names (CodeDeploy takes names): the one the service starts on, then green. */
  readonly targetGroupNames: readonly [string, string];
  /** A firing alarm stops the deployment and rolls it back (at most 10). */
  readonly alarmNames: readonly string[];
  /** Minutes the old task set keeps running after traffic moved. */
  readonly terminationWaitMinutes: number;
  /** The roles the task definitions name (CodeDeploy passes them to the new task set). */
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  /** The ECS service: CreateDeploymentGroup needs it, with the CODE_DEPLOY controller. */
  readonly service: ITerraformDependable;
}

/**
 * A blue/green service's CodeDeploy side: the ECS application, its deployment group and the
 * service role CodeDeploy moves traffic with. A deployment starts a replacement task set in the
 * green target group, opens it on the test listener, moves all production traffic at once as
 * soon as it is healthy, and keeps the old task set for the termination wait. A failed
 * deployment or a firing alarm rolls back to the old task set.
 *
 * Who owns what: Terraform owns the service's existence, count and settings, both target groups,
 * the listener rules' hosts and priorities, and this deployment group; CodeDeploy owns which task
 * set runs (task definition, target group) and where the rules forward. The service and the
 * rules ignore those attributes (fargate-service.ts).
 */
export class BlueGreenDeployment extends Construct {
  readonly application: CodedeployApp;
  readonly deploymentGroup: CodedeployDeploymentGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    if (props.alarmNames.length > 10) {
      throw new Error(`${this.node.path}: CodeDeploy watches at most 10 alarms`);
    }
    const { accountId, region } = props;
    const ecs = `arn:aws:ecs:${region}:${accountId}`;
    const elb = `arn:aws:elasticloadbalancing:${region}:${accountId}`;

    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: `CodeDeploy moves ${props.serviceName}'s traffic between its task sets`,
      // Only for this deployment group (CodeDeploy User Guide, "Cross-service confused deputy
      // prevention": for ECS deployments aws:SourceArn is the deployment group's ARN).
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy({
          sid: "CodeDeployForThisDeploymentGroup",
          service: "codedeploy.amazonaws.com",
          accountId,
          sourceArn: `arn:aws:codedeploy:${region}:${accountId}:deploymentgroup:${props.applicationName}/${props.deploymentGroupName}`,
        }),
      ),
    });
    // AWSCodeDeployRoleForECS, scoped to this service, its ALB and its alarms; no Lambda hooks,
    // no SNS triggers and no S3 revisions are used, so those actions are left out.
    const policy = new IamRolePolicy(this, "Policy", {
      name: "codedeploy-ecs",
      role: this.role.id,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "TaskSets",
            Effect: "Allow",
            Action: [
              "ecs:DescribeServices",
              "ecs:CreateTaskSet",
              "ecs:UpdateServicePrimaryTaskSet",
              "ecs:DeleteTaskSet",
            ],
            Resource: [
              `${ecs}:service/${props.clusterName}/${props.serviceName}`,
              `${ecs}:task-set/${props.clusterName}/${props.serviceName}/*`,
            ],
          },
          {
            Sid: "DescribeLoadBalancing",
            Effect: "Allow",
            // No resource-level permissions for ELB Describe* actions: AWS requires "*".
            Action: [
              "elasticloadbalancing:DescribeTargetGroups",
              "elasticloadbalancing:DescribeListeners",
              "elasticloadbalancing:DescribeRules",
            ],
            Resource: "*",
          },
          {
            // Only this service's two rules (tagged with it): the listeners are shared with the
            // other services, whose rules CodeDeploy must not touch.
            Sid: "MoveTraffic",
            Effect: "Allow",
            Action: "elasticloadbalancing:ModifyRule",
            Resource: `${elb}:listener-rule/${props.albArnSuffix}/*`,
            Condition: {
              StringEquals: { [`aws:ResourceTag/${BLUE_GREEN_RULE_TAG}`]: props.serviceName },
            },
          },
          {
            // A listener whose default action forwarded to the pair would be switched with
            // ModifyListener: allowed on the deployment's two listeners, nowhere else.
            Sid: "ListenersOfTheDeployment",
            Effect: "Allow",
            Action: "elasticloadbalancing:ModifyListener",
            Resource: [props.productionListenerArn, props.testListenerArn],
          },
          {
            Sid: "WatchAlarms",
            Effect: "Allow",
            Action: "cloudwatch:DescribeAlarms",
            Resource: props.alarmNames.map(
              (name) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
            ),
          },
          {
            Sid: "PassTaskRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: [props.taskRoleArn, props.executionRoleArn],
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
          },
        ),
      ),
    });

    this.application = new CodedeployApp(this, "Application", {
      name: props.applicationName,
      computePlatform: "ECS",
    });
    this.deploymentGroup = new CodedeployDeploymentGroup(this, "DeploymentGroup", {
      appName: this.application.name,
      deploymentGroupName: props.deploymentGroupName,
      serviceRoleArn: this.role.arn,
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      ecsService: { clusterName: props.clusterName, serviceName: props.serviceName },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [props.productionListenerArn] },
          testTrafficRoute: { listenerArns: [props.testListenerArn] },
          targetGroup: props.targetGroupNames.map((name) => ({ name })),
        },
      },
      blueGreenDeploymentConfig: {
        // Production traffic moves as soon as the new task set is healthy: the pipeline's
        // smoke test, bake and approval gate releases, not a wait inside each deployment.
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: "TERMINATE",
          terminationWaitTimeInMinutes: props.terminationWaitMinutes,
        },
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
      },
      alarmConfiguration: { enabled: true, alarms: [...props.alarmNames] },
      // CodeDeploy checks the service (CODE_DEPLOY controller) and assumes the role on creation.
      dependsOn: [props.service, policy],
    });
  }
}
