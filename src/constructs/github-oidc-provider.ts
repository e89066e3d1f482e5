import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { GITHUB_OIDC_URL, STS_AUDIENCE } from "./github-oidc-role";

export interface GithubOidcProviderProps {
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The IAM OIDC identity provider for GitHub Actions in one account (IAM allows one provider per
 * URL per account). Its only audience is STS.
 *
 * No `thumbprint_list`: it is optional in AWS provider 5.x, and AWS validates GitHub's
 * certificate against its own trusted CAs, so a pinned thumbprint would only break on rotation.
 */
export class GithubOidcProvider extends Construct {
  readonly resource: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    this.resource = new IamOpenidConnectProvider(this, "Resource", {
      provider: props.provider,
      url: GITHUB_OIDC_URL,
      clientIdList: [STS_AUDIENCE],
    });
  }

  get arn(): string {
    return this.resource.arn;
  }
}
