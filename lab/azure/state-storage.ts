import { ResourceManagementClient } from "@azure/arm-resources";
import { BlobConnection, BlobService } from "./blob-service";

/** How to reach Resource Manager and the storage account. Tests point both at local servers. */
export interface StateStorageConnection extends BlobConnection {
  readonly subscriptionId: string;
  /** @default "https://management.azure.com" */
  readonly armEndpoint?: string;
}

/** What the blob service said about the state's container. */
export type ContainerAccess = "writable" | "missing" | { readonly denied: number; readonly message: string };

/** The reads (and one write, removed again) that tell whether the lab's state can live in a storage account. */
export class StateStorage {
  private readonly resources: ResourceManagementClient;
  private readonly blobs: BlobService;

  constructor(connection: StateStorageConnection) {
    const tlsOptions = connection.ca ? { ca: connection.ca } : undefined;
    this.resources = new ResourceManagementClient(connection.credential, connection.subscriptionId, {
      endpoint: connection.armEndpoint,
      tlsOptions,
      retryOptions: connection.maxRetries === undefined ? undefined : { maxRetries: connection.maxRetries },
    });
    this.blobs = new BlobService(connection);
  }

  /** Whether the subscription has a storage account of that name (names are global, so one at most). */
  async accountExists(account: string): Promise<boolean> {
    const filter = `resourceType eq 'Microsoft.Storage/storageAccounts' and name eq '${account}'`;
    for await (const resource of this.resources.resources.list({ filter })) {
      if (resource.name?.toLowerCase() === account.toLowerCase()) return true;
    }
    return false;
  }

  /** Whether the container exists and the login can write (and delete) a blob in it. */
  async containerAccess(account: string, container: string): Promise<ContainerAccess> {
    const base = this.blobs.url(account, container);
    const exists = await this.blobs.send("GET", `${base}?restype=container`);
    if (exists.status === 404) return "missing";
    if (exists.status >= 300) return { denied: exists.status, message: exists.message };
    const probe = `${base}/preflight-probe-${Date.now()}-${Math.floor(Math.random() * 1e6)}.txt`;
    const written = await this.blobs.send("PUT", probe, { "x-ms-blob-type": "BlockBlob" }, "preflight");
    if (written.status >= 300) return { denied: written.status, message: written.message };
    await this.blobs.send("DELETE", probe);
    return "writable";
  }
}
