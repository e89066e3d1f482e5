import { describe, expect, it } from "vitest";
import type { Provision, Runbook, RunbookStep } from "../../src/model/runbook";
import { rehearse } from "../../src/rehearsal/run";
import { REHEARSAL_RULES } from "../../src/rehearsal/rules";
import { APPLY_ROLE_IAM } from "../../src/rehearsal/rules/apply-role-iam";
import { BLUE_GREEN_DEPLOYMENTS } from "../../src/rehearsal/rules/blue-green";
import { KEY_ADMINISTRATION } from "../../src/rehearsal/rules/key-administration";
import { CAPACITY_SUPPORTS_ARCHITECTURE } from "../../src/rehearsal/rules/capacity-architecture";
import { CREATION_ORDER } from "../../src/rehearsal/rules/creation-order";
import { ENCRYPTED_DESTINATIONS } from "../../src/rehearsal/rules/encrypted-destinations";
import { PIPELINE_ACTION_ROLES } from "../../src/rehearsal/rules/pipeline-action-roles";
import { PIPELINE_SOURCES } from "../../src/rehearsal/rules/pipeline-sources";
import { PRINCIPALS_EXIST } from "../../src/rehearsal/rules/principals-exist";
import { STACK_CREDENTIALS } from "../../src/rehearsal/rules/stack-credentials";
import { STATE_BACKEND_ACCESS } from "../../src/rehearsal/rules/state-backend-access";
import { TASKS_CAN_START } from "../../src/rehearsal/rules/tasks-can-start";
import { RUNBOOK_COVERS_STACKS } from "../../src/rehearsal/runbook-coverage";
import { adminStep, fixtureOutput, provider, ruleFindings } from "../helpers/rehearsal";

/*
 * Each rehearsal rule against a small hand-written fixture: the defective form AWS rejects (or
 * silently breaks on) and the correct form it accepts. The fixtures are Terraform JSON as cdktf
 * writes it, so the rules read exactly what they read in a real synth.
 */

const A = "111111111111";
const B = "222222222222";
const doc = (statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const steps = (...s: RunbookStep[]): Runbook => ({ steps: s });
const operator = (...provides: Provision[]): RunbookStep => ({
  kind: "operator",
  action: "publish-images",
  title: "t",
  why: "w",
  instructions: [],
  provides,
});

describe("every rehearsal rule documents what it models", () => {
  for (const rule of REHEARSAL_RULES) {
    it(`${rule.id} cites AWS documentation`, () => {
      expect(rule.docs.length).toBeGreaterThan(0);
      expect(rule.models.length).toBeGreaterThan(10);
    });
  }
});

describe("STACK_CREDENTIALS", () => {
  const oidcRole = (sub: string) => ({
    name: "ci-apply",
    assume_role_policy: doc([
      {
        Effect: "Allow",
        Principal: {
          Federated: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`,
        },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": sub,
          },
        },
      },
    ]),
  });
  const ciStep = (stack: string): RunbookStep => ({
    ...adminStep(stack),
    firstApply: "ci",
    laterApply: "ci",
    roleArn: `arn:aws:iam::${A}:role/ci-apply`,
    token: {
      host: "token.actions.githubusercontent.com",
      audience: "sts.amazonaws.com",
      subject: "repo:o/infra:environment:production",
    },
  });

  it("fails a stack whose providers target two accounts without assume_role", async () => {
    const output = fixtureOutput({
      oidc: { provider: { aws: [provider(A).aws[0], { ...provider(B).aws[0], alias: "b" }] } },
    });
    const findings = await ruleFindings(STACK_CREDENTIALS, output, steps(adminStep("oidc")));
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining(
        "allows account 222222222222 but runs with credentials of 111111111111",
      ),
    ]);
  });

  it("passes one account per stack, or an assume_role into the other account", async () => {
    const output = fixtureOutput({
      oidc: {
        provider: {
          aws: [
            provider(A).aws[0],
            {
              ...provider(B).aws[0],
              alias: "b",
              assume_role: [{ role_arn: `arn:aws:iam::${B}:role/x` }],
            },
          ],
        },
      },
    });
    expect(await ruleFindings(STACK_CREDENTIALS, output, steps(adminStep("oidc")))).toEqual([]);
  });

  it("fails a CI step whose role does not trust the deploy job's subject, or is not applied yet", async () => {
    const output = fixtureOutput({
      bootstrap: {
        provider: provider(A),
        resource: { aws_iam_role: { r: oidcRole("repo:o/infra:pull_request") } },
      },
      app: { provider: provider(A) },
    });
    const findings = await ruleFindings(
      STACK_CREDENTIALS,
      output,
      steps(ciStep("app"), adminStep("bootstrap")),
    );
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("which is not applied yet"),
      expect.stringContaining("does not trust the token CI applies"),
    ]);
  });

  it("passes a CI step whose role exists and trusts exactly the deploy job", async () => {
    const output = fixtureOutput({
      bootstrap: {
        provider: provider(A),
        resource: { aws_iam_role: { r: oidcRole("repo:o/infra:environment:production") } },
      },
      app: { provider: provider(A) },
    });
    expect(
      await ruleFindings(STACK_CREDENTIALS, output, steps(adminStep("bootstrap"), ciStep("app"))),
    ).toEqual([]);
  });
});

describe("STATE_BACKEND_ACCESS", () => {
  const role = `arn:aws:iam::${B}:role/ci-apply`;
  const fixture = (bucketPrincipals: string[]) =>
    fixtureOutput({
      state: {
        provider: provider(A),
        resource: {
          aws_s3_bucket_policy: {
            p: {
              bucket: "tfstate",
              policy: doc([
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${B}:root` },
                  Action: ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  Resource: ["arn:aws:s3:::tfstate", "arn:aws:s3:::tfstate/*"],
                  Condition: { ArnEquals: { "aws:PrincipalArn": bucketPrincipals } },
                },
              ]),
            },
          },
        },
      },
      bootstrap: {
        provider: provider(B),
        resource: {
          aws_iam_role: { r: { name: "ci-apply", assume_role_policy: doc([]) } },
          aws_iam_role_policy: {
            p: {
              name: "state",
              role: "${aws_iam_role.r.name}",
              policy: doc([
                {
                  Effect: "Allow",
                  Action: ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  Resource: ["arn:aws:s3:::tfstate", "arn:aws:s3:::tfstate/*"],
                },
              ]),
            },
          },
        },
      },
      app: {
        provider: provider(B),
        terraform: {
          backend: {
            s3: {
              bucket: "tfstate",
              key: "p/app.tfstate",
              region: "eu-west-1",
              use_lockfile: true,
            },
          },
        },
      },
    });
  const runbook = steps(adminStep("state"), adminStep("bootstrap", B), {
    ...adminStep("app", B),
    firstApply: "ci",
    roleArn: role,
  });

  it("fails a CI role in another account that the state bucket policy does not name", async () => {
    const findings = await ruleFindings(
      STATE_BACKEND_ACCESS,
      fixture([`arn:aws:iam::${B}:role/other`]),
      runbook,
    );
    expect(findings.length).toBe(5);
    expect(findings[0].effect).toContain("may not s3:ListBucket");
  });

  it("passes when the role's policy and the bucket policy both allow it", async () => {
    expect(await ruleFindings(STATE_BACKEND_ACCESS, fixture([role]), runbook)).toEqual([]);
  });
});

describe("PRINCIPALS_EXIST", () => {
  const trusting = (principal: unknown) => ({
    name: "deploy",
    assume_role_policy: doc([
      {
        Effect: "Allow",
        Principal: principal,
        Action: "sts:AssumeRole",
        ...(typeof principal === "object" && JSON.stringify(principal).includes(":root")
          ? { Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/pipeline` } } }
          : {}),
      },
    ]),
  });
  const output = (principal: unknown) =>
    fixtureOutput({
      access: {
        provider: provider(B),
        resource: { aws_iam_role: { deploy: trusting(principal) } },
      },
      pipeline: {
        provider: provider(A),
        resource: { aws_iam_role: { pipeline: { name: "pipeline", assume_role_policy: doc([]) } } },
      },
    });
  const runbook = steps(adminStep("access", B), adminStep("pipeline"));

  it("fails a trust policy naming a role that a later stack creates", async () => {
    const findings = await ruleFindings(
      PRINCIPALS_EXIST,
      output({ AWS: `arn:aws:iam::${A}:role/pipeline` }),
      runbook,
    );
    expect(findings).toEqual([
      expect.objectContaining({ stack: "access", address: "aws_iam_role.deploy" }),
    ]);
    expect(findings[0].effect).toContain("Invalid principal in policy");
  });

  it("passes the account as principal with the role pinned in an aws:PrincipalArn condition", async () => {
    expect(
      await ruleFindings(PRINCIPALS_EXIST, output({ AWS: `arn:aws:iam::${A}:root` }), runbook),
    ).toEqual([]);
  });

  it("passes a role created earlier in the same apply when the policy references it", async () => {
    const same = fixtureOutput({
      s: {
        provider: provider(A),
        resource: {
          aws_iam_role: { target: { name: "target", assume_role_policy: doc([]) } },
          aws_kms_key: {
            k: {
              policy: JSON.stringify({
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: { AWS: "${aws_iam_role.target.arn}" },
                    Action: "kms:Decrypt",
                    Resource: "*",
                  },
                ],
              }),
            },
          },
        },
      },
    });
    expect(await ruleFindings(PRINCIPALS_EXIST, same, steps(adminStep("s")))).toEqual([]);
    const unordered = structuredClone(same);
    const key = (
      unordered.stacks.s.document.resource as Record<
        string,
        Record<string, Record<string, unknown>>
      >
    ).aws_kms_key.k;
    key.policy = String(key.policy).replace(
      "${aws_iam_role.target.arn}",
      `arn:aws:iam::${A}:role/target`,
    );
    expect(await ruleFindings(PRINCIPALS_EXIST, unordered, steps(adminStep("s")))).toHaveLength(1);
  });
});

describe("PIPELINE_ACTION_ROLES", () => {
  const fixture = (trustPrincipalArn: string, allowAssume: boolean) =>
    fixtureOutput({
      access: {
        provider: provider(B),
        resource: {
          aws_iam_role: {
            deploy: {
              name: "deploy",
              assume_role_policy: doc([
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${A}:root` },
                  Action: "sts:AssumeRole",
                  Condition: { ArnEquals: { "aws:PrincipalArn": trustPrincipalArn } },
                },
              ]),
            },
          },
        },
      },
      pipeline: {
        provider: provider(A),
        resource: {
          aws_iam_role: { role: { name: "pipeline", assume_role_policy: doc([]) } },
          aws_iam_role_policy: {
            p: {
              name: "pipeline",
              role: "${aws_iam_role.role.id}",
              policy: doc(
                allowAssume
                  ? [
                      {
                        Effect: "Allow",
                        Action: "sts:AssumeRole",
                        Resource: `arn:aws:iam::${B}:role/deploy`,
                      },
                    ]
                  : [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
              ),
            },
          },
          aws_codepipeline: {
            p: {
              name: "p",
              role_arn: "${aws_iam_role.role.arn}",
              stage: [
                {
                  name: "Deploy",
                  action: [
                    {
                      name: "Deploy",
                      category: "Deploy",
                      provider: "ECS",
                      role_arn: `arn:aws:iam::${B}:role/deploy`,
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  const inOrder = steps(adminStep("access", B), adminStep("pipeline"));

  it("fails a pipeline created before its action role's stack", async () => {
    const findings = await ruleFindings(
      PIPELINE_ACTION_ROLES,
      fixture(`arn:aws:iam::${A}:role/pipeline`, true),
      steps(adminStep("pipeline"), adminStep("access", B)),
    );
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("which is applied later"),
    ]);
  });

  it("fails an action role that does not trust the pipeline role, or a pipeline role that may not assume it", async () => {
    const notTrusted = await ruleFindings(
      PIPELINE_ACTION_ROLES,
      fixture(`arn:aws:iam::${A}:role/other`, true),
      inOrder,
    );
    expect(notTrusted.map((f) => f.effect)).toEqual([
      expect.stringContaining("trust policy does not let"),
    ]);
    const notAllowed = await ruleFindings(
      PIPELINE_ACTION_ROLES,
      fixture(`arn:aws:iam::${A}:role/pipeline`, false),
      inOrder,
    );
    expect(notAllowed.map((f) => f.effect)).toEqual([
      expect.stringContaining("policies do not allow sts:AssumeRole"),
    ]);
  });

  it("passes an existing action role that trusts the pipeline role it allows to assume it", async () => {
    expect(
      await ruleFindings(
        PIPELINE_ACTION_ROLES,
        fixture(`arn:aws:iam::${A}:role/pipeline`, true),
        inOrder,
      ),
    ).toEqual([]);
  });
});

describe("ENCRYPTED_DESTINATIONS", () => {
  const keyPolicy = (eventsCondition?: unknown) =>
    doc([
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        ...(eventsCondition ? { Condition: eventsCondition } : {}),
      },
      {
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt*", "kms:Encrypt*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${A}:log-group:/app/*`,
          },
        },
      },
    ]);
  const fixture = (eventsCondition?: unknown, logGroup = "/app/api", logBucketSse = "AES256") =>
    fixtureOutput({
      s: {
        provider: provider(A),
        resource: {
          aws_kms_key: { k: { policy: keyPolicy(eventsCondition) } },
          aws_sns_topic: { t: { name: "alarms", kms_master_key_id: "${aws_kms_key.k.arn}" } },
          aws_sns_topic_policy: {
            tp: {
              arn: "${aws_sns_topic.t.arn}",
              policy: doc([
                {
                  Effect: "Allow",
                  Principal: { Service: "events.amazonaws.com" },
                  Action: "sns:Publish",
                  Resource: `arn:aws:sns:eu-west-1:${A}:alarms`,
                  Condition: { StringEquals: { "aws:SourceAccount": A } },
                },
              ]),
            },
          },
          aws_cloudwatch_event_rule: { r: { name: "deploy-failed" } },
          aws_cloudwatch_event_target: {
            et: { rule: "${aws_cloudwatch_event_rule.r.name}", arn: "${aws_sns_topic.t.arn}" },
          },
          aws_cloudwatch_log_group: { g: { name: logGroup, kms_key_id: "${aws_kms_key.k.arn}" } },
          aws_s3_bucket: { logs: { bucket: "logs" } },
          aws_s3_bucket_server_side_encryption_configuration: {
            sse: {
              bucket: "${aws_s3_bucket.logs.bucket}",
              rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: logBucketSse } }],
            },
          },
          aws_lb: {
            alb: {
              name: "alb",
              access_logs: { bucket: "${aws_s3_bucket.logs.bucket}", enabled: true },
            },
          },
        },
      },
    });
  const runbook = steps(adminStep("s"));

  it("fails EventBridge delivery to an encrypted topic whose key pins aws:SourceAccount", async () => {
    const findings = await ruleFindings(
      ENCRYPTED_DESTINATIONS,
      fixture({ StringEquals: { "aws:SourceAccount": A } }),
      runbook,
    );
    expect(findings.map((f) => f.address)).toEqual([
      "aws_cloudwatch_event_target.et",
      "aws_cloudwatch_event_target.et",
    ]);
    expect(findings[0].effect).toContain("sends no aws:SourceAccount/aws:SourceArn");
  });

  it("fails a log group outside the key's log-group pattern and an SSE-KMS ALB log bucket", async () => {
    const findings = await ruleFindings(
      ENCRYPTED_DESTINATIONS,
      fixture(undefined, "/other/api", "aws:kms"),
      runbook,
    );
    expect(findings.map((f) => f.address).sort()).toEqual([
      "aws_cloudwatch_log_group.g",
      "aws_lb.alb",
    ]);
  });

  it("passes the documented key policy (EventBridge without source conditions, logs by ARN) and SSE-S3 logs", async () => {
    expect(await ruleFindings(ENCRYPTED_DESTINATIONS, fixture(), runbook)).toEqual([]);
  });
});

describe("TASKS_CAN_START", () => {
  const image = `${A}.dkr.ecr.eu-west-1.amazonaws.com/shop/api:release`;
  const output = fixtureOutput({
    secrets: {
      provider: provider(A),
      resource: { aws_secretsmanager_secret: { db: { name: "shop/staging/api/DB" } } },
      output: { db: { value: "${aws_secretsmanager_secret.db.arn}" } },
    },
    services: {
      provider: provider(A),
      data: {
        terraform_remote_state: { sec: { backend: "s3", config: { key: "p/secrets.tfstate" } } },
      },
      resource: {
        aws_ecs_task_definition: {
          td: {
            family: "api",
            container_definitions: JSON.stringify([
              {
                name: "api",
                image,
                secrets: [
                  { name: "DB", valueFrom: "${data.terraform_remote_state.sec.outputs.db}" },
                ],
              },
            ]),
          },
        },
        aws_ecs_service: {
          svc: { name: "api", task_definition: "${aws_ecs_task_definition.td.arn}" },
        },
      },
    },
  });
  const secret: Provision = { kind: "secret-value", accountId: A, name: "shop/staging/api/DB" };
  const published: Provision = {
    kind: "image",
    accountId: A,
    repository: "shop/api",
    tag: "release",
  };

  it("fails a service whose secret has no value and whose image is not published", async () => {
    const findings = await ruleFindings(
      TASKS_CAN_START,
      output,
      steps(adminStep("secrets"), adminStep("services")),
    );
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("reads secret shop/staging/api/DB (DB), which has no value"),
      expect.stringContaining(`runs ${image}, which no step publishes`),
    ]);
  });

  it("passes once an operator step set the value and published the image", async () => {
    expect(
      await ruleFindings(
        TASKS_CAN_START,
        output,
        steps(adminStep("secrets"), operator(secret, published), adminStep("services")),
      ),
    ).toEqual([]);
  });
});

describe("PIPELINE_SOURCES", () => {
  const pipeline = (extra: Record<string, Record<string, unknown>> = {}, dependsOn?: string[]) =>
    fixtureOutput({
      p: {
        provider: provider(A),
        resource: {
          ...extra,
          aws_codepipeline: {
            p: {
              name: "p",
              role_arn: "r",
              ...(dependsOn ? { depends_on: dependsOn } : {}),
              stage: [
                {
                  name: "Source",
                  action: [
                    {
                      name: "Image",
                      category: "Source",
                      provider: "ECR",
                      configuration: { RepositoryName: "shop/api", ImageTag: "release" },
                    },
                    {
                      name: "Config",
                      category: "Source",
                      provider: "S3",
                      configuration: { S3Bucket: "cfg", S3ObjectKey: "deploy-config.zip" },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  const seed = {
    aws_s3_object: { seed: { bucket: "cfg", key: "deploy-config.zip", source: "x.zip" } },
  };
  const image: Provision = { kind: "image", accountId: A, repository: "shop/api", tag: "release" };

  it("fails sources without content when the pipeline (and its first run) is created", async () => {
    const findings = await ruleFindings(PIPELINE_SOURCES, pipeline(seed), steps(adminStep("p")));
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("shop/api:release is not published"),
      expect.stringContaining("s3://cfg/deploy-config.zip does not exist"),
    ]);
  });

  it("passes a published image and a seed object the pipeline waits for", async () => {
    expect(
      await ruleFindings(
        PIPELINE_SOURCES,
        pipeline(seed, ["aws_s3_object.seed"]),
        steps(operator(image), adminStep("p")),
      ),
    ).toEqual([]);
  });
});

describe("CREATION_ORDER", () => {
  const fixture = (dependsOn: string[]) =>
    fixtureOutput({
      s: {
        provider: provider(A),
        resource: {
          aws_s3_bucket_policy: { bp: { bucket: "logs", policy: doc([]) } },
          aws_lb: {
            alb: {
              name: "alb",
              access_logs: { bucket: "logs", enabled: true },
              depends_on: dependsOn,
            },
          },
        },
      },
    });

  it("fails an ALB that enables access logs before its bucket's policy exists", async () => {
    const findings = await ruleFindings(CREATION_ORDER, fixture([]), steps(adminStep("s")));
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("Access Denied for bucket"),
    ]);
  });

  it("fails a log group encrypted with a key whose separate key policy is not yet set", async () => {
    const keyed = (dependsOn: string[]) =>
      fixtureOutput({
        s: {
          provider: provider(A),
          resource: {
            aws_kms_key: { k: {} },
            aws_kms_key_policy: { kp: { key_id: "${aws_kms_key.k.id}", policy: doc([]) } },
            aws_cloudwatch_log_group: {
              g: { name: "/app", kms_key_id: "${aws_kms_key.k.arn}", depends_on: dependsOn },
            },
          },
        },
      });
    expect(await ruleFindings(CREATION_ORDER, keyed([]), steps(adminStep("s")))).toHaveLength(1);
    expect(
      await ruleFindings(CREATION_ORDER, keyed(["aws_kms_key_policy.kp"]), steps(adminStep("s"))),
    ).toEqual([]);
  });

  it("passes when the ALB waits for the bucket policy", async () => {
    expect(
      await ruleFindings(
        CREATION_ORDER,
        fixture(["aws_s3_bucket_policy.bp"]),
        steps(adminStep("s")),
      ),
    ).toEqual([]);
  });
});

describe("CAPACITY_SUPPORTS_ARCHITECTURE", () => {
  const fixture = (strategy?: unknown[]) =>
    fixtureOutput({
      s: {
        provider: provider(A),
        resource: {
          aws_ecs_cluster_capacity_providers: {
            cp: {
              cluster_name: "c",
              default_capacity_provider_strategy: [
                { capacity_provider: "FARGATE", weight: 1 },
                { capacity_provider: "FARGATE_SPOT", weight: 3 },
              ],
            },
          },
          aws_ecs_task_definition: {
            td: { family: "web", runtime_platform: { cpu_architecture: "ARM64" } },
          },
          aws_ecs_service: {
            svc: {
              name: "web",
              cluster: `arn:aws:ecs:eu-west-1:${A}:cluster/c`,
              task_definition: "${aws_ecs_task_definition.td.arn}",
              ...(strategy ? { capacity_provider_strategy: strategy } : {}),
            },
          },
        },
      },
    });

  it("fails an ARM64 service that inherits a Spot-weighted cluster default", async () => {
    expect(
      await ruleFindings(CAPACITY_SUPPORTS_ARCHITECTURE, fixture(), steps(adminStep("s"))),
    ).toHaveLength(1);
  });

  it("passes an ARM64 service with its own FARGATE-only strategy", async () => {
    expect(
      await ruleFindings(
        CAPACITY_SUPPORTS_ARCHITECTURE,
        fixture([{ capacity_provider: "FARGATE", weight: 1, base: 0 }]),
        steps(adminStep("s")),
      ),
    ).toEqual([]);
  });
});

describe("BLUE_GREEN_DEPLOYMENTS", () => {
  interface Variant {
    circuitBreaker?: boolean;
    greenRule?: boolean;
    groupFirst?: "blue" | "green";
    groupDependsOnService?: boolean;
    controller?: string;
    renderedFiles?: string[];
  }
  const fixture = (v: Variant = {}) =>
    fixtureOutput(
      {
        net: {
          provider: provider(A),
          resource: {
            aws_lb_listener: {
              prod: { port: 443, load_balancer_arn: "lb" },
              test: { port: 8443, load_balancer_arn: "lb" },
            },
          },
          output: {
            prod: { value: "${aws_lb_listener.prod.arn}" },
            test: { value: "${aws_lb_listener.test.arn}" },
          },
        },
        svc: {
          provider: provider(A),
          data: {
            terraform_remote_state: {
              net: { backend: "s3", config: { key: "net.tfstate" } },
            },
          },
          resource: {
            aws_lb_target_group: { blue: { name: "web-blue" }, green: { name: "web-green" } },
            aws_lb_listener_rule: {
              prod: {
                listener_arn: "${data.terraform_remote_state.net.outputs.prod}",
                action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.blue.arn}" }],
              },
              ...(v.greenRule === false
                ? {}
                : {
                    test: {
                      listener_arn: "${data.terraform_remote_state.net.outputs.test}",
                      action: [
                        { type: "forward", target_group_arn: "${aws_lb_target_group.green.arn}" },
                      ],
                    },
                  }),
            },
            aws_ecs_service: {
              web: {
                name: "web",
                deployment_controller: { type: v.controller ?? "CODE_DEPLOY" },
                load_balancer: [{ target_group_arn: "${aws_lb_target_group.blue.arn}" }],
                ...(v.circuitBreaker ? { deployment_circuit_breaker: { enable: true } } : {}),
                depends_on: [
                  "aws_lb_listener_rule.prod",
                  ...(v.greenRule === false ? [] : ["aws_lb_listener_rule.test"]),
                ],
              },
            },
            aws_codedeploy_app: { app: { name: "web", compute_platform: "ECS" } },
            aws_codedeploy_deployment_group: {
              dg: {
                app_name: "${aws_codedeploy_app.app.name}",
                deployment_group_name: "web",
                ecs_service: { cluster_name: "c", service_name: "web" },
                load_balancer_info: {
                  target_group_pair_info: {
                    prod_traffic_route: {
                      listener_arns: ["${data.terraform_remote_state.net.outputs.prod}"],
                    },
                    test_traffic_route: {
                      listener_arns: ["${data.terraform_remote_state.net.outputs.test}"],
                    },
                    target_group:
                      v.groupFirst === "green"
                        ? [{ name: "web-green" }, { name: "web-blue" }]
                        : [{ name: "web-blue" }, { name: "web-green" }],
                  },
                },
                ...(v.groupDependsOnService === false
                  ? {}
                  : { depends_on: ["aws_ecs_service.web"] }),
              },
            },
          },
        },
        pipe: {
          provider: provider(A),
          resource: {
            aws_codebuild_project: {
              build: {
                name: "build",
                source: {
                  type: "CODEPIPELINE",
                  buildspec: JSON.stringify({
                    version: "0.2",
                    artifacts: {
                      files: v.renderedFiles ?? ["taskdef-prod.json", "appspec-prod.yaml"],
                    },
                  }),
                },
              },
            },
            aws_codepipeline: {
              p: {
                name: "p",
                stage: [
                  {
                    name: "Build",
                    action: [
                      {
                        name: "Build",
                        provider: "CodeBuild",
                        output_artifacts: ["BuildArtifact"],
                        configuration: { ProjectName: "${aws_codebuild_project.build.name}" },
                      },
                    ],
                  },
                  {
                    name: "Deploy",
                    action: [
                      {
                        name: "Deploy",
                        provider: "CodeDeployToECS",
                        configuration: {
                          ApplicationName: "web",
                          DeploymentGroupName: "web",
                          TaskDefinitionTemplateArtifact: "BuildArtifact",
                          TaskDefinitionTemplatePath: "taskdef-prod.json",
                          AppSpecTemplateArtifact: "BuildArtifact",
                          AppSpecTemplatePath: "appspec-prod.yaml",
                        },
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      { svc: ["net"], pipe: ["svc"] },
    );
  const run = (v: Variant = {}, order = ["net", "svc", "pipe"]) =>
    ruleFindings(BLUE_GREEN_DEPLOYMENTS, fixture(v), steps(...order.map((s) => adminStep(s))));

  it("passes a CODE_DEPLOY service whose two groups are on its listeners, and a pipeline that renders its files", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails a green group no listener forwards to, or the groups listed green first", async () => {
    expect((await run({ greenRule: false })).map((f) => f.effect)).toEqual([
      expect.stringContaining("target group web-green does not belong to the load balancer"),
    ]);
    expect((await run({ groupFirst: "green" })).map((f) => f.effect)).toEqual([
      expect.stringContaining("the first target group web-green is not the one web runs behind"),
      expect.stringContaining("the production listener does not route to web-green"),
    ]);
  });

  it("fails a circuit breaker on a CODE_DEPLOY service, and a deployment group for an ECS-controlled one", async () => {
    expect((await run({ circuitBreaker: true })).map((f) => f.address)).toEqual([
      "aws_ecs_service.web",
    ]);
    expect((await run({ controller: "ECS" })).map((f) => f.effect)).toEqual([
      expect.stringContaining("does not use the CODE_DEPLOY deployment controller"),
    ]);
  });

  it("fails a deployment group created before its service", async () => {
    expect((await run({ groupDependsOnService: false })).map((f) => f.effect)).toEqual([
      expect.stringContaining("does not exist when the deployment group is created"),
    ]);
  });

  it("fails a pipeline whose deploy reads files its build does not write, or runs before the deployment group exists", async () => {
    expect((await run({ renderedFiles: ["taskdef-prod.json"] })).map((f) => f.effect)).toEqual([
      expect.stringContaining("appspec-prod.yaml is not in artifact BuildArtifact"),
    ]);
    expect(
      (await run({}, ["net", "pipe", "svc"]))
        .filter((f) => f.stack === "pipe")
        .map((f) => f.effect),
    ).toEqual([expect.stringContaining("deployment group web/web does not exist")]);
  });
});

describe(RUNBOOK_COVERS_STACKS, () => {
  const output = fixtureOutput({ producer: {}, consumer: {} }, { consumer: ["producer"] });

  it("fails a runbook that misses a stack or applies a consumer before its producer", async () => {
    const missing = await rehearse(output, steps(adminStep("producer")), []);
    expect(missing.findings.map((f) => `${f.stack}: ${f.effect}`)).toEqual([
      "consumer: the stack is never applied: nothing creates its resources",
    ]);
    const reversed = await rehearse(
      output,
      steps(adminStep("consumer"), adminStep("producer")),
      [],
    );
    expect(reversed.findings.map((f) => f.stack)).toEqual(["consumer"]);
  });

  it("passes every stack once, producers first", async () => {
    expect(
      (await rehearse(output, steps(adminStep("producer"), adminStep("consumer")), [])).findings,
    ).toEqual([]);
  });
});

describe("APPLY_ROLE_IAM", () => {
  const boundary = `arn:aws:iam::${A}:policy/boundaries/b`;
  const ciPolicy = doc([
    {
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Resource: `arn:aws:iam::${A}:role/app-*`,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
  ]);
  const output = (roleBoundary?: string) =>
    fixtureOutput({
      bootstrap: {
        provider: provider(A),
        resource: {
          aws_iam_policy: { b: { name: "b", path: "/boundaries/", policy: doc([]) } },
          aws_iam_role: { ci: { name: "ci", assume_role_policy: doc([]) } },
          aws_iam_role_policy: {
            p: { name: "p", role: "${aws_iam_role.ci.name}", policy: ciPolicy },
          },
        },
      },
      app: {
        provider: provider(A),
        resource: {
          aws_iam_role: {
            task: {
              name: "app-task",
              assume_role_policy: doc([]),
              ...(roleBoundary ? { permissions_boundary: roleBoundary } : {}),
            },
          },
        },
      },
    });
  const runbook = steps(adminStep("bootstrap"), {
    ...adminStep("app"),
    firstApply: "ci",
    roleArn: `arn:aws:iam::${A}:role/ci`,
  });

  it("fails a role CI would create without the boundary its policy requires", async () => {
    const findings = await ruleFindings(APPLY_ROLE_IAM, output(), runbook);
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("permissions boundary (none) is not a platform policy"),
      expect.stringContaining("may not iam:CreateRole"),
    ]);
  });

  it("passes a role that carries the existing boundary", async () => {
    expect(await ruleFindings(APPLY_ROLE_IAM, output(boundary), runbook)).toEqual([]);
  });
});

describe("KEY_ADMINISTRATION", () => {
  const ciPolicy = (actions: string[]) =>
    doc([{ Effect: "Allow", Action: actions, Resource: "*" }]);
  const output = (actions: string[], keyPolicyNamesCi: boolean) =>
    fixtureOutput({
      bootstrap: {
        provider: provider(A),
        resource: {
          aws_iam_role: { ci: { name: "ci", assume_role_policy: doc([]) } },
          aws_iam_role_policy: {
            p: { name: "p", role: "${aws_iam_role.ci.name}", policy: ciPolicy(actions) },
          },
        },
      },
      app: {
        provider: {
          aws: [
            {
              region: "eu-west-1",
              allowed_account_ids: [A],
              default_tags: [{ tags: { Project: "p" } }],
            },
          ],
        },
        resource: {
          aws_kms_key: {
            k: {
              policy: doc([
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${A}:root` },
                  Action: "kms:*",
                  Resource: "*",
                },
                ...(keyPolicyNamesCi
                  ? [
                      {
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${A}:role/ci` },
                        Action: ["kms:PutKeyPolicy", "kms:EnableKeyRotation"],
                        Resource: "*",
                      },
                    ]
                  : []),
              ]),
            },
          },
        },
      },
    });
  const runbook = steps(adminStep("bootstrap"), {
    ...adminStep("app"),
    firstApply: "ci",
    roleArn: `arn:aws:iam::${A}:role/ci`,
  });

  it("fails a key CI may create but not tag, or whose policy would lock CI out", async () => {
    const findings = await ruleFindings(
      KEY_ADMINISTRATION,
      output(["kms:CreateKey"], false),
      runbook,
    );
    expect(findings.map((f) => f.effect)).toEqual([
      expect.stringContaining("kms:TagResource"),
      expect.stringContaining("lock the caller out"),
      expect.stringContaining("kms:EnableKeyRotation"),
    ]);
  });

  it("passes CreateKey and TagResource in IAM, the rest in the key policy", async () => {
    expect(
      await ruleFindings(
        KEY_ADMINISTRATION,
        output(["kms:CreateKey", "kms:TagResource"], true),
        runbook,
      ),
    ).toEqual([]);
  });
});
