import { stackPolicies, conditionsOn, isPublicPrincipal, type Statement } from "../policies";
import { relatedResources, resources } from "../terraform";
import type { GuardRule } from "../types";

function deniesInsecureTransport(s: Statement): boolean {
  if (s.effect !== "Deny" || !isPublicPrincipal(s)) return false;
  if (!s.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*")) return false;
  return conditionsOn(s, "aws:SecureTransport").some(
    (c) => c.operator === "Bool" && c.values.map((v) => v.toLowerCase()).includes("false"),
  );
}

export const S3_BUCKET_TLS_ONLY: GuardRule = {
  id: "S3_BUCKET_TLS_ONLY",
  severity: "error",
  rationale: "A bucket policy denying aws:SecureTransport=false keeps every request on TLS.",
  check(stack) {
    const { documents } = stackPolicies(stack);
    return resources(stack, "aws_s3_bucket")
      .filter((bucket) => {
        const policies = relatedResources(
          stack,
          "aws_s3_bucket_policy",
          "bucket",
          bucket,
          "bucket",
        );
        return !policies.some((p) =>
          documents.some(
            (d) => d.address === p.address && d.statements.some(deniesInsecureTransport),
          ),
        );
      })
      .map((bucket) => ({
        address: bucket.address,
        message:
          "bucket policy does not deny requests without TLS; add an aws_s3_bucket_policy with " +
          "denyInsecureTransport() from src/policies/document.ts (SecureBucket does this)",
      }));
  },
};
