import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";

/** One service as the dashboard shows it. */
export interface DashboardService {
  readonly name: string;
  /** ECS service name. */
  readonly serviceName: string;
  /** `targetgroup/<tg>/<id>` */
  readonly targetGroupArnSuffix: string;
  /** Blue/green: the other target group of the pair, charted beside the first. */
  readonly replacementTargetGroupArnSuffix?: string;
}

export interface EnvironmentDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  readonly clusterName: string;
  /** `app/<alb>/<id>` */
  readonly albArnSuffix: string;
  readonly services: readonly DashboardService[];
  /** Alarm ARNs shown in the alarm status widget. @default [] */
  readonly alarmArns?: readonly string[];
}

/** A CloudWatch metric as the dashboard JSON writes it: namespace, name, dimension pairs. */
type MetricRow = (string | Record<string, string>)[];

interface Widget {
  readonly type: "metric" | "alarm" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

const WIDTH = 8;
const HEIGHT = 6;

/**
 * The dashboard body as data: one row for the load balancer, then one row per service with
 * requests and errors, latency, and CPU/memory with the running task count.
 */
export function dashboardBody(props: EnvironmentDashboardProps): {
  widgets: Widget[];
} {
  const metric = (
    title: string,
    metrics: MetricRow[],
    x: number,
    y: number,
    extra: Record<string, unknown> = {},
  ): Widget => ({
    type: "metric",
    x,
    y,
    width: WIDTH,
    height: HEIGHT,
    properties: { title, region: props.region, view: "timeSeries", period: 60, metrics, ...extra },
  });
  const lb = props.albArnSuffix;
  const widgets: Widget[] = [
    metric(
      "Load balancer: requests and ELB 5xx",
      [
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum" }],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb, { stat: "Sum" }],
      ],
      0,
      0,
    ),
    metric(
      "Load balancer: p99 response time",
      [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat: "p99" }]],
      WIDTH,
      0,
    ),
  ];
  if (props.alarmArns && props.alarmArns.length > 0) {
    widgets.push({
      type: "alarm",
      x: 2 * WIDTH,
      y: 0,
      width: WIDTH,
      height: HEIGHT,
      properties: { title: "Alarms", alarms: [...props.alarmArns] },
    });
  }
  props.services.forEach((service, i) => {
    const y = HEIGHT * (i + 1);
    const tg = ["LoadBalancer", lb, "TargetGroup", service.targetGroupArnSuffix];
    const green = service.replacementTargetGroupArnSuffix
      ? ["LoadBalancer", lb, "TargetGroup", service.replacementTargetGroupArnSuffix]
      : undefined;
    const ecs = ["ClusterName", props.clusterName, "ServiceName", service.serviceName];
    widgets.push(
      metric(
        `${service.name}: requests and target 5xx`,
        [
          ["AWS/ApplicationELB", "RequestCount", ...tg, { stat: "Sum" }],
          ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...tg, { stat: "Sum" }],
          ...(green
            ? [
                ["AWS/ApplicationELB", "RequestCount", ...green, { stat: "Sum" }],
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...green, { stat: "Sum" }],
              ]
            : []),
        ],
        0,
        y,
      ),
      metric(
        `${service.name}: response time`,
        [
          ["AWS/ApplicationELB", "TargetResponseTime", ...tg, { stat: "p50" }],
          ["AWS/ApplicationELB", "TargetResponseTime", ...tg, { stat: "p99" }],
        ],
        WIDTH,
        y,
      ),
      metric(
        `${service.name}: CPU, memory and tasks`,
        [
          ["AWS/ECS", "CPUUtilization", ...ecs, { stat: "Average" }],
          ["AWS/ECS", "MemoryUtilization", ...ecs, { stat: "Average" }],
          [
            "ECS/ContainerInsights",
            "RunningTaskCount",
            ...ecs,
            { stat: "Average", yAxis: "right" },
          ],
          [
            "ECS/ContainerInsights",
            "DesiredTaskCount",
            ...ecs,
            { stat: "Average", yAxis: "right" },
          ],
        ],
        2 * WIDTH,
        y,
      ),
    );
  });
  return { widgets };
}

/** One CloudWatch dashboard per environment. */
export class EnvironmentDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: EnvironmentDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "Resource", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(dashboardBody(props)),
    });
  }
}
