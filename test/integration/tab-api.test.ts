/**
 * What the tab relies on from the server: GET /api/v1/me (roles → what the caller may do, the
 * language), removing a payment method, duplicate and expired cards refused, and the static tab
 * served compressed, cached right, without source maps, and safe against hostile paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { call } from "./usage-fixtures.js";

/** A raw GET (node:http), so paths such as /%00 or /../ reach the server exactly as written. */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the API the tab relies on", () => {
  let world: TestWorld;
  let url: string;
  let root: string;
  let dist: string;
  const bundle = `console.log(${JSON.stringify("x".repeat(5000))});`;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "cc-tab-"));
    dist = join(root, "dist");
    await mkdir(join(dist, "assets"), { recursive: true });
    await writeFile(
      join(dist, "index.html"),
      `<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-AbCd1234.js"></script>${" ".repeat(600)}</body></html>`,
    );
    await writeFile(join(dist, "assets", "index-AbCd1234.js"), bundle);
    await writeFile(join(dist, "assets", "index-AbCd1234.js.map"), "{}");
    await writeFile(join(root, "secret-outside.txt"), "secret");
    world = await startWorld();
    url = (await world.app({ config: { TAB_DIST: dist } })).url;
  });
  afterAll(async () => {
    await world?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("GET /me says who the caller is, what they may do and in which language", async () => {
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const res = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${megan.token}`, "accept-language": "de-DE, fr-CA;q=0.8, en;q=0.5" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      upn: "megan@contoso.example",
      displayName: "Megan Bowen",
      locale: "fr-CA",
      can: { read: true, moveMoney: true, manageLicenses: false },
      limits: { minPaymentMicros: usd(50) },
    });
    const adele = await ApiClient.signIn(url, "adele@contoso.example");
    expect((await adele.get("/api/v1/me")).body.can).toEqual({ read: true, moveMoney: false, manageLicenses: false, manageNotifications: false, manageGuard: true }); // issue 22: the Teams Communications Administrator owns the calling policy
    const lee = await ApiClient.signIn(url, "lee@contoso.example");
    expect((await lee.get("/api/v1/me")).body.can).toMatchObject({ read: true, moveMoney: true, manageLicenses: true });
    const diego = await ApiClient.signIn(url, "diego@contoso.example");
    const me = await diego.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ locale: "en-US", can: { read: false, moveMoney: false } });
    expect((await fetch(`${url}/api/v1/me`)).status).toBe(401);
    // One language negotiation: /me and a problem answer agree for a language the app does not speak first.
    const asked = { authorization: `Bearer ${megan.token}`, "accept-language": "de, fr;q=0.9" };
    expect(((await (await fetch(`${url}/api/v1/me`, { headers: asked })).json()) as { locale: string }).locale).toBe("fr-FR");
    const refused = await fetch(`${url}/api/v1/no-such-thing`, { headers: asked });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ title: "Introuvable", detail: "Cette ressource d'API n'existe pas" });
    // This tab was built without its server bundle (dist-server): no first frame, the tab draws itself.
    const frame = await fetch(`${url}/tab/first-frame`, { headers: { authorization: `Bearer ${megan.token}` } });
    expect(frame.status).toBe(404);
    expect(frame.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses an expired card and the same card twice; removes a card, but not the one auto-recharge charges", async () => {
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const expired = await megan.post("/api/v1/payment-methods", { token: "tok_visaPastExpiry" });
    expect(expired.status).toBe(422);
    expect(expired.body).toMatchObject({ code: "expired_card", errors: [{ path: "token" }] });
    expect(expired.body.detail).not.toMatch(/micros/);
    const visa = await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    expect(visa.status).toBe(201);
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).body.code).toBe("duplicate_payment_method");
    const master = await megan.post("/api/v1/payment-methods", { token: "tok_mastercard" });
    expect((await megan.get("/api/v1/payment-methods")).body.items).toHaveLength(2);

    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(10) })).status).toBe(200);
    const inUse = await megan.delete(`/api/v1/payment-methods/${visa.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe("payment_method_in_use");
    expect((await megan.get("/api/v1/payment-methods")).body.items).toHaveLength(2);

    const adele = await ApiClient.signIn(url, "adele@contoso.example");
    expect((await adele.delete(`/api/v1/payment-methods/${master.body.id}`)).status).toBe(403);
    const nestor = await ApiClient.signIn(url, "nestor@fabrikam.example");
    expect((await nestor.delete(`/api/v1/payment-methods/${master.body.id}`)).status).toBe(404);

    expect((await megan.delete(`/api/v1/payment-methods/${master.body.id}`)).status).toBe(204);
    expect((await megan.delete(`/api/v1/payment-methods/${master.body.id}`)).status).toBe(404);
    // With auto-recharge off, the default goes too, and the next card (none here) takes over.
    await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(50), thresholdMicros: usd(10) });
    expect((await megan.delete(`/api/v1/payment-methods/${visa.body.id}`)).status).toBe(204);
    expect((await megan.get("/api/v1/account")).body.paymentMethod).toBeNull();
  });

  it("the ledger says who posted each entry: the admin's upn, or the system job by name", async () => {
    const lee = await ApiClient.signIn(url, "lee@contoso.example");
    expect((await lee.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    expect((await lee.postMoney("/api/v1/account/funds", { amountMicros: usd(100) })).status).toBe(201);
    // An international call by licensed diego (India, 100,000/min): charged to credits by the usage job.
    const rated = await lee.postMoney("/api/v1/usage/records", {
      records: [call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start: new Date(Date.now() - 3_600_000).toISOString() })],
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body.chargedMicros).toBeGreaterThan(0);
    const items: { kind: string; by: string; byJob: string | null }[] = (await lee.get("/api/v1/ledger?limit=10")).body.items;
    // A person's upn is data; a job is an id whose words are the catalog's (words.ledger.by.<job>), in the reader's language.
    expect(items.find((e) => e.kind === "funding")).toMatchObject({ by: "lee@contoso.example", byJob: null });
    expect(items.find((e) => e.kind === "usage")).toMatchObject({ by: "usage", byJob: "usage" });
    expect(items.every((e) => typeof e.by === "string" && e.by.length > 0 && !e.by.startsWith("system:"))).toBe(true);
  });

  it("add funds charges the card the admin picked (the default when none is named), only one of the tenant's own cards", async () => {
    const nestor = await ApiClient.signIn(url, "nestor@fabrikam.example");
    const visa = await nestor.post("/api/v1/payment-methods", { token: "tok_visa" });
    const declined = await nestor.post("/api/v1/payment-methods", { token: "tok_chargeDeclined" });
    expect((await nestor.get("/api/v1/account")).body.paymentMethod.id).toBe(visa.body.id);
    // The picked card, not the default, is charged: the bank declines it and nothing moves.
    const refused = await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(60), paymentMethodId: declined.body.id });
    expect(refused.status).toBe(402);
    expect(refused.body.code).toBe("card_declined");
    expect((await nestor.get("/api/v1/account")).body.balanceMicros).toBe(0);
    // A card that is not one of this organisation's: refused in words, next to the field.
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const megans = await megan.post("/api/v1/payment-methods", { token: "tok_mastercard" });
    for (const id of [megans.body.id, "pm_nope"]) {
      const other = await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(60), paymentMethodId: id });
      expect(other.status).toBe(400);
      expect(other.body.errors[0].path).toBe("paymentMethodId");
    }
    expect((await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(60), paymentMethodId: visa.body.id })).status).toBe(201);
    expect((await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(201);
    expect((await nestor.get("/api/v1/account")).body.balanceMicros).toBe(usd(110));
    await megan.delete(`/api/v1/payment-methods/${megans.body.id}`);
  });

  it("serves the tab compressed, hashed assets immutable, index.html revalidated, no source maps", async () => {
    const br = await rawGet(url, "/assets/index-AbCd1234.js", { "accept-encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(br.body).toString()).toBe(bundle);
    expect(br.body.length).toBeLessThan(bundle.length / 10);
    const gz = await rawGet(url, "/assets/index-AbCd1234.js", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(bundle);
    const index = await rawGet(url, "/");
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.body.toString()).toContain('<div id="root">');
    expect((await rawGet(url, "/assets/index-AbCd1234.js.map")).status).toBe(404);
    // Client-side routes get index.html; a missing file does not.
    expect((await rawGet(url, "/ledger")).body.toString()).toContain('<div id="root">');
    expect((await rawGet(url, "/assets/missing-AbCd1234.js")).status).toBe(404);
    // An API path no route answers is a 404 problem, never the tab's page.
    for (const path of ["/api/v1/no-such-thing", "/api/nope", "/api"]) {
      const unknown = await rawGet(url, path);
      expect(unknown.status, path).toBe(404);
      expect(unknown.headers["content-type"], path).toContain("application/problem+json");
    }
  });

  it("serves /privacy, /termsofuse and /auth-end.html in English and French", async () => {
    for (const path of ["/privacy", "/termsofuse", "/auth-end.html"]) {
      const en = await rawGet(url, path);
      expect(en.status).toBe(200);
      expect(en.body.toString()).toContain('<html lang="en">');
      const fr = await rawGet(url, path, { "accept-language": "fr-FR,fr;q=0.9" });
      expect(fr.body.toString()).toContain('<html lang="fr">');
    }
  });

  it("answers 400 to a NUL or a path that climbs out of the folder, and keeps serving", async () => {
    for (const path of [
      "/%00",
      "/assets/%00.js",
      "/../secret-outside.txt",
      "/assets/../../secret-outside.txt",
      "/%2e%2e/secret-outside.txt",
      "/..%2fsecret-outside.txt",
      "/%5c..%5csecret-outside.txt",
    ]) {
      const res = await rawGet(url, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString(), path).not.toContain("secret");
    }
    expect((await rawGet(url, "/%00")).status).toBe(400);
    expect((await rawGet(url, "/%2e%2e/secret-outside.txt")).status).toBe(400);
    expect((await rawGet(url, "/")).status).toBe(200);
  });
});
