import { IncomingMessage, ServerResponse } from "node:http";

/** One request as a handler sees it: the raw path (never normalised), the query, the parsed JSON body. */
export interface Call {
  readonly method: string;
  /** The path exactly as sent: the azurerm provider sends `//metadata/...`, which `new URL` would read as a host. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: any;
  readonly headers: IncomingMessage["headers"];
  /** Groups of the route's pattern. */
  readonly params: string[];
}

/** What a handler answers: a status, a JSON body (or none), extra headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export type Handler = (call: Call) => Reply;

export interface Route {
  readonly method: string;
  /** Matched against the raw path, case-insensitively (Resource Manager paths are case-insensitive). */
  readonly pattern: RegExp;
  /** Names the call in logs and in the emulator's list of calls it does not know. */
  readonly name: string;
  readonly handle: Handler;
}

export function route(method: string, pattern: RegExp, name: string, handle: Handler): Route {
  return { method, pattern: new RegExp(pattern.source, "i"), name, handle };
}

export const ok = (body?: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, headers });

/**
 * A Databricks REST error, as the SDK parses it (`error_code` and `message`; apierr/errors.go
 * standardErrorParser): a 404 with RESOURCE_DOES_NOT_EXIST is what the provider reads as "gone".
 */
export const dbError = (status: number, errorCode: string, message: string): Reply => ({
  status,
  body: { error_code: errorCode, message },
});

/** A SCIM error (RFC 7644 section 3.12), as the SDK parses it: `detail` and `status`. */
export const scimError = (status: number, detail: string): Reply => ({
  status,
  body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail, status: String(status) },
});

/** A Resource Manager error: `{"error":{"code","message"}}`. */
export const armError = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON or form body; anything else is kept as text. */
export function parseBody(text: string, contentType: string | undefined): any {
  if (!text) return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
