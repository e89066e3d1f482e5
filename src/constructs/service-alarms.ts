import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";

export interface ServiceAlarmsProps {
  /** Alarm names are `<prefix>-<what>`, e.g. `acme-shop-staging-api-target-5xx`. */
  readonly namePrefix: string;
  readonly clusterName: string;
  /** The ECS service name as a literal (not a reference: the service refers to these alarms). */
  readonly serviceName: string;
  /** `app/<alb>/<id>` */
  readonly albArnSuffix: string;
  /** `targetgroup/<tg>/<id>` */
  readonly targetGroupArnSuffix: string;
  /**
   * Blue/green: the other target group of the pair. Traffic moves between the two with each
   * deployment, so the load balancer alarms watch both (metric math) instead of one.
   * @default - one target group
   */
  readonly replacementTargetGroupArnSuffix?: string;
  /** Notified on ALARM and on OK. */
  readonly topicArn: string;
  /** 5xx responses from the tasks per minute. @default 10 */
  readonly target5xxPerMinute?: number;
  /** p99 target response time in seconds. @default 2 */
  readonly p99LatencySeconds?: number;
  /** @default 85 */
  readonly cpuHighPercent?: number;
  /** @default 85 */
  readonly memoryHighPercent?: number;
}

type AlarmShape = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions">;

/**
 * The alarms of one service: target 5xx, p99 latency, unhealthy targets, CPU and memory high,
 * and fewer running tasks than desired. Missing data is "not breaching" where no data means no
 * traffic; the running-task alarm treats it as breaching (no data means no tasks report).
 */
export class ServiceAlarms extends Construct {
  readonly target5xx: CloudwatchMetricAlarm;
  readonly latencyP99: CloudwatchMetricAlarm;
  readonly unhealthyHosts: CloudwatchMetricAlarm;
  readonly cpuHigh: CloudwatchMetricAlarm;
  readonly memoryHigh: CloudwatchMetricAlarm;
  readonly runningBelowDesired: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const alb = { LoadBalancer: props.albArnSuffix, TargetGroup: props.targetGroupArnSuffix };
    const ecs = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const replacement = props.replacementTargetGroupArnSuffix;
    /**
     * A load balancer metric of the service: of its target group, or with blue/green of both
     * groups combined (`combine`: a metric math function over the two, a group without data
     * counting as 0), so the alarm follows the traffic whichever group serves it.
     */
    const targetMetric = (
      metricName: string,
      stat: string,
      combine: "sum" | "max",
    ): Pick<
      AlarmShape,
      | "namespace"
      | "metricName"
      | "dimensions"
      | "statistic"
      | "extendedStatistic"
      | "period"
      | "metricQuery"
    > => {
      if (!replacement) {
        return {
          namespace: "AWS/ApplicationELB",
          metricName,
          dimensions: alb,
          ...(stat.startsWith("p") ? { extendedStatistic: stat } : { statistic: stat }),
          period: 60,
        };
      }
      const of = (id: string, targetGroup: string) => ({
        id,
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName,
          dimensions: { LoadBalancer: props.albArnSuffix, TargetGroup: targetGroup },
          period: 60,
          stat,
        },
      });
      return {
        metricQuery: [
          of("blue", props.targetGroupArnSuffix),
          of("green", replacement),
          {
            id: "both",
            expression:
              combine === "sum"
                ? "FILL(blue, 0) + FILL(green, 0)"
                : "MAX([FILL(blue, 0), FILL(green, 0)])",
            label: `${metricName} of both target groups`,
            returnData: true,
          },
        ],
      };
    };
    const alarm = (alarmId: string, suffix: string, shape: AlarmShape) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.namePrefix}-${suffix}`,
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
        ...shape,
      });

    this.target5xx = alarm("Target5xx", "target-5xx", {
      alarmDescription: `${props.serviceName}: the tasks answer with 5xx errors`,
      ...targetMetric("HTTPCode_Target_5XX_Count", "Sum", "sum"),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: props.target5xxPerMinute ?? 10,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });
    this.latencyP99 = alarm("LatencyP99", "latency-p99", {
      alarmDescription: `${props.serviceName}: p99 response time is high`,
      ...targetMetric("TargetResponseTime", "p99", "max"),
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: props.p99LatencySeconds ?? 2,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    this.unhealthyHosts = alarm("UnhealthyHosts", "unhealthy-hosts", {
      alarmDescription: `${props.serviceName}: tasks fail the load balancer health check`,
      ...targetMetric("UnHealthyHostCount", "Maximum", "max"),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    this.cpuHigh = alarm("CpuHigh", "cpu-high", {
      alarmDescription: `${props.serviceName}: CPU stays high (autoscaling at its maximum?)`,
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      dimensions: ecs,
      statistic: "Average",
      period: 60,
      evaluationPeriods: 10,
      datapointsToAlarm: 8,
      threshold: props.cpuHighPercent ?? 85,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    this.memoryHigh = alarm("MemoryHigh", "memory-high", {
      alarmDescription: `${props.serviceName}: memory stays high (leak or undersized task)`,
      namespace: "AWS/ECS",
      metricName: "MemoryUtilization",
      dimensions: ecs,
      statistic: "Average",
      period: 60,
      evaluationPeriods: 10,
      datapointsToAlarm: 8,
      threshold: props.memoryHighPercent ?? 85,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    // Container Insights metrics (the cluster enables Container Insights).
    const insights = (metricName: string) => ({
      namespace: "ECS/ContainerInsights",
      metricName,
      dimensions: ecs,
      period: 60,
      stat: "Average",
    });
    this.runningBelowDesired = alarm("RunningBelowDesired", "running-below-desired", {
      alarmDescription: `${props.serviceName}: fewer tasks run than desired (tasks fail to start or crash)`,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      // No data means no task reports at all: that is the failure this alarm is for.
      treatMissingData: "breaching",
      metricQuery: [
        { id: "running", metric: insights("RunningTaskCount") },
        { id: "desired", metric: insights("DesiredTaskCount") },
        {
          id: "missing",
          expression: "desired - running",
          label: "Desired minus running tasks",
          returnData: true,
        },
      ],
    });
  }

  /** Alarms that roll a deployment back: a release that errors or fails health checks. */
  get deploymentAlarms(): CloudwatchMetricAlarm[] {
    return [this.target5xx, this.unhealthyHosts];
  }

  get all(): CloudwatchMetricAlarm[] {
    return [
      this.target5xx,
      this.latencyP99,
      this.unhealthyHosts,
      this.cpuHigh,
      this.memoryHigh,
      this.runningBelowDesired,
    ];
  }
}
