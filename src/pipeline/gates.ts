import type { CodepipelineStageOnSuccessConditionRule } from "@cdktf/provider-aws/lib/codepipeline";

/*
 * Alarm bakes as CodePipeline V2 stage conditions (AWS CodePipeline User Guide: "How do stage
 * conditions work?", rule references "CloudWatchAlarm" and "Commands").
 *
 * A CloudWatchAlarm rule alone cannot bake: it passes at once when the alarm is OK at its first
 * check, and its WaitTime only gives an alarm already in ALARM time to clear. So each bake is a
 * Commands rule that watches the alarms for the whole bake time and fails at the first ALARM
 * (OK and INSUFFICIENT_DATA pass, as for the CloudWatchAlarm rule). Where the alarms live in the
 * pipeline's own account, CloudWatchAlarm rules (AlarmName, AlarmStates ALARM, WaitTime: the
 * bake time) check each alarm natively beside it, so the console shows which alarm held the
 * release; their WaitTime does not relax the Commands rule, which still fails at the first ALARM
 * it reads. Alarms in another account are read by the Commands rule through that account's deploy
 * role, because a rule's role in another account is not documented.
 */

/** One environment's bake. */
export interface Bake {
  readonly environment: string;
  /** Region of the environment (and its alarms). */
  readonly region: string;
  /** The alarms that must stay out of ALARM: one service's, by full name. */
  readonly alarmNames: readonly string[];
  /** Minutes to watch; 0 checks once. At most BAKE_MAX_MINUTES. */
  readonly minutes: number;
  /** Role in the alarms' account to read them with (cross-account); else the pipeline role. */
  readonly readRoleArn?: string;
  /** Whether the alarms are in the pipeline's account and region (CloudWatchAlarm rules apply). */
  readonly native: boolean;
  /** An artifact of the execution (a Commands rule runs with one). */
  readonly inputArtifact: string;
}

/** Seconds between two reads of the alarms during a bake. */
export const BAKE_POLL_SECONDS = 30;

/**
 * Longest bake: a Commands rule runs as a CodeBuild build that AWS stops after 55 minutes
 * (CodePipeline User Guide, "Commands rule"); 50 leaves room for the build's start and the role
 * assumption.
 */
export const BAKE_MAX_MINUTES = 50;

/** AWS limits of a Commands rule: one-line commands of at most 1,000 characters. */
export const COMMAND_MAX_LENGTH = 1000;

const SAFE = /^[A-Za-z0-9_.:/+=,@-]+$/;

function checked(value: string, what: string): string {
  if (!SAFE.test(value)) throw new Error(`${what} ${JSON.stringify(value)} is not shell-safe`);
  return value;
}

/**
 * The Commands rule's one command: (assume the read role,) then read the alarms every
 * BAKE_POLL_SECONDS until the bake time is over; any alarm in ALARM, or an alarm that does not
 * exist, fails it.
 */
export function bakeCommand(bake: Bake): string {
  if (!Number.isInteger(bake.minutes) || bake.minutes < 0 || bake.minutes > BAKE_MAX_MINUTES) {
    throw new Error(
      `bake of ${bake.environment}: ${bake.minutes} minutes; use a whole number 0-${BAKE_MAX_MINUTES}`,
    );
  }
  if (bake.alarmNames.length === 0) throw new Error(`bake of ${bake.environment}: no alarms`);
  bake.alarmNames.forEach((n) => checked(n, "alarm name"));
  // The alarms of one service share their name up to the kind: say it once ($P) to keep the
  // command under AWS's 1,000 characters.
  const prefix = sharedPrefix(bake.alarmNames);
  // "$P"kind, not ${P}kind: Terraform would read ${...} in the synthesized JSON as its own.
  const names = bake.alarmNames.map((n) => `"$P"${n.slice(prefix.length)}`).join(" ");
  const region = checked(bake.region, "region");
  checked(bake.environment, "environment");
  // The read role is named after the service too: "$P" there as well when it is.
  const role = bake.readRoleArn
    ? checked(bake.readRoleArn, "role").replace(`:role/${prefix}`, prefix ? ':role/"$P"' : ":role/")
    : undefined;
  const assume = role
    ? `set -- $(aws sts assume-role --role-arn ${role} --role-session-name bake --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text); [ $# -eq 3 ] || exit 1; ` +
      `export AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3; `
    : "";
  const command =
    `P=${prefix}; END=$(( $(date +%s) + ${bake.minutes * 60} )); ${assume}` +
    `while :; do S=$(aws cloudwatch describe-alarms --region ${region} --alarm-names ${names} --query "MetricAlarms[].[AlarmName,StateValue]" --output text) || exit 1; ` +
    `[ "$(echo "$S" | grep -c .)" -eq ${bake.alarmNames.length} ] || { echo "expected ${bake.alarmNames.length} alarms, found: $S"; exit 1; }; ` +
    `if echo "$S" | grep -q "ALARM$"; then echo "in ALARM during the bake of ${bake.environment}: $S"; exit 1; fi; ` +
    `[ "$(date +%s)" -ge "$END" ] && break; sleep ${BAKE_POLL_SECONDS}; done; ` +
    `echo "${bake.environment}: no alarm for ${bake.minutes} minutes"`;
  if (command.length > COMMAND_MAX_LENGTH) {
    throw new Error(
      `bake of ${bake.environment}: the command is ${command.length} characters, AWS allows ${COMMAND_MAX_LENGTH}; watch fewer alarms`,
    );
  }
  return command;
}

/** The longest common prefix of the names that ends at a "-" (or nothing). */
function sharedPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? "";
  for (const name of names) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  const cut = prefix.lastIndexOf("-");
  return cut < 0 ? "" : prefix.slice(0, cut + 1);
}

/** The rules of one bake condition: the Commands bake, and native alarm checks where possible. */
export function bakeRules(bake: Bake): CodepipelineStageOnSuccessConditionRule[] {
  const rules: CodepipelineStageOnSuccessConditionRule[] = [
    {
      name: `Bake-${bake.environment}`,
      ruleTypeId: { category: "Rule", owner: "AWS", provider: "Commands", version: "1" },
      commands: [bakeCommand(bake)],
      inputArtifacts: [bake.inputArtifact],
    },
  ];
  if (bake.native) {
    for (const alarm of bake.alarmNames) {
      rules.push({
        name: `Alarm-${alarm}`.slice(0, 100),
        ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
        configuration: { AlarmName: alarm, AlarmStates: "ALARM", WaitTime: String(bake.minutes) },
      });
    }
  }
  // A condition holds at most five rules (CodePipeline API: Condition.rules).
  if (rules.length > 5) {
    throw new Error(`bake of ${bake.environment}: ${rules.length} rules; a condition holds 5`);
  }
  return rules;
}
