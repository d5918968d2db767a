/** GET with a time limit, a size limit and retries of transient failures: the one HTTP client of the project. */
export interface FetchOptions {
  /**
   * Limit for one attempt, from request to last byte.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Attempts for transient failures (network errors, timeouts, 408, 429, 5xx).
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Wait before the first retry; doubled for each further one. A 429's Retry-After wins when longer.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /**
   * Largest body accepted, in bytes.
   * @default 10485760
   */
  readonly maxBytes?: number;
  /**
   * What the body is, for messages ("a notebook archive").
   * @default "the answer"
   */
  readonly what?: string;
  /**
   * Retry notices.
   * @default - discarded
   */
  readonly log?: (line: string) => void;
}

/** A failure that retrying will not fix (404, 403, too large). */
export class PermanentHttpError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = "PermanentHttpError";
  }
}

/** A failure that may pass (timeout, reset, 429, 5xx); `status` is set when the server answered. */
export class TransientHttpError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TransientHttpError";
  }
}

/** True when no server answered at all (no such host, refused, timed out), as opposed to an HTTP error status. */
export function isUnreachable(error: unknown): boolean {
  return (error instanceof PermanentHttpError || error instanceof TransientHttpError) && error.status === undefined;
}

const MAX_RETRY_AFTER_MS = 60_000;

export async function fetchWithRetry(url: string, options: FetchOptions = {}): Promise<Buffer> {
  const attempts = options.attempts ?? 3;
  let delay = options.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, options);
    } catch (e) {
      if (e instanceof PermanentHttpError || attempt >= attempts) throw e;
      const wait = Math.max(delay, (e as TransientHttpError).retryAfterMs ?? 0);
      options.log?.(
        `GET ${redactUrl(url)} failed (${(e as Error).message}); retry ${attempt} of ${attempts - 1} in ${wait} ms.`,
      );
      await new Promise((r) => setTimeout(r, wait));
      delay *= 2;
    }
  }
}

async function fetchOnce(url: string, options: FetchOptions): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const what = options.what ?? "the answer";
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: "follow",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { "user-agent": "dp090-ddl-lab" },
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    // No such host, nothing listening, or a request fetch itself refuses (a blocked port, too many
    // redirects: undici's own network errors carry no code, socket and TLS errors always do):
    // definite answers, not worth waiting on.
    if (cause?.code === "ENOTFOUND" || cause?.code === "ECONNREFUSED" || (cause && cause.code === undefined)) {
      throw new PermanentHttpError(describeFetchError(e, timeoutMs));
    }
    throw new TransientHttpError(describeFetchError(e, timeoutMs));
  }
  if (!response.ok) {
    await response.body?.cancel();
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get("retry-after"));
      const retryAfterMs = Number.isFinite(retryAfter) ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : undefined;
      throw new TransientHttpError(status, response.status, retryAfterMs);
    }
    throw new PermanentHttpError(
      response.status === 404 ? `${status}: no file at this address.` : `${status}.`,
      response.status,
    );
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new PermanentHttpError(`${what} is ${declared} bytes, more than the ${maxBytes} allowed.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new PermanentHttpError(`${what} is larger than the ${maxBytes} bytes allowed.`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (e) {
    if (e instanceof PermanentHttpError) throw e;
    throw new TransientHttpError(
      `the download was interrupted after ${total} bytes (${describeFetchError(e, timeoutMs)})`,
    );
  }
  return Buffer.concat(chunks);
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no complete answer within ${timeoutMs} ms`;
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message}: ${cause}` : err.message;
}

/**
 * A URL, or a value that may hold one (a mistyped URL too), fit for a message or a log: the user
 * info (`//user:password@`) and everything from a `?` or `#` inside a word on (a query may carry
 * a token, a SAS `sig=`) are hidden. The one redaction of the project: every echo of a URL uses it.
 */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^\s/?#@]*@/g, "//…@").replace(/(\S)[?#]\S+/g, "$1?…");
}
