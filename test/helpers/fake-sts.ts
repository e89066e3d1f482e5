import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A local stand-in for AWS STS, so the offline Terraform tier can keep the provider settings real
 * runs depend on (allowed_account_ids, assume_role) instead of stripping them. The AWS provider
 * asks STS who its credentials are (GetCallerIdentity) and checks the account against
 * allowed_account_ids; with assume_role it first calls AssumeRole. Here the account is encoded in
 * the access key id (`AKIAMOCK<account>`), exactly as the runbook says which account's
 * credentials apply each stack, and AssumeRole returns credentials of the role's account. No
 * signature is checked and nothing leaves the machine.
 */

export interface FakeSts {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints.sts`. */
  readonly endpoint: string;
  /** Every call as `Action key [RoleArn]`, for assertions. */
  readonly calls: readonly string[];
  close(): Promise<void>;
}

/** Mock credentials of an account, as the tier hands them to a stack's providers. */
export function mockAccessKey(accountId: string): string {
  return `AKIAMOCK${accountId}`;
}

const XMLNS = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"';

function reply(action: string, accountId: string, roleArn: string | null): string | undefined {
  if (action === "GetCallerIdentity") {
    return (
      `<GetCallerIdentityResponse ${XMLNS}><GetCallerIdentityResult>` +
      `<Arn>arn:aws:sts::${accountId}:assumed-role/offline/tier</Arn><UserId>AROAOFFLINE:tier</UserId>` +
      `<Account>${accountId}</Account></GetCallerIdentityResult>` +
      `<ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
    );
  }
  if (action === "AssumeRole" && roleArn) {
    const roleAccount = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
    if (!roleAccount) return undefined;
    return (
      `<AssumeRoleResponse ${XMLNS}><AssumeRoleResult><Credentials>` +
      `<AccessKeyId>ASIAMOCK${roleAccount}</AccessKeyId><SecretAccessKey>offline</SecretAccessKey>` +
      `<SessionToken>offline</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::${roleAccount}:assumed-role/offline/tier</Arn>` +
      `<AssumedRoleId>AROAOFFLINE:tier</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>` +
      `<ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></AssumeRoleResponse>`
    );
  }
  return undefined;
}

export async function startFakeSts(): Promise<FakeSts> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const action = params.get("Action") ?? "";
      const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const account = /(\d{12})/.exec(key)?.[1] ?? "000000000000";
      calls.push([action, key, params.get("RoleArn") ?? ""].join(" ").trim());
      const xml = reply(action, account, params.get("RoleArn"));
      res.setHeader("Content-Type", "text/xml");
      if (xml) {
        res.end(xml);
      } else {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse ${XMLNS}><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
            `<Message>offline STS answers GetCallerIdentity and AssumeRole only</Message></Error></ErrorResponse>`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
