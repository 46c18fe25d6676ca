/**
 * Who may talk to the app: tokens must expire, every instance on a store shares one dev signing
 * key, and /api/messages takes no unauthenticated activity in production (nor, locally, one that
 * asks the bot to answer somewhere other than this machine).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJWK, SignJWT } from "jose";
import { CONTOSO_TENANT_ID, DirectoryRole } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_DOC } from "../../api/src/auth/tokens.js";
import { startLocalBotConnector, type LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";
import type { App } from "../../api/src/app.js";

const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";

describe("tokens and the bot endpoint", () => {
  let world: TestWorld;
  let a: App;
  let b: App;
  let connector: LocalBotConnector;
  beforeAll(async () => {
    world = await startWorld();
    [a, b] = [await world.app(), await world.app()];
    connector = await startLocalBotConnector();
  });
  afterAll(async () => {
    await world.close();
    await connector.close();
  });

  async function devKeySigned(withExpiry: boolean): Promise<string> {
    // The dev key is a document of the shared store (the first instance created it).
    const { resource } = await a.world.store.containers.state.item(DEV_KEY_DOC.id, DEV_KEY_DOC.tenantId).read();
    const key = await importJWK(resource.privateJwk, "ES256");
    const jwt = new SignJWT({ tid: CONTOSO_TENANT_ID, oid: MEGAN, upn: "megan@contoso.example", wids: [DirectoryRole.BillingAdministrator] })
      .setProtectedHeader({ alg: "ES256", kid: "dev-1" })
      .setIssuer(DEV_ISSUER.replace("{tid}", CONTOSO_TENANT_ID))
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt();
    if (withExpiry) jwt.setExpirationTime("10m");
    return jwt.sign(key);
  }

  it("two instances on one store share the dev signing key", async () => {
    const onA = await ApiClient.signIn(a.url, "megan@contoso.example");
    const onB = await ApiClient.signIn(b.url, "nestor@fabrikam.example");
    expect((await new ApiClient(b.url, onA.token).get("/api/v1/account")).status).toBe(200);
    expect((await new ApiClient(a.url, onB.token).get("/api/v1/account")).status).toBe(200);
  });

  it("refuses a token without exp, even one signed by the right key", async () => {
    expect((await new ApiClient(a.url, await devKeySigned(true)).get("/api/v1/account")).status).toBe(200);
    const res = await new ApiClient(a.url, await devKeySigned(false)).get("/api/v1/account");
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/exp/);
  });

  it("a verified token is remembered by its exact text only: the same claims with a forged signature stay refused", async () => {
    const good = await devKeySigned(true);
    expect((await new ApiClient(a.url, good).get("/api/v1/account")).status).toBe(200);
    const [header, payload, signature] = good.split(".");
    const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    const res = await new ApiClient(a.url, forged).get("/api/v1/account");
    expect(res.status).toBe(401);
    expect((await new ApiClient(a.url, good).get("/api/v1/account")).status).toBe(200);
  });

  function activity(conversationId: string, serviceUrl: string) {
    return {
      type: "message",
      text: "balance",
      channelId: "msteams",
      serviceUrl,
      id: `act-${conversationId}`,
      timestamp: new Date().toISOString(),
      from: { id: "29:megan", aadObjectId: MEGAN, name: "Megan Bowen" },
      recipient: { id: "28:credits-bot", name: "Credits" },
      conversation: { id: conversationId, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
      channelData: { tenant: { id: CONTOSO_TENANT_ID } },
    };
  }
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const settle = () => new Promise((r) => setTimeout(r, 500));

  it("in production, refuses an unauthenticated or forged activity and never calls its serviceUrl", async () => {
    const production = await world.app({
      config: {
        APP_ENV: "cloud",
        NODE_ENV: "production",
        AUTH_MODE: "entra",
        ENTRA_CLIENT_ID: "7e1e2c4a-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
        BOT_ID: "5a0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4",
        BOT_PASSWORD: "not-a-real-secret",
      },
    });
    expect(production.world.local.botConnector).toBeUndefined();
    const none = await post(production.url, activity("a:forged-1", connector.url));
    expect(none.status).toBe(401);
    const forged = await post(production.url, activity("a:forged-2", connector.url), { authorization: `Bearer ${await devKeySigned(true)}` });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    await settle();
    expect(connector.sent()).toEqual([]);
  });

  it("locally, answers an unauthenticated activity only when its serviceUrl is on this machine", async () => {
    const elsewhere = await post(a.url, activity("a:local-1", "http://192.0.2.55:9/"));
    expect(elsewhere.status).toBe(401);
    expect((await elsewhere.json()).detail).toMatch(/serviceUrl on this machine/);
    const here = await post(a.url, activity("a:local-2", connector.url));
    expect(here.status).toBeLessThan(300);
    for (let i = 0; i < 50 && connector.sent().length === 0; i++) await settle();
    expect(connector.sent().map((s) => s.conversationId)).toEqual(["a:local-2"]);
  });
});
