/**
 * AUTH_MODE=entra: the same validation code checks tokens against a JWKS endpoint (here a local
 * HTTP server standing in for login.microsoftonline.com), issuer per tenant, audience, expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { CONTOSO_TENANT_ID, DirectoryRole } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import { loadConfig } from "../../api/src/config.js";

const CLIENT_ID = "7e1e2c4a-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004";

describe("Entra ID tokens", () => {
  let world: TestWorld;
  let jwks: Server;
  let authority: string;
  let privateKey: CryptoKey;
  let url: string;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey as CryptoKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "entra-test", alg: "RS256", use: "sig" };
    jwks = createServer((req, res) => {
      const ok = req.url === "/common/discovery/v2.0/keys";
      res.statusCode = ok ? 200 : 404;
      res.setHeader("content-type", "application/json");
      res.end(ok ? JSON.stringify({ keys: [publicJwk] }) : "{}");
    });
    await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", () => r()));
    authority = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    world = await startWorld();
    url = (await world.app({ config: { AUTH_MODE: "entra", ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_AUTHORITY: authority } })).url;
  });
  afterAll(async () => {
    await world.close();
    await new Promise((r) => jwks.close(r));
  });

  function token(claims: Record<string, unknown>, opts: { issuer?: string; audience?: string; expires?: string | number; key?: CryptoKey } = {}) {
    return new SignJWT({ tid: CONTOSO_TENANT_ID, oid: MEGAN, upn: "megan@contoso.example", ver: "2.0", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "entra-test" })
      .setIssuer(opts.issuer ?? `${authority}/${CONTOSO_TENANT_ID}/v2.0`)
      .setAudience(opts.audience ?? `api://${CLIENT_ID}`)
      .setIssuedAt()
      .setExpirationTime(opts.expires ?? "1h")
      .sign(opts.key ?? privateKey);
  }

  it("accepts a valid token and takes the roles from its wids claim", async () => {
    const res = await new ApiClient(url, await token({ wids: [DirectoryRole.BillingAdministrator] })).get("/api/v1/account");
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe(CONTOSO_TENANT_ID);
  });

  it("asks the directory for roles when the token carries no wids", async () => {
    expect((await new ApiClient(url, await token({})).get("/api/v1/account")).status).toBe(200); // megan: Billing Administrator
    expect((await new ApiClient(url, await token({ oid: DIEGO, upn: "diego@contoso.example" })).get("/api/v1/account")).status).toBe(403);
  });

  it("refuses a wrong audience, an issuer of another tenant, an expired token and a foreign key with 401", async () => {
    const other = await generateKeyPair("RS256");
    for (const bad of [
      await token({ wids: [DirectoryRole.GlobalAdministrator] }, { audience: "api://someone-else" }),
      await token({ wids: [DirectoryRole.GlobalAdministrator] }, { issuer: `${authority}/22222222-2222-4222-8222-222222222222/v2.0` }),
      await token({ wids: [DirectoryRole.GlobalAdministrator] }, { expires: Math.floor(Date.now() / 1000) - 3600 }),
      await token({ wids: [DirectoryRole.GlobalAdministrator] }, { key: other.privateKey as CryptoKey }),
    ]) {
      const res = await new ApiClient(url, bad).get("/api/v1/account");
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("has no dev sign-in", async () => {
    const res = await new ApiClient(url).post("/api/dev/token", { upn: "megan@contoso.example" });
    expect([404, 405]).toContain(res.status); // no such route (405: only the tab's GET matches the path)
    expect(JSON.stringify(res.body)).not.toContain('token":');
  });

  it("refuses dev auth in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", AUTH_MODE: "dev" })).toThrow(/AUTH_MODE=dev is refused/);
    expect(() => loadConfig({ APP_ENV: "local", AUTH_MODE: "entra" })).toThrow(/ENTRA_CLIENT_ID/);
    // Production never runs the embedded store, sandbox processor or local directory (config-modes.test.ts has the rest).
    expect(() => loadConfig({ NODE_ENV: "production", AUTH_MODE: "entra", ENTRA_CLIENT_ID: CLIENT_ID })).toThrow(
      /COSMOS_ENDPOINT is required[\s\S]*PROCESSOR_URL is required[\s\S]*GRAPH_BASE_URL is required/,
    );
  });
});
