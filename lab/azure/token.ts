/** A JWT's payload, read without verifying it (the token came from Azure's own SDK); undefined for anything else. */
export function tokenPayload(token: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return payload && typeof payload === "object" && !Array.isArray(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** A string claim of a JWT's payload. */
export function tokenClaim(token: string, claim: string): string | undefined {
  const value = tokenPayload(token)?.[claim];
  return typeof value === "string" ? value : undefined;
}

/**
 * Whether Entra ID issued the token to an application, not a person: `idtyp` is `app` in app-only
 * tokens, and only user tokens carry `scp` (Microsoft identity platform, access token claims).
 */
export function isAppToken(token: string): boolean {
  const payload = tokenPayload(token);
  if (!payload) return false;
  if (payload.idtyp !== undefined) return payload.idtyp === "app";
  return typeof payload.appid === "string" && payload.scp === undefined;
}
