import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { Construct } from "constructs";

export interface ServiceNamespaceProps {
  /** A private DNS name, e.g. `staging.acme-shop.internal`. */
  readonly name: string;
  readonly vpcId: string;
  /** @default - none */
  readonly description?: string;
}

/**
 * A Cloud Map private DNS namespace on a VPC: services register there and find each other as
 * `<service>.<namespace>` without going through the load balancer.
 */
export class ServiceNamespace extends Construct {
  readonly namespace: ServiceDiscoveryPrivateDnsNamespace;

  constructor(scope: Construct, id: string, props: ServiceNamespaceProps) {
    super(scope, id);
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}$/.test(props.name)) {
      throw new Error(`${this.node.path}: "${props.name}" is not a valid private DNS name`);
    }
    this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, "Resource", {
      name: props.name,
      vpc: props.vpcId,
      description: props.description,
    });
  }

  get namespaceId(): string {
    return this.namespace.id;
  }

  get namespaceName(): string {
    return this.namespace.name;
  }
}
