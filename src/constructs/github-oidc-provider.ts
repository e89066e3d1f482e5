import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { GITHUB_OIDC_URL, STS_AUDIENCE } from "../policies/github-oidc-token";

export interface OidcProviderProps {
  /** The issuer: `https://<host>`, no trailing slash (IAM matches it exactly). */
  readonly url: string;
  /** The audiences (`aud`) tokens may carry. */
  readonly audiences: readonly string[];
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * An IAM OIDC identity provider in one account (IAM allows one provider per URL per account).
 *
 * No `thumbprint_list`: it is optional since AWS provider 5.81, and AWS validates the issuer's
 * certificate against its own trusted CAs (GitHub, HCP Terraform), so a pinned thumbprint would
 * only break on rotation.
 */
export class OidcProvider extends Construct {
  readonly resource: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    this.resource = new IamOpenidConnectProvider(this, "Resource", {
      provider: props.provider,
      url: props.url,
      clientIdList: [...props.audiences],
    });
  }

  get arn(): string {
    return this.resource.arn;
  }
}

export interface GithubOidcProviderProps {
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** GitHub Actions' issuer; its only audience is STS. */
export class GithubOidcProvider extends OidcProvider {
  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id, { ...props, url: GITHUB_OIDC_URL, audiences: [STS_AUDIENCE] });
  }
}
