import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { EmailTopic } from "../../src/constructs/email-topic";
import { DeploymentEvents } from "../../src/constructs/deployment-events";
import { dashboardBody } from "../../src/constructs/environment-dashboard";
import { LoadBalancerAlarms } from "../../src/constructs/load-balancer-alarms";
import { ServiceAlarms } from "../../src/constructs/service-alarms";
import type { PolicyDocument } from "../../src/policies/document";
import { resourcesOf, type StackJson } from "../helpers/synth";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:shop-staging-alarms";
const ALB = "app/shop-staging-alb/abc";
const TG = "targetgroup/shop-staging-api/def";

describe("ServiceAlarms", () => {
  const text = Testing.synthScope((scope) => {
    new ServiceAlarms(scope, "Alarms", {
      namePrefix: "shop-staging-api",
      clusterName: "shop-staging-cluster",
      serviceName: "shop-staging-api",
      albArnSuffix: ALB,
      targetGroupArnSuffix: TG,
      topicArn: TOPIC,
    });
  });
  const alarms = Object.values(
    resourcesOf(JSON.parse(text) as StackJson, "aws_cloudwatch_metric_alarm"),
  );

  it("creates the six service alarms, each notifying the topic on ALARM and OK", () => {
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      "shop-staging-api-cpu-high",
      "shop-staging-api-latency-p99",
      "shop-staging-api-memory-high",
      "shop-staging-api-running-below-desired",
      "shop-staging-api-target-5xx",
      "shop-staging-api-unhealthy-hosts",
    ]);
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([TOPIC]);
      expect(alarm.ok_actions).toEqual([TOPIC]);
    }
  });

  it("watches the service's target group and ECS service", () => {
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "shop-staging-api-target-5xx",
      metric_name: "HTTPCode_Target_5XX_Count",
      dimensions: { LoadBalancer: ALB, TargetGroup: TG },
      treat_missing_data: "notBreaching",
    });
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "shop-staging-api-latency-p99",
      metric_name: "TargetResponseTime",
      extended_statistic: "p99",
    });
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "shop-staging-api-memory-high",
      namespace: "AWS/ECS",
      dimensions: { ClusterName: "shop-staging-cluster", ServiceName: "shop-staging-api" },
    });
  });

  it("alarms when fewer tasks run than desired, treating no data as breaching", () => {
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "shop-staging-api-running-below-desired",
      treat_missing_data: "breaching",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      metric_query: expect.arrayContaining([
        expect.objectContaining({ id: "missing", expression: "desired - running" }),
        expect.objectContaining({
          id: "running",
          metric: expect.objectContaining({
            namespace: "ECS/ContainerInsights",
            metric_name: "RunningTaskCount",
          }),
        }),
      ]),
    });
  });
});

describe("LoadBalancerAlarms", () => {
  it("alarms on the ALB's own 5xx, per load balancer", () => {
    const text = Testing.synthScope((scope) => {
      new LoadBalancerAlarms(scope, "Lb", {
        alarmName: "shop-staging-alb-5xx",
        albArnSuffix: ALB,
        topicArn: TOPIC,
      });
    });
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "shop-staging-alb-5xx",
      metric_name: "HTTPCode_ELB_5XX_Count",
      dimensions: { LoadBalancer: ALB },
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });
});

describe("EmailTopic for alarms", () => {
  const text = Testing.synthScope((scope) => {
    new EmailTopic(scope, "Topic", {
      topicName: "shop-staging-alarms",
      accountId: "111111111111",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/env",
      emails: ["ops@example.com", "cto@example.com"],
      publisherServices: ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    });
  });
  const json = JSON.parse(text) as StackJson;

  it("is KMS-encrypted and subscribes each email", () => {
    expect(text).toHaveResourceWithProperties(SnsTopic, {
      name: "shop-staging-alarms",
      kms_master_key_id: "arn:aws:kms:eu-west-1:111111111111:key/env",
    });
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "ops@example.com",
    });
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "cto@example.com",
    });
  });

  it("lets only CloudWatch and EventBridge of this account publish", () => {
    const policy = JSON.parse(
      String(Object.values(resourcesOf(json, "aws_sns_topic_policy"))[0].policy),
    ) as PolicyDocument;
    expect(policy.Statement).toContainEqual({
      Sid: "ServicesPublish",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: "sns:Publish",
      Resource: expect.stringMatching(/aws_sns_topic\..*\.arn/),
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
  });
});

describe("DeploymentEvents", () => {
  const text = Testing.synthScope((scope) => {
    new DeploymentEvents(scope, "Events", {
      ruleNames: {
        deploymentFailed: "shop-staging-deploy-failed",
        serviceErrors: "shop-staging-service-errors",
      },
      accountId: "111111111111",
      region: "eu-west-1",
      clusterName: "shop-staging-cluster",
      topicArn: TOPIC,
    });
  });
  const rules = Object.values(
    resourcesOf(JSON.parse(text) as StackJson, "aws_cloudwatch_event_rule"),
  );
  const pattern = (name: string) =>
    JSON.parse(String(rules.find((r) => r.name === name)?.event_pattern)) as Record<
      string,
      unknown
    >;
  const clusterServices = [
    { prefix: "arn:aws:ecs:eu-west-1:111111111111:service/shop-staging-cluster/" },
  ];

  it("reports failed deployments of this cluster's services", () => {
    expect(pattern("shop-staging-deploy-failed")).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources: clusterServices,
      detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    });
  });

  it("reports ECS service action errors of this cluster", () => {
    expect(pattern("shop-staging-service-errors")).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Service Action"],
      resources: clusterServices,
      detail: { eventType: ["ERROR"] },
    });
  });

  it("sends both to the topic", () => {
    const targets = Object.values(
      resourcesOf(JSON.parse(text) as StackJson, "aws_cloudwatch_event_target"),
    );
    expect(targets.map((t) => t.rule).sort()).toEqual([
      expect.stringMatching(/aws_cloudwatch_event_rule\.Events_DeploymentFailed_.*\.name/),
      expect.stringMatching(/aws_cloudwatch_event_rule\.Events_ServiceErrors_.*\.name/),
    ]);
    for (const target of targets) expect(target.arn).toBe(TOPIC);
    expect(text).toHaveResource(CloudwatchEventRule);
  });
});

describe("dashboardBody", () => {
  it("has a load balancer row and one row per service", () => {
    const body = dashboardBody({
      dashboardName: "d",
      region: "eu-west-1",
      clusterName: "c",
      albArnSuffix: ALB,
      services: [
        { name: "api", serviceName: "shop-staging-api", targetGroupArnSuffix: TG },
        { name: "web", serviceName: "shop-staging-web", targetGroupArnSuffix: "targetgroup/w/1" },
      ],
      alarmArns: ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x"],
    });
    expect(body.widgets).toHaveLength(3 + 2 * 3);
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toContain("api: requests and target 5xx");
    expect(titles).toContain("web: CPU, memory and tasks");
    expect(titles).toContain("Alarms");
    for (const widget of body.widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    }
  });
});
