import type { TokenCredential } from "@azure/core-auth";
import {
  Pipeline,
  PipelineResponse,
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";

/** One REST call: what `EntraRestClient.send` puts on the wire. */
export interface EntraRestRequest {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * REST calls signed with an Entra ID token for one scope (never a key, SAS or personal token),
 * retried on transient failures, over @azure/core-rest-pipeline: the one way the project's own
 * clients (Blob storage, a Databricks workspace) reach an Azure service.
 */
export class EntraRestClient {
  private readonly pipeline: Pipeline;
  private readonly http = createDefaultHttpClient();

  /**
   * @param ca extra CA certificate (PEM) for the endpoint (tests); the system's CAs otherwise
   * @param maxRetries retries of transient failures (429, 5xx, resets)
   */
  constructor(
    credential: TokenCredential,
    scope: string,
    private readonly ca: string | undefined,
    maxRetries: number,
  ) {
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries } });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
  }

  send(call: EntraRestRequest): Promise<PipelineResponse> {
    const request = createPipelineRequest({
      url: call.url,
      method: call.method,
      headers: createHttpHeaders(call.headers),
      body: call.body,
    });
    // createPipelineRequest drops tlsSettings from its options; the Node client reads it from the request.
    if (this.ca) request.tlsSettings = { ca: this.ca };
    return this.pipeline.sendRequest(this.http, request);
  }
}
