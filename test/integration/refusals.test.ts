/**
 * Bad input gets a clear problem+json 4xx naming the field, and changes nothing; roles and tenants
 * are enforced on every read and write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { wholeLedger } from "../support/ledger.js";

describe("refused requests", () => {
  let world: TestWorld;
  let url: string;
  let megan: ApiClient;
  let _lee: ApiClient;
  let adele: ApiClient;
  let diego: ApiClient;
  let nestor: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    url = (await world.app()).url;
    [megan, _lee, adele, diego, nestor] = await Promise.all(
      ["megan@contoso.example", "lee@contoso.example", "adele@contoso.example", "diego@contoso.example", "nestor@fabrikam.example"].map((upn) => ApiClient.signIn(url, upn)),
    );
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
  });
  afterAll(() => world.close());

  async function snapshot() {
    return { ledger: await wholeLedger(megan), account: (await megan.get("/api/v1/account")).body, charges: world.sandbox.charges().length };
  }

  const badFunds: [string, unknown, string][] = [
    ["a string amount", { amountMicros: "50000000" }, "amountMicros"],
    ["a negative amount", { amountMicros: -usd(50) }, "amountMicros"],
    ["zero", { amountMicros: 0 }, "amountMicros"],
    ["a fractional number of micros", { amountMicros: 50_000_000.5 }, "amountMicros"],
    ["a fraction of a cent", { amountMicros: 50_000_001 }, "amountMicros"],
    ["an amount beyond safe integers", { amountMicros: 1e20 }, "amountMicros"],
    ["no amount", {}, "amountMicros"],
    ["an unknown field", { amountMicros: usd(50), currency: "EUR" }, "(body)"],
    ["an array body", [usd(50)], "(body)"],
  ];
  for (const [what, body, path] of badFunds) {
    it(`add funds with ${what} is 400 naming ${path}, and changes nothing`, async () => {
      const before = await snapshot();
      const res = await megan.postMoney("/api/v1/account/funds", body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String) });
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("a huge but whole-cent amount is refused by the per-payment maximum", async () => {
    const before = await snapshot();
    const res = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(1_000_000) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("above_maximum");
    expect(await snapshot()).toEqual(before);
  });

  it("below the minimum of 50.00 is 422 below_minimum", async () => {
    const res = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(49) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "below_minimum", errors: [{ path: "amountMicros" }] });
  });

  it("a money-moving request without an Idempotency-Key is 400 and changes nothing", async () => {
    const before = await snapshot();
    const res = await megan.post("/api/v1/account/funds", { amountMicros: usd(50) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("Idempotency-Key");
    const tooLong = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, "k".repeat(256));
    expect(tooLong.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("malformed JSON is 400 problem+json, never a 500", async () => {
    const res = await megan.send("POST", "/api/v1/account/funds", '{"amountMicros": ', { "idempotency-key": "malformed-1" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("auto-recharge settings with wrong types or amounts are 400/422 and change nothing", async () => {
    const before = await snapshot();
    for (const body of [
      { enabled: "yes", amountMicros: usd(50), thresholdMicros: 0 },
      { enabled: true, amountMicros: -1, thresholdMicros: 0 },
      { enabled: true, amountMicros: usd(50), thresholdMicros: -usd(1) },
      { enabled: true, amountMicros: usd(10), thresholdMicros: 0 },
      { enabled: true, amountMicros: usd(50) },
    ]) {
      const res = await megan.put("/api/v1/account/auto-recharge", body);
      expect([400, 422]).toContain(res.status);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("an unknown card token is 400 naming token", async () => {
    const res = await megan.post("/api/v1/payment-methods", { token: "tok_nonsense" });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("token");
  });

  it("no token is 401, a forged token is 401", async () => {
    expect((await new ApiClient(url).get("/api/v1/account")).status).toBe(401);
    const forged = megan.as("eyJhbGciOiJFUzI1NiJ9.eyJ0aWQiOiIxMTExMTExMS0xMTExLTQxMTEtODExMS0xMTExMTExMTExMTEiLCJvaWQiOiJ4In0.c2lnbmF0dXJl");
    const res = await forged.get("/api/v1/account");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a user with no admin role cannot read the account (403)", async () => {
    expect((await diego.get("/api/v1/account")).status).toBe(403);
    expect((await diego.get("/api/v1/ledger")).status).toBe(403);
  });

  it("a Teams Communications Administrator can read but not move money or change settings", async () => {
    const before = await snapshot();
    expect((await adele.get("/api/v1/account")).status).toBe(200);
    expect((await adele.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(403);
    expect((await adele.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: 0, thresholdMicros: 0 })).status).toBe(403);
    expect((await adele.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("another tenant's admin sees only their own account, and cannot use contoso's ids", async () => {
    const theirs = await nestor.get("/api/v1/account");
    expect(theirs.body).toMatchObject({ tenantId: "22222222-2222-4222-8222-222222222222", balanceMicros: 0 });
    expect((await nestor.get("/api/v1/ledger")).body.items).toEqual([]);
    const contosoMethods = (await megan.get("/api/v1/payment-methods")).body.items;
    const res = await nestor.put("/api/v1/account/payment-method", { paymentMethodId: contosoMethods[0].id });
    expect(res.status).toBe(400);
    expect((await nestor.get("/api/v1/account")).body.paymentMethod).toBeNull();
    const diegoId = "a1f0c0de-0000-4000-8000-000000000004";
    expect((await nestor.put(`/api/v1/licenses/${diegoId}`)).status).toBe(403); // a Billing Admin cannot assign licenses
    expect((await nestor.get("/api/v1/users")).body.items.map((u: { upn: string }) => u.upn)).toEqual(["nestor@fabrikam.example"]);
  });
});

describe("licenses", () => {
  let world: TestWorld;
  let lee: ApiClient;
  let megan: ApiClient;
  const lynneId = "a1f0c0de-0000-4000-8000-000000000005";
  beforeAll(async () => {
    world = await startWorld();
    const url = (await world.app()).url;
    [lee, megan] = await Promise.all([ApiClient.signIn(url, "lee@contoso.example"), ApiClient.signIn(url, "megan@contoso.example")]);
  });
  afterAll(() => world.close());

  it("lists the directory with the seeded licenses and calling plans", async () => {
    const users = (await lee.get("/api/v1/users")).body.items as { upn: string; licensed: boolean; callingPlan: string }[];
    expect(users.map((u) => [u.upn, u.licensed, u.callingPlan])).toEqual([
      ["megan@contoso.example", false, "none"],
      ["adele@contoso.example", false, "none"],
      ["lee@contoso.example", true, "domestic"],
      ["diego@contoso.example", true, "domestic"],
      ["lynne@contoso.example", false, "domestic"],
    ]);
  });

  it("a Global Administrator assigns (idempotently) and removes a license", async () => {
    expect((await lee.put(`/api/v1/licenses/${lynneId}`)).body).toMatchObject({ upn: "lynne@contoso.example", licensed: true });
    expect((await lee.put(`/api/v1/licenses/${lynneId}`)).status).toBe(200);
    expect((await lee.get("/api/v1/users")).body.items.filter((u: { licensed: boolean }) => u.licensed)).toHaveLength(3);
    expect((await lee.delete(`/api/v1/licenses/${lynneId}`)).status).toBe(204);
    expect((await lee.get("/api/v1/users")).body.items.find((u: { id: string }) => u.id === lynneId).licensed).toBe(false);
  });

  it("a Billing Administrator cannot assign licenses; an unknown or foreign user is 404", async () => {
    expect((await megan.put(`/api/v1/licenses/${lynneId}`)).status).toBe(403);
    expect((await lee.put("/api/v1/licenses/b2f0c0de-0000-4000-8000-000000000001")).status).toBe(404); // fabrikam's nestor
    expect((await lee.put("/api/v1/licenses/not%20an%20id")).status).toBe(400);
  });
});
