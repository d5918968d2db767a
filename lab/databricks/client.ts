import type { TokenCredential } from "@azure/core-auth";
import { UserError, firstLine } from "../errors";
import { EntraRestClient } from "../net/entra-rest";

/**
 * The Azure Databricks first-party application: Entra ID tokens for a workspace's REST API are
 * issued for it (the Databricks SDKs' Azure environment "PROD" uses the same id).
 */
export const AZURE_DATABRICKS_SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";

/** How to reach one workspace's REST API. Tests point `host` at a local fake. */
export interface DatabricksConnection {
  /** `https://adb-….azuredatabricks.net`, or the workspace URL as azurerm stores it (no scheme). */
  readonly host: string;
  readonly credential: TokenCredential;
  /** Extra CA certificate (PEM) for the host. @default - the system's CAs */
  readonly ca?: string;
  /** Retries of transient failures (429, 5xx, resets). @default 3 */
  readonly maxRetries?: number;
}

/**
 * A call the workspace did not answer, or answered with an error: its HTTP status (undefined when
 * no answer came) and Databricks' `error_code`. A user can fix it (sign-in, access, network).
 */
export class DatabricksApiError extends UserError {
  constructor(
    public readonly status: number | undefined,
    public readonly errorCode: string,
    /** Databricks' own message, first line. */
    public readonly detail: string,
    /** The call, without its query. */
    public readonly call = "",
  ) {
    super(
      `The workspace API ${call ? `(${call}) ` : ""}answered ${errorCode}: ${detail}\nFix: sign in as a workspace admin (the identity that deployed: \`az login\`, or the ARM_* service principal) and check the network to the workspace; then run the command again.`,
    );
  }
}

/** JSON over the workspace REST API with an Entra ID token; never a personal access token. */
export class DatabricksClient {
  readonly host: string;
  private readonly client: EntraRestClient;

  constructor(connection: DatabricksConnection) {
    this.host = /^https?:\/\//.test(connection.host)
      ? connection.host.replace(/\/+$/, "")
      : `https://${connection.host}`;
    this.client = new EntraRestClient(
      connection.credential,
      AZURE_DATABRICKS_SCOPE,
      connection.ca,
      connection.maxRetries ?? 3,
    );
  }

  get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return this.send<T>("GET", search ? `${path}?${search}` : path);
  }

  post<T>(path: string, body: object): Promise<T> {
    return this.send<T>("POST", path, JSON.stringify(body));
  }

  private async send<T>(method: "GET" | "POST", path: string, body?: string): Promise<T> {
    const call = `${method} ${path.split("?")[0]}`;
    let response;
    try {
      response = await this.client.send({
        method,
        url: `${this.host}${path}`,
        headers: { accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
        body,
      });
    } catch (e) {
      const error = e as Error & { code?: string; statusCode?: number };
      throw new DatabricksApiError(error.statusCode, error.code ?? error.name, firstLine(error.message), call);
    }
    const text = response.bodyAsText ?? "";
    let json: Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (response.status < 300)
        throw new DatabricksApiError(response.status, "NOT_JSON", "the answer is not JSON", call);
    }
    if (response.status >= 300) {
      const code = typeof json.error_code === "string" ? json.error_code : `HTTP_${response.status}`;
      const message = typeof json.message === "string" ? firstLine(json.message) : `HTTP ${response.status}`;
      throw new DatabricksApiError(response.status, code, message, call);
    }
    return json as T;
  }
}
