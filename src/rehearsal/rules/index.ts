import type { RehearsalRule } from "../types";
import { APPLY_ROLE_IAM } from "./apply-role-iam";
import { BLUE_GREEN_DEPLOYMENTS } from "./blue-green";
import { CAPACITY_SUPPORTS_ARCHITECTURE } from "./capacity-architecture";
import { CREATION_ORDER } from "./creation-order";
import { ENCRYPTED_DESTINATIONS } from "./encrypted-destinations";
import { KEY_ADMINISTRATION } from "./key-administration";
import { PIPELINE_ACTION_ROLES } from "./pipeline-action-roles";
import { PIPELINE_SOURCES } from "./pipeline-sources";
import { PRINCIPALS_EXIST } from "./principals-exist";
import { STACK_CREDENTIALS } from "./stack-credentials";
import { STATE_BACKEND_ACCESS } from "./state-backend-access";
import { TASKS_CAN_START } from "./tasks-can-start";

/** Every rehearsal rule, in the order a stack's apply meets them. */
export const REHEARSAL_RULES: readonly RehearsalRule[] = [
  STACK_CREDENTIALS,
  STATE_BACKEND_ACCESS,
  APPLY_ROLE_IAM,
  KEY_ADMINISTRATION,
  PRINCIPALS_EXIST,
  CREATION_ORDER,
  ENCRYPTED_DESTINATIONS,
  TASKS_CAN_START,
  CAPACITY_SUPPORTS_ARCHITECTURE,
  BLUE_GREEN_DEPLOYMENTS,
  PIPELINE_ACTION_ROLES,
  PIPELINE_SOURCES,
];
