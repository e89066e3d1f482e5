import { describe, expect, it } from "vitest";
import { synthApp } from "../helpers/synth";
import { variedConfig } from "../helpers/varied-config";

/*
 * Free text from the config reaches Terraform as text: `${...}` and `%{...}` in a health check,
 * an environment variable or the Amplify build spec would otherwise be read as Terraform
 * references or directives (terraform validate: "Invalid reference"), or silently evaluated.
 */
describe("config text in the synthesized JSON", () => {
  // The varied config puts ${HOME} and %{x} in a health check, ${USER} in an environment
  // variable and ${BRANCH} in the Amplify build spec.
  const app = synthApp(variedConfig());
  const all = Object.values(app.text).join("\n");

  it("is escaped for Terraform wherever it appears", () => {
    for (const text of ["${HOME}", "${USER}", "${BRANCH}"]) {
      expect(all, text).toContain(`$${text}`);
      // No occurrence without Terraform's escape in front of it.
      expect(
        all
          .split(text)
          .slice(0, -1)
          .every((before) => before.endsWith("$")),
        text,
      ).toBe(true);
    }
    expect(all).toContain("%%{x}");
    expect(
      all
        .split("%{x}")
        .slice(0, -1)
        .every((before) => before.endsWith("%")),
    ).toBe(true);
  });
});
