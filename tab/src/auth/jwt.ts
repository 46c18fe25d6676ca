/** Reads a JWT's claims for display only; the API is what validates tokens. */
export interface TokenClaims {
  upn?: string;
  preferred_username?: string;
  name?: string;
  tid?: string;
  oid?: string;
  exp?: number;
}

export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const base64 = payload
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as TokenClaims;
  } catch {
    return {};
  }
}

/** True when the token says it has expired (with a minute of slack for clock skew). */
export function isExpired(claims: TokenClaims, nowMs = Date.now()): boolean {
  return typeof claims.exp === "number" && claims.exp * 1000 < nowMs + 60_000;
}
