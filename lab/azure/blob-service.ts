import type { TokenCredential } from "@azure/core-auth";
import {
  Pipeline,
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";

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
  private readonly pipeline: Pipeline;
  private readonly http = createDefaultHttpClient();

  constructor(private readonly connection: BlobConnection) {
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: connection.maxRetries ?? 3 } });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: connection.credential, scopes: STORAGE_SCOPE }),
    );
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
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ "x-ms-version": BLOB_API_VERSION, ...headers }),
      body,
    });
    // createPipelineRequest drops tlsSettings from its options; the Node client reads it from the request.
    if (this.connection.ca) request.tlsSettings = { ca: this.connection.ca };
    const response = await this.pipeline.sendRequest(this.http, request);
    const code = response.headers.get("x-ms-error-code");
    return {
      status: response.status,
      message: code ? `${code}` : `HTTP ${response.status}`,
      body: response.bodyAsText ?? undefined,
    };
  }
}
