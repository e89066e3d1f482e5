import { AmplifyApp } from "@cdktf/provider-aws/lib/amplify-app";
import { AmplifyBranch } from "@cdktf/provider-aws/lib/amplify-branch";
import { AmplifyDomainAssociation } from "@cdktf/provider-aws/lib/amplify-domain-association";
import { Construct } from "constructs";
import { terraformLiteral } from "./terraform-literal";

export interface AmplifyFrontendProps {
  readonly appName: string;
  /** `https://github.com/<owner>/<repo>` */
  readonly repositoryUrl: string;
  /**
   * GitHub token Amplify uses to connect to the repository once. Pass a sensitive Terraform
   * variable's reference, never a literal: a literal would be written into the synthesized JSON.
   */
  readonly accessToken: string;
  readonly branch: string;
  /** Amplify stage of the branch. @default "DEVELOPMENT" */
  readonly stage?: "PRODUCTION" | "BETA" | "DEVELOPMENT" | "EXPERIMENTAL";
  /** @default "Web" */
  readonly framework?: string;
  /** Amplify build spec (YAML). @default DEFAULT_BUILD_SPEC */
  readonly buildSpec?: string;
  /** Zone apex or subdomain Amplify associates, e.g. `staging.example.com`. */
  readonly domain: string;
  /** Host label under `domain` for the branch. */
  readonly subdomain: string;
}

/** A Node build: `npm ci && npm run build`, publishing `dist/`. */
export const DEFAULT_BUILD_SPEC = [
  "version: 1",
  "frontend:",
  "  phases:",
  "    preBuild:",
  "      commands:",
  "        - npm ci",
  "    build:",
  "      commands:",
  "        - npm run build",
  "  artifacts:",
  "    baseDirectory: dist",
  "    files:",
  "      - '**/*'",
  "  cache:",
  "    paths:",
  "      - node_modules/**/*",
  "",
].join("\n");

/** Serves index.html for every path that is not a static file (single-page app routing). */
export const SPA_REWRITE = {
  source:
    "</^[^.]+$|\\.(?!(css|gif|ico|jpg|js|png|txt|svg|woff|woff2|ttf|map|json|webp)$)([^.]+$)/>",
  target: "/index.html",
  status: "200",
} as const;

/**
 * An Amplify Hosting app for the frontend repository, the environment's branch, and its custom
 * domain `<subdomain>.<domain>`. Amplify creates the DNS records in the Route 53 zone itself and
 * issues the certificate; Terraform does not wait for that verification.
 */
export class AmplifyFrontend extends Construct {
  readonly app: AmplifyApp;
  readonly branch: AmplifyBranch;
  readonly domain: AmplifyDomainAssociation;

  constructor(scope: Construct, id: string, props: AmplifyFrontendProps) {
    super(scope, id);
    this.app = new AmplifyApp(this, "Resource", {
      name: props.appName,
      repository: props.repositoryUrl,
      accessToken: props.accessToken,
      platform: "WEB",
      buildSpec: terraformLiteral(props.buildSpec ?? DEFAULT_BUILD_SPEC),
      customRule: [{ ...SPA_REWRITE }],
      enableBranchAutoDeletion: false,
    });
    this.branch = new AmplifyBranch(this, "Branch", {
      appId: this.app.id,
      branchName: props.branch,
      stage: props.stage ?? "DEVELOPMENT",
      framework: props.framework ?? "Web",
      enableAutoBuild: true,
    });
    this.domain = new AmplifyDomainAssociation(this, "Domain", {
      appId: this.app.id,
      domainName: props.domain,
      subDomain: [{ branchName: this.branch.branchName, prefix: props.subdomain }],
      waitForVerification: false,
    });
  }
}
