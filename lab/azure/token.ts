/** A string claim of a JWT's payload, read without verifying it (the token came from Azure's own SDK). */
export function tokenClaim(token: string, claim: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload[claim] === "string" ? payload[claim] : undefined;
  } catch {
    return undefined;
  }
}
