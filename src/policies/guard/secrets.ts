/** Patterns for credentials that must never appear in synthesized JSON. */

const PATTERNS: readonly { readonly name: string; readonly re: RegExp }[] = [
  { name: "an AWS access key id", re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { name: "a private key block", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: "a GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { name: "a Slack token", re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: "a password inside a URL", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@$]+:[^\s@/$]+@/i },
];

/** What kind of credential `value` contains, if any. */
export function credentialIn(value: string): string | undefined {
  return PATTERNS.find((p) => p.re.test(value))?.name;
}

/** Names of attributes or variables whose value is a secret. */
export const SECRET_NAME =
  /(?:^|_)(?:password|passwd|secret|token|api_?key|access_?key|secret_?key|private_?key|credentials?)$|^(?:secret_string|plaintext_value|master_password|auth_token|client_secret)$/i;

/** Environment variable names that suggest a secret. */
export const SECRET_ENV_NAME =
  /SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_?KEY|ACCESS_?KEY|API_?KEY|(?:^|_)KEY$/i;
