import { credentialIn, SECRET_NAME } from "../secrets";
import { isBlock, isExpression, isTrue } from "../terraform";
import type { GuardRule, SynthesizedStackJson, Violation } from "../types";

/** Terraform address of the block at `path` (section, then type/name for resources and data). */
function addressOf(path: readonly string[]): string {
  const [section, a, b] = path;
  if (section === "resource" && a && b) return `${a}.${b}`;
  if (section === "data" && a && b) return `data.${a}.${b}`;
  if (a !== undefined && section !== "terraform" && section !== "locals") return `${section}.${a}`;
  return section ?? "(root)";
}

/** Walks every value, skipping `//` metadata (construct paths, stack traces, suppression reasons). */
function scan(stack: SynthesizedStackJson): Violation[] {
  const out: Violation[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (typeof value === "string") {
      const key = path[path.length - 1] ?? "";
      const credential = credentialIn(value);
      if (credential) {
        out.push({
          address: addressOf(path),
          message: `${path.slice(3).join(".") || key} contains what looks like ${credential}; remove it and rotate the credential`,
        });
      } else if (SECRET_NAME.test(key) && value !== "" && !isExpression(value)) {
        out.push({
          address: addressOf(path),
          message: `${key} has a literal value; pass it as a sensitive variable or keep it in Secrets Manager`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, String(i)]));
    } else if (isBlock(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k !== "//") visit(v, [...path, k]);
      }
    }
  };
  visit(stack, []);

  for (const [name, variable] of Object.entries(stack.variable ?? {})) {
    const d = variable.default;
    if (isTrue(variable.sensitive) && typeof d === "string" && d !== "") {
      out.push({
        address: `variable.${name}`,
        message:
          "sensitive variable has a default value in code; remove the default and supply it at plan time",
      });
    }
  }
  return out;
}

export const NO_LITERAL_CREDENTIALS: GuardRule = {
  id: "NO_LITERAL_CREDENTIALS",
  severity: "error",
  rationale:
    "Credentials never appear in code or synthesized JSON: access keys, tokens, private keys, passwords.",
  check: scan,
};
