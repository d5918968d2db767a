import { ComputeManagementClient } from "@azure/arm-compute";
import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";

/** How to reach Azure Resource Manager. Tests point `endpoint` at a local server. */
export interface AzureConnection {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /**
   * Resource Manager endpoint.
   * @default "https://management.azure.com"
   */
  readonly endpoint?: string;
  /**
   * Extra CA certificate (PEM) to trust, for an endpoint with a private certificate.
   * @default - the system's CAs
   */
  readonly ca?: string;
  /**
   * Retries of the SDK's own retry policy.
   * @default 3
   */
  readonly maxRetries?: number;
}

/** A VM size as the subscription sees it in one region. */
export interface RegionalVmSize {
  readonly name: string;
  /** Quota family, as in the usage list (e.g. standardDSv2Family). */
  readonly family: string;
  readonly vcpus: number;
  readonly gpus: number;
  /** Why the subscription cannot use it here, when it cannot. */
  readonly restriction?: string;
}

export interface QuotaUsage {
  /** `cores` is the region's total; the others are VM families. */
  readonly name: string;
  readonly displayName: string;
  readonly current: number;
  readonly limit: number;
}

/** The few Resource Manager reads the preflight needs, through Microsoft's SDKs. */
export class AzureCapacity {
  private readonly compute: ComputeManagementClient;
  private readonly resources: ResourceManagementClient;

  constructor(connection: AzureConnection) {
    const options = {
      endpoint: connection.endpoint,
      tlsOptions: connection.ca ? { ca: connection.ca } : undefined,
      retryOptions: connection.maxRetries === undefined ? undefined : { maxRetries: connection.maxRetries },
    };
    this.compute = new ComputeManagementClient(connection.credential, connection.subscriptionId, options);
    this.resources = new ResourceManagementClient(connection.credential, connection.subscriptionId, options);
  }

  /** `Registered`, `NotRegistered`, `Registering`… */
  async providerState(namespace: string): Promise<string> {
    const provider = await this.resources.providers.get(namespace);
    return provider.registrationState ?? "Unknown";
  }

  async vmSizes(location: string): Promise<RegionalVmSize[]> {
    const sizes: RegionalVmSize[] = [];
    for await (const sku of this.compute.resourceSkus.list({ filter: `location eq '${location}'` })) {
      if (sku.resourceType !== "virtualMachines" || !sku.name) continue;
      const capability = (name: string) => Number(sku.capabilities?.find((c) => c.name === name)?.value ?? 0);
      const blocked = sku.restrictions?.find(
        (r) => r.type === "Location" && (r.values ?? []).some((v) => v.toLowerCase() === location.toLowerCase()),
      );
      sizes.push({
        name: sku.name,
        family: sku.family ?? "",
        vcpus: capability("vCPUs"),
        gpus: capability("GPUs"),
        restriction: blocked ? (blocked.reasonCode ?? "restricted") : undefined,
      });
    }
    return sizes;
  }

  async usages(location: string): Promise<QuotaUsage[]> {
    const usages: QuotaUsage[] = [];
    for await (const u of this.compute.usage.list(location)) {
      usages.push({
        name: u.name.value ?? "",
        displayName: u.name.localizedValue ?? u.name.value ?? "",
        current: u.currentValue,
        limit: u.limit,
      });
    }
    return usages;
  }
}
