import type { TokenCredential } from "@azure/core-auth";
import { EntraRestClient } from "../net/entra-rest";

/** How to reach a storage account's blobs with Entra ID. Tests point the endpoint at Azurite. */
export interface BlobConnection {
  readonly credential: TokenCredential;
  /**
   * The blob endpoint of an account.
   * @default - https://<account>.blob.core.windows.net
   */
  readonly blobEndpoint?: (account: string) => string;
  /** Extra CA certificate (PEM) for the endpoint. @default - the system's CAs */
  readonly ca?: string;
  /** @default 3 */
  readonly maxRetries?: number;
}

/** What the blob service answered: the status, its error code (or "HTTP <status>"), the body. */
export interface BlobAnswer {
  readonly status: number;
  readonly message: string;
  readonly body?: string;
}

/** The Blob REST API version spoken (any current one does for the few calls made). */
const BLOB_API_VERSION = "2023-11-03";
const STORAGE_SCOPE = "https://storage.azure.com/.default";

/** Blob REST calls signed with an Entra ID token (never an account key or SAS). */
export class BlobService {
  private readonly client: EntraRestClient;

  constructor(private readonly connection: BlobConnection) {
    this.client = new EntraRestClient(connection.credential, STORAGE_SCOPE, connection.ca, connection.maxRetries ?? 3);
  }

  /** The URL of a container (and a blob in it). */
  url(account: string, container: string, blob?: string): string {
    const base = this.connection.blobEndpoint?.(account) ?? `https://${account}.blob.core.windows.net`;
    return `${base}/${container}${blob === undefined ? "" : `/${blob.split("/").map(encodeURIComponent).join("/")}`}`;
  }

  async send(
    method: "GET" | "PUT" | "DELETE",
    url: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<BlobAnswer> {
    const response = await this.client.send({
      method,
      url,
      headers: { "x-ms-version": BLOB_API_VERSION, ...headers },
      body,
    });
    const code = response.headers.get("x-ms-error-code");
    return {
      status: response.status,
      message: code ? `${code}` : `HTTP ${response.status}`,
      body: response.bodyAsText ?? undefined,
    };
  }
}
