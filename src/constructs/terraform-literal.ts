/**
 * Text from the config as Terraform must read it: `${` and `%{` start Terraform templates in the
 * synthesized JSON, so a shell variable in a health check (`${HOME}`) or a tag value would be read
 * as a reference (terraform validate fails) or a directive. `$${` and `%%{` are Terraform's
 * escapes for them; the value AWS receives is the text as written.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, "$$$${").replace(/%\{/g, "%%{");
}
