/*
 * What a GitHub Actions OIDC token looks like to IAM. Plain values, shared by the trust policies
 * (src/constructs) and the model's description of each CI identity (src/model) without either
 * loading the other.
 */

/** The issuer of GitHub Actions OIDC tokens (host only, as IAM condition keys use it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience aws-actions/configure-aws-credentials requests. */
export const STS_AUDIENCE = "sts.amazonaws.com";
