import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { derivedDeployTimeoutMinutes } from "../../src/pipeline/deploy-timeout";
import { bakeCommand, COMMAND_MAX_LENGTH, type Bake } from "../../src/pipeline/gates";
import { configProblems, exampleConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { synthApp } from "../helpers/synth";
import { pipelines, synthPipeline, type PipelineSynth, type Stage } from "./fixtures";

/*
 * Release gates of every service pipeline (CodePipeline V2 stage conditions, AWS CodePipeline
 * User Guide "How do stage conditions work?"): failed deploys roll back, the approval opens only
 * after the environment before it baked without alarms, and the last environment rolls back
 * when an alarm fires within its bake. Rule types and configuration keys as AWS documents them:
 * CloudWatchAlarm (AlarmName, AlarmStates, WaitTime), Commands (one-line commands of at most 1,000
 * characters), at most five rules per condition.
 */

const CROSS = exampleConfig(); // staging in 111111111111 (the pipeline's), production in 222222222222
const STAGING_ALARMS = ["target-5xx", "unhealthy-hosts", "running-below-desired"].map(
  (kind) => `acme-shop-staging-api-${kind}`,
);
const PROD_ALARMS = STAGING_ALARMS.map((n) => n.replace("-staging-", "-production-"));
const PROD_DEPLOY_ROLE = "arn:aws:iam::222222222222:role/acme-shop-production-api-pipeline-deploy";

describe("stage conditions of the example config", () => {
  let app: PipelineSynth;
  beforeAll(() => {
    app = synthPipeline(CROSS);
  });
  const api = () => pipelines(app.stacks.pipeline)["acme-shop-api-delivery"];
  const stage = (name: string): Stage => {
    const found = api().stage.find((s) => s.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };

  it("rolls every deploy stage back on failure, in an execution mode that allows rollback", () => {
    const deploys = api().stage.filter((s) => s.name.startsWith("Deploy-"));
    expect(deploys.map((s) => s.name)).toEqual(["Deploy-staging", "Deploy-production"]);
    for (const s of deploys) expect(s.on_failure, s.name).toEqual({ result: "ROLLBACK" });
    // Stage rollback is not available in PARALLEL mode (CodePipeline: execution modes).
    expect(api().execution_mode).toBe("SUPERSEDED");
    expect(api().pipeline_type).toBe("V2");
  });

  it("opens the approval only after staging baked without alarms", () => {
    const entry = stage("Approval").before_entry?.condition;
    expect(entry?.result).toBe("FAIL");
    const [bake, ...alarms] = entry?.rule ?? [];
    expect(bake.rule_type_id).toEqual({
      category: "Rule",
      owner: "AWS",
      provider: "Commands",
      version: "1",
    });
    expect(bake.commands).toHaveLength(1);
    expect(bake.commands?.[0].length).toBeLessThanOrEqual(COMMAND_MAX_LENGTH);
    expect(bake.commands?.[0]).toContain("+ 600 ))"); // 10 minutes
    // Terraform reads ${...} and %{...} in the JSON as its own templates (terraform plan fails).
    expect(bake.commands?.[0]).not.toMatch(/[$%]\{/);
    expect(bake.commands?.[0]).not.toContain("assume-role"); // staging is the pipeline's account
    // Staging's alarms are in the pipeline's account: each is also checked natively.
    expect(alarms.map((r) => r.rule_type_id.provider)).toEqual(
      STAGING_ALARMS.map(() => "CloudWatchAlarm"),
    );
    expect(alarms.map((r) => r.configuration)).toEqual(
      STAGING_ALARMS.map((AlarmName) => ({ AlarmName, AlarmStates: "ALARM", WaitTime: "10" })),
    );
    expect(entry?.rule.length).toBeLessThanOrEqual(5);
  });

  it("rolls production back when one of its alarms fires within its bake", () => {
    const success = stage("Deploy-production").on_success?.condition;
    expect(success?.result).toBe("ROLLBACK");
    expect(success?.rule).toHaveLength(1); // another account: the Commands bake only
    const command = success?.rule[0].commands?.[0] ?? "";
    expect(command).toContain("+ 900 ))"); // 15 minutes
    // What each read does matters here, not how often it reads (tested below): the fake clock
    // runs 30 times faster, two reads instead of 31.
    const executed = executeBake(command, [PROD_ALARMS.map((n) => `${n}=OK`).join(" ")], 30);
    rmSync(executed.dir, { recursive: true, force: true });
    expect(executed.status, executed.stdout + executed.stderr).toBe(0);
    // Production's alarms are read with production's deploy role (the shell expands "$P").
    expect(executed.calls[0]).toContain(`sts assume-role --role-arn ${PROD_DEPLOY_ROLE} `);
    expect(executed.calls).toContain("key=AKIAFAKE");
    expect(executed.calls.find((c) => c.startsWith("cloudwatch"))).toContain(
      `--alarm-names ${PROD_ALARMS.join(" ")} `,
    );
  });

  it("watches alarms that the services stacks create, under these exact names", () => {
    const services = synthApp(CROSS);
    const names = ["services-staging", "services-production"].flatMap((id) =>
      Object.values(services.stacks[id].resource?.aws_cloudwatch_metric_alarm ?? {}).map(
        (a) => a.alarm_name as string,
      ),
    );
    for (const alarm of [...STAGING_ALARMS, ...PROD_ALARMS]) expect(names).toContain(alarm);
  });

  it("lets the roles that run the bakes read exactly those alarms (IAM simulation)", async () => {
    const iam = platformIam(CROSS);
    const alarm = (account: string, name: string) =>
      `arn:aws:cloudwatch:eu-west-1:${account}:alarm:${name}`;
    const pipelineRole = "arn:aws:iam::111111111111:role/acme-shop-api-pipeline";
    for (const name of STAGING_ALARMS) {
      expect(
        await iam.can(pipelineRole, "cloudwatch:DescribeAlarms", alarm("111111111111", name)),
      ).toBe("Allowed");
    }
    for (const name of PROD_ALARMS) {
      expect(
        await iam.can(PROD_DEPLOY_ROLE, "cloudwatch:DescribeAlarms", alarm("222222222222", name)),
      ).toBe("Allowed");
    }
    expect(
      await iam.can(pipelineRole, "cloudwatch:DescribeAlarms", alarm("111111111111", "other")),
    ).not.toBe("Allowed");
    expect(
      await iam.can(
        PROD_DEPLOY_ROLE,
        "cloudwatch:DescribeAlarms",
        alarm("222222222222", "acme-shop-production-web-target-5xx"),
      ),
    ).not.toBe("Allowed");
    // The scan reads exactly its service's candidate image, through ECR's key.
    const repo = (name: string) =>
      `arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop/${name}`;
    expect(await iam.can(pipelineRole, "inspector-scan:ScanSbom", "*")).toBe("Allowed");
    expect(await iam.can(pipelineRole, "ecr:GetAuthorizationToken", "*")).toBe("Allowed"); // the pull's login
    expect(await iam.can(pipelineRole, "ecr:BatchGetImage", repo("api"))).toBe("Allowed");
    expect(await iam.can(pipelineRole, "ecr:BatchGetImage", repo("web"))).not.toBe("Allowed");
    expect(await iam.can(pipelineRole, "ecr:PutImage", repo("api"))).not.toBe("Allowed");
    // The Commands rules and the scan log as the pipeline role, to its own log group only.
    const group =
      "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codepipeline/acme-shop-api-delivery";
    expect(await iam.can(pipelineRole, "logs:PutLogEvents", `${group}:log-stream:x`)).toBe(
      "Allowed",
    );
    expect(
      await iam.can(
        pipelineRole,
        "logs:PutLogEvents",
        "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codepipeline/acme-shop-web-delivery:log-stream:x",
      ),
    ).not.toBe("Allowed");
  });
});

describe("how long a failed deploy takes to fail the pipeline", () => {
  it("is twice a healthy rollout of the services' own health-check timings", () => {
    // 3 minutes to start + 60 s grace + 2 x 15 s healthy checks + 30 s draining = 300 s, twice.
    expect(derivedDeployTimeoutMinutes()).toBe(10);
    expect(
      derivedDeployTimeoutMinutes({
        healthCheckGraceSeconds: 600,
        healthCheckIntervalSeconds: 30,
        healthyThreshold: 5,
        unhealthyThreshold: 3,
        deregistrationDelaySeconds: 300,
      }),
    ).toBe(41); // (180 + 600 + 150 + 300) s, twice
    const p = pipelines(synthPipeline(CROSS).stacks.pipeline)["acme-shop-api-delivery"];
    const ecs = p.stage.flatMap((s) => s.action).filter((a) => a.provider === "ECS");
    expect(ecs.map((a) => a.configuration?.DeploymentTimeout)).toEqual(["10", "10"]);
  });

  it("follows the config when set", () => {
    const config = exampleConfig((c) => {
      c.pipeline.deployTimeoutMinutes = 25;
    });
    const p = pipelines(synthPipeline(config).stacks.pipeline)["acme-shop-api-delivery"];
    const ecs = p.stage.flatMap((s) => s.action).filter((a) => a.provider === "ECS");
    expect(ecs.map((a) => a.configuration?.DeploymentTimeout)).toEqual(["25", "25"]);
  });
});

describe("bake and scan settings", () => {
  it("takes bake times and alarms from config", () => {
    const config = exampleConfig((c) => {
      c.pipeline.bake = { beforeApprovalMinutes: 0, afterReleaseMinutes: 30, alarms: ["cpu-high"] };
    });
    const p = pipelines(synthPipeline(config).stacks.pipeline)["acme-shop-api-delivery"];
    const approval = p.stage.find((s) => s.name === "Approval");
    expect(approval?.before_entry?.condition.rule.map((r) => r.configuration?.AlarmName)).toEqual([
      undefined,
      "acme-shop-staging-api-cpu-high",
    ]);
    expect(approval?.before_entry?.condition.rule[0].commands?.[0]).toContain("+ 0 ))");
    const prod = p.stage.find((s) => s.name === "Deploy-production");
    expect(prod?.on_success?.condition.rule[0].commands?.[0]).toContain("+ 1800 ))");
  });

  it("scans with the configured thresholds, or not at all", () => {
    const strict = exampleConfig((c) => {
      c.pipeline.imageScan = { critical: 0, high: 3 };
    });
    const scan = pipelines(synthPipeline(strict).stacks.pipeline)[
      "acme-shop-api-delivery"
    ].stage.find((s) => s.name === "Scan");
    expect(scan?.action[1].configuration).toEqual({
      InspectorRunMode: "ECRImageScan",
      ECRRepositoryName: "acme-shop/api",
      ImageTag: "candidate--#{codepipeline.PipelineExecutionId}",
      CriticalThreshold: "0",
      HighThreshold: "3",
    });
    const off = exampleConfig((c) => {
      c.pipeline.imageScan = false;
    });
    const names = pipelines(synthPipeline(off).stacks.pipeline)["acme-shop-api-delivery"].stage.map(
      (s) => s.name,
    );
    expect(names).not.toContain("Scan");
  });

  it.each([
    [{ alarms: ["target-5xx", "target-5xx"] }, /pipeline.bake.alarms: .*list each alarm once/],
    [
      { alarms: ["target-5xx", "latency-p99", "unhealthy-hosts", "cpu-high", "memory-high"] },
      /pipeline.bake.alarms/,
    ],
    [{ alarms: ["disk-full"] }, /pipeline.bake.alarms\[0\]: "disk-full"/],
    [{ afterReleaseMinutes: 56 }, /pipeline.bake.afterReleaseMinutes: 56/],
  ])("refuses the bake setting %j", (bake, message) => {
    const problems = configProblems((c) => {
      (c.pipeline as Record<string, unknown>).bake = bake;
    });
    expect(problems.join("\n")).toMatch(message);
  });
});

/*
 * The bake command, executed with a fake `aws` (answers from $FAKE_STATES, one line per poll),
 * `date` and `sleep` (a clock that only `sleep` advances).
 */
// The fakes use shell builtins only: a 15-minute bake is 30 polls, and a process per step (cat,
// sed, tail) made the executed bakes the slowest unit tests.
const FAKE_AWS = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
case "$1 $2" in
  "sts assume-role") printf "AKIAFAKE\\tsecret\\ttoken\\n" ;;
  "cloudwatch describe-alarms")
    echo "key=$AWS_ACCESS_KEY_ID" >> "$FAKE_DIR/calls"
    n=0; [ -f "$FAKE_DIR/polls" ] && read -r n < "$FAKE_DIR/polls"; n=$((n + 1)); echo "$n" > "$FAKE_DIR/polls"
    i=0; line=""
    while IFS= read -r next; do i=$((i + 1)); line=$next; [ "$i" -eq "$n" ] && break; done < "$FAKE_STATES"
    for pair in $line; do printf "%s\\t%s\\n" "\${pair%=*}" "\${pair#*=}"; done ;;
esac
`;
const FAKE_DATE = `#!/bin/sh
t=1000000; [ -f "$FAKE_DIR/clock" ] && read -r t < "$FAKE_DIR/clock"; echo "$t"
`;
const FAKE_SLEEP = `#!/bin/sh
t=1000000; [ -f "$FAKE_DIR/clock" ] && read -r t < "$FAKE_DIR/clock"; echo $((t + $1 * FAKE_SLEEP_SCALE)) > "$FAKE_DIR/clock"
`;

/**
 * Runs a bake command with fake aws, date and sleep; `polls` are the alarm states per read.
 * `sleepScale` makes each sleep pass that many times longer on the fake clock, for tests about
 * what one read does rather than how often the bake reads.
 */
function executeBake(command: string, polls: string[], sleepScale = 1) {
  const dir = mkdtempSync(join(tmpdir(), "bake-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  for (const [name, text] of [
    ["aws", FAKE_AWS],
    ["date", FAKE_DATE],
    ["sleep", FAKE_SLEEP],
  ]) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, "states"), polls.join("\n") + "\n");
  const result = spawnSync("sh", ["-c", command], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      FAKE_DIR: dir,
      FAKE_STATES: join(dir, "states"),
      FAKE_SLEEP_SCALE: String(sleepScale),
      AWS_ACCESS_KEY_ID: "pipeline-role",
    },
  });
  const calls = readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
  return { ...result, calls, dir };
}

describe("the bake command, executed", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const ALARMS = ["a-target-5xx", "a-unhealthy-hosts"];
  const run = (bake: Partial<Bake>, polls: string[]) => {
    const command = bakeCommand({
      environment: "staging",
      region: "eu-west-1",
      alarmNames: ALARMS,
      minutes: 0,
      native: true,
      inputArtifact: "BuildArtifact",
      ...bake,
    });
    const executed = executeBake(command, polls);
    dir = executed.dir;
    return executed;
  };
  const ok = `${ALARMS[0]}=OK ${ALARMS[1]}=INSUFFICIENT_DATA`;

  it("passes when no alarm is in ALARM (INSUFFICIENT_DATA passes, as for CloudWatchAlarm rules)", () => {
    const r = run({}, [ok]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The shared name prefix is said once in the command; AWS still gets the full names.
    expect(r.calls[0]).toBe(
      `cloudwatch describe-alarms --region eu-west-1 --alarm-names ${ALARMS.join(" ")} --query MetricAlarms[].[AlarmName,StateValue] --output text`,
    );
    expect(r.stdout).toContain("staging: no alarm for 0 minutes");
    expect(r.calls.filter((c) => c.startsWith("cloudwatch describe-alarms"))).toHaveLength(1);
  });

  it("watches for the whole bake time and fails at the first ALARM", () => {
    const clean = run({ minutes: 2 }, [ok]);
    expect(clean.status).toBe(0);
    // Every 30 seconds for 2 minutes: five reads (at 0, 30, 60, 90 and 120 seconds).
    expect(clean.calls.filter((c) => c.startsWith("cloudwatch describe-alarms"))).toHaveLength(5);

    const late = run({ minutes: 2 }, [ok, ok, `${ALARMS[0]}=ALARM ${ALARMS[1]}=OK`]);
    expect(late.status).toBe(1);
    expect(late.stdout).toContain(`in ALARM during the bake of staging`);
    expect(late.calls.filter((c) => c.startsWith("cloudwatch describe-alarms"))).toHaveLength(3);
  });

  it("fails when an alarm it watches does not exist", () => {
    const r = run({}, [`${ALARMS[0]}=OK`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("expected 2 alarms");
  });

  it("reads another account's alarms with that account's role", () => {
    const r = run({ readRoleArn: PROD_DEPLOY_ROLE, native: false }, [ok]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.calls[0]).toContain(`sts assume-role --role-arn ${PROD_DEPLOY_ROLE}`);
    expect(r.calls).toContain("key=AKIAFAKE");
  });

  it("fits AWS's 1,000 characters for the longest names and the most alarms a config allows", () => {
    const longest = bakeCommand({
      environment: "e".repeat(12),
      region: "ap-southeast-5",
      alarmNames: ["running-below-desired", "unhealthy-hosts", "latency-p99", "memory-high"].map(
        (kind) => `${"p".repeat(20)}-${"e".repeat(12)}-${"s".repeat(20)}-${kind}`,
      ),
      minutes: 50,
      // A role name over 64 characters is fitted with a hash, so it does not start with the prefix.
      readRoleArn: `arn:aws:iam::222222222222:role/${"r".repeat(64)}`,
      native: false,
      inputArtifact: "BuildArtifact",
    });
    expect(longest.length).toBeLessThanOrEqual(COMMAND_MAX_LENGTH);
  });

  it("refuses what AWS would refuse: too long a command, too long a bake", () => {
    expect(() =>
      bakeCommand({
        environment: "staging",
        region: "eu-west-1",
        alarmNames: Array.from({ length: 20 }, (_, i) => `${i}-a-service-with-a-long-name`),
        minutes: 10,
        native: true,
        inputArtifact: "BuildArtifact",
      }),
    ).toThrow(/AWS allows 1000/);
    expect(() =>
      bakeCommand({
        environment: "staging",
        region: "eu-west-1",
        alarmNames: ALARMS,
        minutes: 51,
        native: true,
        inputArtifact: "BuildArtifact",
      }),
    ).toThrow(/51 minutes; use a whole number 0-50/);
  });
});
