import type { PolicyStatement } from "./document";
import { accountRootArn } from "./document";

/**
 * The Elastic Load Balancing account that writes access logs in each region that opened before
 * August 2022. Regions opened later (and every region, going forward) deliver through the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 * Source: ELB user guide, "Enable access logs for your Application Load Balancer", step 2.
 */
export const LEGACY_ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

export const ELB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Bucket policy statements that let the regional ELB log delivery write a load balancer's access
 * logs under `<prefix>AWSLogs/<accountId>/` and nowhere else. The service principal is always
 * granted (newer regions need it, older ones accept it); the legacy per-region account is added
 * where the region has one.
 */
export function elbLogDeliveryStatements(
  bucketArn: string,
  accountId: string,
  region: string,
  prefix = "",
): PolicyStatement[] {
  const objects = `${bucketArn}/${prefix ? `${prefix}/` : ""}AWSLogs/${accountId}/*`;
  const statements: PolicyStatement[] = [
    {
      Sid: "ElbLogDeliveryService",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL },
      Action: "s3:PutObject",
      Resource: objects,
    },
  ];
  const legacy = LEGACY_ELB_LOG_ACCOUNTS[region];
  if (legacy) {
    statements.push({
      Sid: "ElbLogDeliveryRegionalAccount",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(legacy) },
      Action: "s3:PutObject",
      Resource: objects,
    });
  }
  return statements;
}
