import { describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";

/*
 * Free text from the config reaches Terraform as text: `${...}` and `%{...}` in a health check,
 * an environment variable or the Amplify build spec would otherwise be read as Terraform
 * references or directives (terraform validate: "Invalid reference"), or silently evaluated.
 */
describe("config text in the synthesized JSON", () => {
  const app = synthApp(
    exampleConfig((c) => {
      c.services[0].healthCheckCommand = 'test -n "${HOME}" && echo %{x} || exit 1';
      c.services[0].environment = { GREETING: "hello ${USER}" };
      if (c.frontend)
        c.frontend.buildSpec =
          "version: 1\nfrontend:\n  phases:\n    build:\n      commands: [echo ${BRANCH}]\n";
    }),
  );
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
