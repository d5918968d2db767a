import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import {
  Pipeline,
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";

/** How to reach Resource Manager and the storage account. Tests point both at local servers. */
export interface StateStorageConnection {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** @default "https://management.azure.com" */
  readonly armEndpoint?: string;
  /**
   * The blob endpoint of an account.
   * @default - https://<account>.blob.core.windows.net
   */
  readonly blobEndpoint?: (account: string) => string;
  /** Extra CA certificate (PEM) for the endpoints. @default - the system's CAs */
  readonly ca?: string;
  /** @default 3 */
  readonly maxRetries?: number;
}

/** What the blob service said about the state's container. */
export type ContainerAccess = "writable" | "missing" | { readonly denied: number; readonly message: string };

/** The Blob REST API version the probe speaks (any current one does for these three calls). */
const BLOB_API_VERSION = "2023-11-03";
const STORAGE_SCOPE = "https://storage.azure.com/.default";

/** The reads (and one write, removed again) that tell whether the lab's state can live in a storage account. */
export class StateStorage {
  private readonly resources: ResourceManagementClient;
  private readonly blobs: Pipeline;
  private readonly http = createDefaultHttpClient();

  constructor(private readonly connection: StateStorageConnection) {
    const tlsOptions = connection.ca ? { ca: connection.ca } : undefined;
    this.resources = new ResourceManagementClient(connection.credential, connection.subscriptionId, {
      endpoint: connection.armEndpoint,
      tlsOptions,
      retryOptions: connection.maxRetries === undefined ? undefined : { maxRetries: connection.maxRetries },
    });
    this.blobs = createPipelineFromOptions({ retryOptions: { maxRetries: connection.maxRetries ?? 3 } });
    this.blobs.addPolicy(bearerTokenAuthenticationPolicy({ credential: connection.credential, scopes: STORAGE_SCOPE }));
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
    const base = `${this.blobEndpoint(account)}/${container}`;
    const exists = await this.send("GET", `${base}?restype=container`);
    if (exists.status === 404) return "missing";
    if (exists.status >= 300) return { denied: exists.status, message: exists.message };
    const probe = `${base}/preflight-probe-${Date.now()}-${Math.floor(Math.random() * 1e6)}.txt`;
    const written = await this.send("PUT", probe, { "x-ms-blob-type": "BlockBlob" }, "preflight");
    if (written.status >= 300) return { denied: written.status, message: written.message };
    await this.send("DELETE", probe);
    return "writable";
  }

  private blobEndpoint(account: string): string {
    return this.connection.blobEndpoint?.(account) ?? `https://${account}.blob.core.windows.net`;
  }

  private async send(
    method: "GET" | "PUT" | "DELETE",
    url: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<{ status: number; message: string }> {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ "x-ms-version": BLOB_API_VERSION, ...headers }),
      body,
    });
    // createPipelineRequest drops tlsSettings from its options; the Node client reads it from the request.
    if (this.connection.ca) request.tlsSettings = { ca: this.connection.ca };
    const response = await this.blobs.sendRequest(this.http, request);
    const code = response.headers.get("x-ms-error-code");
    return { status: response.status, message: code ? `${code}` : `HTTP ${response.status}` };
  }
}
