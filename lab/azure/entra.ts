import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";

/**
 * Codes that say a sign-in never got an answer from Entra ID (or the managed identity endpoint):
 * MSAL's (`ClientAuthErrorCodes` of @azure/msal-common 16.13, `ManagedIdentityErrorCodes` of
 * @azure/msal-node 5.6), Node's socket errors, and core-rest-pipeline's `RestError.REQUEST_SEND_ERROR`.
 * Left out on purpose: MSAL's `post_request_failed` and `openid_config_error`, which a 4xx answer
 * (a wrong tenant) raises as well.
 */
export const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  network_error: "MSAL: the token request got no answer",
  endpoints_resolution_error: "MSAL: the authority's endpoints could not be discovered",
  no_network_connectivity: "MSAL: no network",
  network_unavailable: "MSAL: the managed identity endpoint timed out",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "DNS did not answer",
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  ENETUNREACH: "no route to the network",
  EHOSTUNREACH: "no route to the host",
  REQUEST_SEND_ERROR: "the request could not be sent",
};

/**
 * The code that says Entra ID was not reached, read from the error's fields (MSAL's `errorCode`,
 * Node's and the pipeline's `code`) along its `cause` chain.
 */
export function unreachableCode(error: unknown): string | undefined {
  for (let e = error as ErrorFields | undefined, depth = 0; e && depth < 5; e = e.cause, depth++) {
    for (const code of [e.errorCode, e.code]) if (typeof code === "string" && code in UNREACHABLE_CODES) return code;
  }
  return undefined;
}

interface ErrorFields {
  readonly errorCode?: unknown;
  readonly code?: unknown;
  readonly cause?: ErrorFields;
}

/** Entra ID's sign-in host: what @azure/identity uses (AZURE_AUTHORITY_HOST), else the public cloud's. */
export function authorityHost(env: Readonly<Record<string, string | undefined>>): string {
  return env.AZURE_AUTHORITY_HOST || "https://login.microsoftonline.com";
}

/**
 * Whether the sign-in host answers HTTPS at all (any status counts; only a transport error says
 * no). @azure/identity 4.13 keeps only the message of MSAL's network errors (`handleMsalError` in
 * msal/utils.js) and the Azure CLI credential only the CLI's stderr: asking the host is how a
 * failed sign-in is told from an unreachable one without reading either text.
 */
export async function answers(host: string, ca?: string): Promise<boolean> {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  // No credential is sent, so a plain-HTTP host (a test's, or a proxy's) is harmless.
  const request = createPipelineRequest({
    url: host,
    method: "GET",
    // An unref'd timer: a probe never keeps the process alive.
    abortSignal: AbortSignal.timeout(10_000),
    allowInsecureConnection: true,
    // One question: no socket kept open after it.
    headers: createHttpHeaders({ connection: "close" }),
  });
  // createPipelineRequest drops tlsSettings from its options; the Node client reads it from the request.
  if (ca) request.tlsSettings = { ca };
  try {
    await pipeline.sendRequest(createDefaultHttpClient(), request);
    return true;
  } catch (e) {
    // Our own timeout: no answer within it.
    if ((e as Error).name === "AbortError") return false;
    return unreachableCode(e) === undefined;
  }
}
