/**
 * Bearer token validation: one code path for Entra ID tokens (Teams SSO, keys from the JWKS
 * endpoint) and dev tokens (signed by a local key, AUTH_MODE=dev). Tenant = `tid`, user = `oid`,
 * directory roles = `wids` (an optional claim of the Entra app; the directory is asked when absent).
 */
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from "jose";
import type { Container } from "@azure/cosmos";
import { LRUCache } from "lru-cache";
import { Refusal } from "../shared/refusal.js";
import { createDoc, readDoc } from "../store/cosmos.js";

export interface Principal {
  tenantId: string;
  userId: string;
  upn: string;
  name: string;
  /** Role template ids from the token, or undefined when the token carries none. */
  roles: string[] | undefined;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

type KeySource = Parameters<typeof jwtVerify>[1];

export interface VerifierOptions {
  keys: KeySource;
  audiences: string[];
  /** Issuer templates with {tid}: a multi-tenant app accepts each tenant's own issuer. */
  issuers: string[];
  allowedTenants: string[];
}

/**
 * A verified token is kept (by its exact text) until it expires, at most VERIFIED_TTL_MS: a tab
 * sends the same token on every request, and verifying a signature costs more than the request's
 * reads. Refusals are never kept. The short bound caps how long a token signed by a key that was
 * since withdrawn from the JWKS still passes.
 */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 10_000;

export function createVerifier(options: VerifierOptions): TokenVerifier {
  const verified = new LRUCache<string, Principal>({ max: VERIFIED_MAX });
  const check = checkToken(options);
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known) return known;
      const { principal, expiresAt } = await check(token);
      const ttl = Math.min(VERIFIED_TTL_MS, expiresAt - Date.now());
      if (ttl > 0) verified.set(token, principal, { ttl });
      return principal;
    },
  };
}

function checkToken(options: VerifierOptions) {
  return async (token: string): Promise<{ principal: Principal; expiresAt: number }> => {
    let payload: JWTPayload;
    try {
      // A token without `exp` would be valid forever: refused, whoever signed it.
      ({ payload } = await jwtVerify(token, options.keys as never, { audience: options.audiences, algorithms: ["RS256", "ES256"], clockTolerance: 60, requiredClaims: ["exp"] }));
    } catch (e) {
      throw new Refusal(401, "invalid_token", `The bearer token is not valid: ${(e as Error).message}`, [], { why: "verify", reason: (e as Error).message });
    }
    const tid = typeof payload.tid === "string" ? payload.tid : "";
    const oid = typeof payload.oid === "string" ? payload.oid : "";
    if (!tid || !oid) throw new Refusal(401, "invalid_token", "The token has no tenant (tid) or user (oid)", [], { why: "claims" });
    if (!options.issuers.some((template) => template.replace("{tid}", tid) === payload.iss)) {
      throw new Refusal(401, "invalid_token", "The token's issuer does not match its tenant", [], { why: "issuer" });
    }
    if (options.allowedTenants.length > 0 && !options.allowedTenants.includes(tid)) throw new Refusal(403, "tenant_not_allowed", "This organisation may not use this app");
    const upn = String(payload.upn ?? payload.preferred_username ?? "");
    const principal = { tenantId: tid, userId: oid, upn, name: String(payload.name ?? upn), roles: Array.isArray(payload.wids) ? payload.wids.map(String) : undefined };
    return { principal, expiresAt: Number(payload.exp) * 1000 };
  };
}

export function entraVerifier(opts: { authority: string; clientId: string; audience?: string; allowedTenants: string[] }): TokenVerifier {
  return createVerifier({
    keys: createRemoteJWKSet(new URL(`${opts.authority}/common/discovery/v2.0/keys`)),
    audiences: [opts.audience, opts.clientId, `api://${opts.clientId}`].filter((a): a is string => Boolean(a)),
    issuers: [`${opts.authority}/{tid}/v2.0`, "https://sts.windows.net/{tid}/"],
    allowedTenants: opts.allowedTenants,
  });
}

export const DEV_AUDIENCE = "api://localhost/communications-credits";
export const DEV_ISSUER = "http://localhost/dev-issuer/{tid}/v2.0";

/** Where the dev signing key lives: one document with a fixed id, so every instance on a store shares it. */
export const DEV_KEY_DOC = { id: "dev-signing-key", tenantId: "_local" } as const;

interface DevKeyDoc {
  id: string;
  tenantId: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The local signing key (AUTH_MODE=dev, APP_ENV=local only), kept in the store: dev tokens survive
 * a restart, and the first instance to create the key wins, so instance B accepts A's tokens.
 */
export class DevTokenIssuer {
  private constructor(
    private readonly privateKey: CryptoKey | Uint8Array,
    private readonly kid: string,
    readonly verifier: TokenVerifier,
  ) {}

  static async create(state: Container): Promise<DevTokenIssuer> {
    let stored = await readDoc<DevKeyDoc>(state, DEV_KEY_DOC.tenantId, DEV_KEY_DOC.id);
    if (!stored) {
      const pair = await generateKeyPair("ES256", { extractable: true });
      const fresh: DevKeyDoc = { ...DEV_KEY_DOC, privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
      const created = await createDoc(state, fresh);
      stored = created.created ? fresh : await readDoc<DevKeyDoc>(state, DEV_KEY_DOC.tenantId, DEV_KEY_DOC.id);
      if (!stored) throw new Error("the dev signing key was neither created nor found");
    }
    const kid = "dev-1";
    const verifier = createVerifier({
      keys: createLocalJWKSet({ keys: [{ ...stored.publicJwk, kid, alg: "ES256", use: "sig" }] }),
      audiences: [DEV_AUDIENCE],
      issuers: [DEV_ISSUER],
      allowedTenants: [],
    });
    return new DevTokenIssuer((await importJWK(stored.privateJwk, "ES256")) as CryptoKey, kid, verifier);
  }

  async issue(claims: { tid: string; oid: string; upn: string; name: string; wids: string[] }, ttlSeconds = 8 * 3600): Promise<string> {
    return new SignJWT({ ...claims, preferred_username: claims.upn, scp: "access_as_user", ver: "2.0" })
      .setProtectedHeader({ alg: "ES256", kid: this.kid, typ: "JWT" })
      .setIssuer(DEV_ISSUER.replace("{tid}", claims.tid))
      .setAudience(DEV_AUDIENCE)
      .setSubject(claims.oid)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
