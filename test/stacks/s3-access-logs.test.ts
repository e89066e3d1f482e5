import { describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { resourcesOf, synthApp, type StackJson } from "../helpers/synth";
import { synthPipeline } from "../pipeline/fixtures";
import { variedConfig } from "../helpers/varied-config";

/** Bucket name by Terraform name (`aws_s3_bucket.<name>`). */
function bucketNames(stack: StackJson): Record<string, string> {
  return Object.fromEntries(
    Object.entries(resourcesOf(stack, "aws_s3_bucket")).map(([k, b]) => [k, b.bucket as string]),
  );
}

/** A bucket reference or literal name resolved to the bucket name. */
function resolve(stack: StackJson, value: unknown): string {
  const names = bucketNames(stack);
  const ref = /^\$\{aws_s3_bucket\.([^.]+)\.(?:id|bucket)\}$/.exec(String(value));
  return ref ? names[ref[1]] : String(value);
}

/** source bucket name -> [target bucket name, prefix] for every aws_s3_bucket_logging. */
function logging(stack: StackJson): Record<string, [string, string]> {
  return Object.fromEntries(
    Object.values(resourcesOf(stack, "aws_s3_bucket_logging")).map((l) => [
      resolve(stack, l.bucket),
      [resolve(stack, l.target_bucket), l.target_prefix as string],
    ]),
  );
}

interface GrantStatement {
  Principal?: { Service?: string };
  Resource: string;
  Condition: Record<string, Record<string, string>>;
}

/** The log-delivery grants in the policy of the bucket named `bucketName`: source -> resource. */
function grants(stack: StackJson, bucketName: string): Record<string, string> {
  const policy = Object.values(resourcesOf(stack, "aws_s3_bucket_policy")).find(
    (p) => resolve(stack, p.bucket) === bucketName,
  );
  const statements = (JSON.parse(policy?.policy as string) as { Statement: GrantStatement[] })
    .Statement;
  return Object.fromEntries(
    statements
      .filter((s) => s.Principal?.Service === "logging.s3.amazonaws.com")
      .map((s) => {
        expect(s.Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\d{12}$/);
        return [s.Condition.ArnLike["aws:SourceArn"].replace("arn:aws:s3:::", ""), s.Resource];
      }),
  );
}

describe("S3 server access logs (example config)", () => {
  const app = synthApp(exampleConfig());

  it("state: the state bucket logs into the state stack's access-log bucket", () => {
    const stack = app.stacks.state;
    const logs = "acme-shop-tfstate-access-logs-111111111111";
    expect(logging(stack)).toEqual({ "acme-shop-tfstate-111111111111": [logs, "tfstate/"] });
    expect(grants(stack, logs)).toEqual({
      "acme-shop-tfstate-111111111111": `arn:aws:s3:::${logs}/tfstate/*`,
    });
  });

  it("pipeline: the artifact bucket logs into the pipeline's access-log bucket", () => {
    const stack = app.stacks.pipeline;
    const names = Object.values(bucketNames(stack));
    const artifacts = names.find((n) => n.includes("pipeline-artifacts"));
    const logs = names.find((n) => n.includes("pipeline-access-logs"));
    expect(logs).toMatch(/^acme-shop-pipeline-access-logs-\d{12}$/);
    expect(logging(stack)).toEqual({ [String(artifacts)]: [logs, "pipeline-artifacts/"] });
    expect(grants(stack, String(logs))).toEqual({
      [String(artifacts)]: `arn:aws:s3:::${logs}/pipeline-artifacts/*`,
    });
  });

  it("network-<env>: the ALB log bucket logs into the environment's access-log bucket", () => {
    const stack = app.stacks["network-staging"];
    const logs = "acme-shop-staging-s3-access-logs-111111111111";
    expect(logging(stack)).toEqual({
      "acme-shop-staging-alb-logs-111111111111": [logs, "alb-logs/"],
    });
    // The static-assets bucket of services-staging is granted here in advance.
    expect(grants(stack, logs)).toEqual({
      "acme-shop-staging-alb-logs-111111111111": `arn:aws:s3:::${logs}/alb-logs/*`,
      "acme-shop-staging-static-assets-111111111111": `arn:aws:s3:::${logs}/static-assets/*`,
    });
  });

  it("services-<env>: the static-assets bucket logs into the environment's access-log bucket", () => {
    expect(logging(app.stacks["services-staging"])).toEqual({
      "acme-shop-staging-static-assets-111111111111": [
        "acme-shop-staging-s3-access-logs-111111111111",
        "static-assets/",
      ],
    });
    expect(logging(app.stacks["services-production"])).toEqual({
      "acme-shop-production-static-assets-222222222222": [
        "acme-shop-production-s3-access-logs-222222222222",
        "static-assets/",
      ],
    });
  });

  it("without static assets the environment's log bucket grants only the ALB log bucket", () => {
    // The varied config: frontend.staticAssetsBucket false.
    const plain = synthApp(variedConfig());
    const logs = "acme-shop-staging-s3-access-logs-111111111111";
    expect(Object.keys(grants(plain.stacks["network-staging"], logs))).toEqual([
      "acme-shop-staging-alb-logs-111111111111",
    ]);
  });

  it("pipeline with an S3 config source: that bucket logs too, under its own prefix", () => {
    const stack = synthPipeline(
      exampleConfig((c) => {
        c.pipeline.configSource = { type: "s3" };
      }),
    ).stacks.pipeline;
    const names = Object.values(bucketNames(stack));
    const config = String(names.find((n) => n.includes("deploy-config")));
    const logs = String(names.find((n) => n.includes("pipeline-access-logs")));
    expect(logging(stack)[config]).toEqual([logs, "deploy-config/"]);
    expect(grants(stack, logs)[config]).toBe(`arn:aws:s3:::${logs}/deploy-config/*`);
  });
});
