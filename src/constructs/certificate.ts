import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Fn, TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";

export interface DnsValidatedCertificateProps {
  /** The certificate's names: the first is its subject, the others its SANs. At least one. */
  readonly domainNames: readonly string[];
  /** The Route 53 hosted zone that holds the validation records (and serves the names). */
  readonly hostedZoneId: string;
  /** @default "EC_prime256v1" (faster handshakes than RSA_2048, supported by ALB) */
  readonly keyAlgorithm?: "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";
}

/**
 * An ACM certificate validated through DNS records in a Route 53 hosted zone. Use
 * `certificateArn`: it resolves only once validation succeeded, so a listener that uses it waits.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validationRecords: Route53Record;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const [subject, ...alternatives] = props.domainNames;
    if (subject === undefined) {
      throw new Error(`${this.node.path}: a certificate needs at least one domain name`);
    }
    if (new Set(props.domainNames).size !== props.domainNames.length) {
      throw new Error(`${this.node.path}: duplicate domain names ${props.domainNames.join(", ")}`);
    }
    this.certificate = new AcmCertificate(this, "Resource", {
      domainName: subject,
      subjectAlternativeNames: alternatives.length ? alternatives : undefined,
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "EC_prime256v1",
      // A renamed certificate is replaced while the listener still uses the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    // One record per name. The for_each keys are the names from props, known at plan time (the
    // certificate's domain_validation_options are not, so they cannot be the keys); each record
    // looks its values up in those options by name.
    const names = TerraformIterator.fromMap(
      Object.fromEntries(props.domainNames.map((d) => [d, d])),
    );
    const byName = TerraformIterator.fromList(
      Token.asAny(this.certificate.domainValidationOptions),
    ).forExpressionForMap("val.domain_name", "val");
    const option = (attribute: string) =>
      Token.asString(Fn.lookupNested(byName, [names.value, attribute]));
    this.validationRecords = new Route53Record(this, "ValidationRecord", {
      forEach: names,
      zoneId: props.hostedZoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 60,
      // Validation records are shared by certificates for the same names; re-running is safe.
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "Validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(
        TerraformIterator.fromResources(this.validationRecords).pluckProperty("fqdn"),
      ),
    });
  }

  /** The certificate ARN, available after validation. */
  get certificateArn(): string {
    return this.validation.certificateArn;
  }
}
