import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  ServiceAutoscaling,
  type ServiceAutoscalingProps,
} from "../../src/constructs/service-autoscaling";

const PROPS: ServiceAutoscalingProps = {
  clusterName: "shop-staging-cluster",
  serviceName: "shop-staging-api",
  minCount: 2,
  maxCount: 10,
  albArnSuffix: "app/shop-staging-alb/abc",
  targetGroupArnSuffix: "targetgroup/shop-staging-api/def",
};

const synth = (over: Partial<ServiceAutoscalingProps> = {}) =>
  Testing.synthScope((scope) => {
    new ServiceAutoscaling(scope, "Autoscaling", { ...PROPS, ...over });
  });

describe("ServiceAutoscaling", () => {
  it("scales the service's desired count between min and max", () => {
    expect(synth()).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      resource_id: "service/shop-staging-cluster/shop-staging-api",
      min_capacity: 2,
      max_capacity: 10,
    });
  });

  it("tracks 60% CPU with a quick scale-out and a slow scale-in", () => {
    expect(synth()).toHaveResourceWithProperties(AppautoscalingPolicy, {
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: {
        target_value: 60,
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
        predefined_metric_specification: {
          predefined_metric_type: "ECSServiceAverageCPUUtilization",
        },
      },
    });
  });

  it("tracks ALB requests per target, labelled <alb suffix>/<target group suffix>", () => {
    expect(synth({ requestsPerTarget: 500 })).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 500,
        predefined_metric_specification: {
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: "app/shop-staging-alb/abc/targetgroup/shop-staging-api/def",
        },
      }),
    });
  });

  it("rejects a minimum above the maximum", () => {
    expect(() => synth({ minCount: 5, maxCount: 2 })).toThrow(/minCount 5 exceeds maxCount 2/);
  });
});
