import { block, isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

/** Resource types that hold data a `destroy` would lose. */
export const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_ecr_repository",
  "aws_secretsmanager_secret",
  "aws_kms_key",
  "aws_dynamodb_table",
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_efs_file_system",
  "aws_elasticache_replication_group",
  "aws_backup_vault",
  "aws_opensearch_domain",
  "aws_docdb_cluster",
] as const;

export const STATEFUL_PREVENT_DESTROY: GuardRule = {
  id: "STATEFUL_PREVENT_DESTROY",
  severity: "error",
  rationale: "Stateful resources carry lifecycle.prevent_destroy so no plan can delete their data.",
  check(stack) {
    return resources(stack, ...STATEFUL_TYPES)
      .filter((r) => !isTrue(block(r.block.lifecycle)?.prevent_destroy))
      .map((r) => ({
        address: r.address,
        message: `${r.type} holds data but lacks lifecycle.prevent_destroy; set lifecycle: { preventDestroy: true }`,
      }));
  },
};
