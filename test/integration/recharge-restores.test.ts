/**
 * Issue 10: a recharge restores the balance, the daily circuit breaker pauses and resumes, Retry
 * now charges once under concurrent clicks, and 60 days of simulated calls keep calls running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { expectExactLedger } from "../support/ledger.js";
import type { ManualClock } from "../../api/src/shared/clock.js";
import { fundedContoso } from "../support/recharge.js";
import { cardText } from "../support/notification-events.js";
import { simulateCalls } from "../../api/src/local/simulator/index.js";
import type { App } from "../../api/src/app.js";

const debit = (client: ApiClient, units: number) => client.postMoney("/api/dev/debit", { amountMicros: usd(units) });
const notifications = async (client: ApiClient, kind: string) => (await client.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === kind);

const setUp = (token: string, settings: Record<string, unknown> = {}, start?: string) => fundedContoso({ token, settings, start });

describe("a recharge restores the balance", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, megan } = await setUp("tok_visa")));
  afterAll(() => world.close());

  it("a single debit bigger than the recharge amount is covered by one payment of a multiple", async () => {
    const charges = world.sandbox.charges().length;
    expect((await debit(megan, 230)).status).toBe(201); // 100 → −130: 150.00 (3 × 50.00) brings it to 20.00
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account).toMatchObject({ balanceMicros: usd(20), status: "active", lastRecharge: { status: "succeeded", amountMicros: usd(150), tries: 1 } });
    expect(
      world.sandbox
        .charges()
        .slice(charges)
        .map((c) => c.amount),
    ).toEqual([15_000]);
    const entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge").map((e) => e.amountMicros)).toEqual([usd(150)]);
  });

  it("a balance at the threshold is not recharged; one just below gets the amount once", async () => {
    await debit(megan, 0.01); // 20.00 → 19.99
    await app.settle();
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(69.99));
    const entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge").map((e) => e.ref)).toEqual(["recharge:rc-1", "recharge:rc-2"]);
  });

  it("the account shows the effective breaker limits and no pause", async () => {
    expect((await megan.get("/api/v1/account")).body.autoRecharge).toEqual({
      enabled: true,
      amountMicros: usd(50),
      thresholdMicros: usd(20),
      maxRechargesPerDay: 5,
      maxAmountPerDayMicros: usd(500),
      paused: null,
    });
  });
});

describe("the circuit breaker", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, clock, megan } = await setUp("tok_visa", { maxRechargesPerDay: 2 })));
  afterAll(() => world.close());

  it("pauses at the daily limit, tells the admins why, and charges nothing more", async () => {
    await debit(megan, 90); // 100 → 10: recharge 1 → 60
    await app.settle();
    await debit(megan, 50); // 60 → 10: recharge 2 → 60
    await app.settle();
    const charges = world.sandbox.charges().length;
    await debit(megan, 50); // 60 → 10: a third recharge in 24 h would pass the limit of 2
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(usd(10));
    expect(account.autoRecharge.paused).toEqual({ at: "2026-03-02T09:00:00.000Z", reason: "max_recharges_per_day" });
    expect(world.sandbox.charges().length).toBe(charges);
    const [paused, ...more] = await notifications(megan, "recharge_paused");
    expect(more).toHaveLength(0);
    expect(paused.data).toMatchObject({ reason: "max_recharges_per_day", currency: "USD", limitCount: 2 });
    // Facts, not sentences: the card says them in each reader's language, with no API path.
    expect(paused.data).not.toHaveProperty("message");
    expect(await cardText(paused, "en")).toContain("A recharge of $50.00 would be more than 2 recharges in 24 hours");
    expect(await cardText(paused, "fr")).toMatch(/Une recharge de 50,00\s\$US dépasserait 2 recharges en 24 heures/);
    expect(await cardText(paused, "en")).not.toContain("/api/");
    // More debits while paused change nothing and tell nobody again.
    await debit(megan, 5);
    await app.settle();
    expect(await notifications(megan, "recharge_paused")).toHaveLength(1);
    expect(world.sandbox.charges().length).toBe(charges);
  });

  it("resume is for money movers, lifts the pause and recharges at once", async () => {
    const adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    expect((await adele.post("/api/v1/account/auto-recharge/resume")).status).toBe(403);
    clock.advance(60_000);
    const res = await megan.post("/api/v1/account/auto-recharge/resume");
    expect(res.status).toBe(200);
    expect(res.body.autoRecharge.paused).toBeNull();
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(usd(55)); // 5 + 50
    expect(account.autoRecharge.paused).toBeNull();
    await expectExactLedger(megan);
    const { resources: audit } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.action IN ('auto_recharge.paused', 'auto_recharge.resumed')" })
      .fetchAll();
    expect(audit.map((a) => a.action).sort()).toEqual(["auto_recharge.paused", "auto_recharge.resumed"]);
  });

  it("the amount limit pauses a recharge that would pass it", async () => {
    const res = await megan.put("/api/v1/account/auto-recharge", {
      enabled: true,
      amountMicros: usd(50),
      thresholdMicros: usd(20),
      maxRechargesPerDay: 10,
      maxAmountPerDayMicros: usd(100),
    });
    expect(res.body.autoRecharge).toMatchObject({ maxRechargesPerDay: 10, maxAmountPerDayMicros: usd(100), paused: null });
    await debit(megan, 300); // 55 → −245: needs 300.00 in one payment, more than 100.00 a day
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.autoRecharge.paused).toMatchObject({ reason: "max_amount_per_day" });
    const paused = (await notifications(megan, "recharge_paused")).find((n: { data: { reason: string } }) => n.data.reason === "max_amount_per_day");
    expect(paused.data).toMatchObject({ limitMicros: usd(100), currency: "USD" });
    expect(await cardText(paused, "en")).toContain("past $100.00");
  });

  it("settings saved without the limits keep them; null brings back the default amount limit", async () => {
    const kept = await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(60), thresholdMicros: usd(20) });
    expect(kept.body.autoRecharge).toMatchObject({ amountMicros: usd(60), maxRechargesPerDay: 10, maxAmountPerDayMicros: usd(100) });
    const reset = await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(60), thresholdMicros: usd(20), maxAmountPerDayMicros: null });
    expect(reset.body.autoRecharge).toMatchObject({ maxRechargesPerDay: 10, maxAmountPerDayMicros: usd(600) });
  });

  it("refuses a daily amount limit below the recharge amount", async () => {
    const res = await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20), maxAmountPerDayMicros: usd(40) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("daily_limit_below_amount");
  });
});

describe("Retry now", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, megan } = await setUp("tok_chargeDeclinedProcessingError")));
  afterAll(() => world.close());

  it("needs an Idempotency-Key, a money mover and something to retry", async () => {
    expect((await megan.post("/api/v1/account/recharge/retry", {})).status).toBe(400);
    const lee = await ApiClient.signIn(app.url, "diego@contoso.example");
    expect((await lee.postMoney("/api/v1/account/recharge/retry", {})).status).toBe(403);
    const nothing = await megan.postMoney("/api/v1/account/recharge/retry", {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe("nothing_to_retry");
  });

  it("charges once under concurrent clicks", async () => {
    await debit(megan, 85); // 100 → 15; the processor fails the first two tries
    await app.settle();
    expect((await megan.get("/api/v1/account")).body.lastRecharge).toMatchObject({ status: "retry_scheduled", tries: 1 });
    const again = await megan.postMoney("/api/v1/account/recharge/retry", {});
    expect(again.status).toBe(200);
    expect(again.body.attempt).toMatchObject({ status: "retry_scheduled", tries: 2, failureCode: "processing_error" });
    const [failed] = await notifications(megan, "recharge_failed");
    expect(failed.data).toMatchObject({ reason: "processing_error", paymentMethod: "Visa •••• 0119" });
    expect(await cardText(failed, "en")).toContain("The card Visa •••• 0119 could not be charged just now");

    const before = world.sandbox.charges().length;
    const clicks = await Promise.all(Array.from({ length: 6 }, () => megan.postMoney("/api/v1/account/recharge/retry", {})));
    await app.settle();
    const ok = clicks.filter((c) => c.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0].body.attempt).toMatchObject({ status: "succeeded", amountMicros: usd(50), tries: 3 });
    for (const c of clicks.filter((c) => c.status !== 200)) expect(c.body.code).toBe("nothing_to_retry");
    expect(world.sandbox.charges().length - before).toBe(1);
    const entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge")).toHaveLength(1);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(65));
  });

  it("a replayed click answers the first answer and charges nothing", async () => {
    const first = await megan.postMoney("/api/v1/account/recharge/retry", {}, "click-1");
    const replay = await megan.postMoney("/api/v1/account/recharge/retry", {}, "click-1");
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
  });
});

describe("60 days of simulated calls: recharge 50.00 below 20.00 with a working card", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  const from = new Date("2026-01-05T00:00:00.000Z");
  beforeAll(async () => ({ world, app, clock, megan } = await setUp("tok_visa", {}, from.toISOString())));
  afterAll(() => world.close());

  it("ends with a positive balance, no refused call and no pause", { timeout: 240_000 }, async () => {
    const tenant = world.tenants[0];
    const users = (await megan.get("/api/v1/users")).body;
    const list = Array.isArray(users) ? users : users.items;
    const rows = simulateCalls({ tenant: { tenantId: tenant.tenantId, region: tenant.region, users: list }, days: 60, from, seed: 1, callsPerUserPerDay: 8 });
    const lee = list.find((u: { upn: string }) => u.upn === "lee@contoso.example");
    let charged = 0;
    let lowest = Number.MAX_SAFE_INTEGER;
    for (let day = 0; day < 60; day++) {
      const end = from.getTime() + (day + 1) * 86_400_000;
      const batch = rows.filter((r) => Date.parse(r.endDateTime) > end - 86_400_000 && Date.parse(r.endDateTime) <= end);
      clock.set(new Date(end).toISOString());
      if (batch.length === 0) continue;
      const res = await megan.postMoney("/api/v1/usage/records", { records: batch });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      charged += res.body.chargedMicros;
      await app.settle();
      const account = (await megan.get("/api/v1/account")).body;
      lowest = Math.min(lowest, account.balanceMicros);
      expect(account.balanceMicros, `day ${day + 1}`).toBeGreaterThanOrEqual(usd(20));
      expect(account.autoRecharge.paused).toBeNull();
      // A licensed user's international call may start.
      const auth = await megan.post("/api/v1/calls/authorize", { userId: lee.id, callType: "user_out", number: "+442079460000" });
      expect(auth.body, `day ${day + 1}`).toMatchObject({ allowed: true });
    }
    expect(charged).toBeGreaterThan(usd(100)); // more than the first two recharges: the old rule would have run dry
    const account = (await megan.get("/api/v1/account")).body;
    expect(account).toMatchObject({ status: "active", lastRecharge: { status: "succeeded" } });
    const entries = await expectExactLedger(megan);
    const recharges = entries.filter((e) => e.kind === "auto_recharge");
    expect(recharges.length).toBeGreaterThan(2);
    for (const r of recharges) expect(r.amountMicros % usd(50)).toBe(0);
    console.log(
      `60 days: charged ${charged / 1e6} USD, ${recharges.length} recharges (${recharges.reduce((s, e) => s + e.amountMicros, 0) / 1e6} USD), lowest balance after a day ${lowest / 1e6}, final ${account.balanceMicros / 1e6}`,
    );
  });
});

describe("the issue's reproduction: `npm run simulate -- --days 60` posting batches of 1,000 after the fact", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  const now = new Date("2026-03-06T18:00:00.000Z");
  beforeAll(async () => ({ world, app, megan } = await setUp("tok_visa", {}, now.toISOString())));
  afterAll(() => world.close());

  it("each batch that takes the balance below zero is restored by one payment of a multiple", { timeout: 240_000 }, async () => {
    const tenant = world.tenants[0];
    const list = (await megan.get("/api/v1/users")).body;
    const users = Array.isArray(list) ? list : list.items;
    // As api/src/local/cli/simulate.ts: 60 days up to now, default calls per user, batches of 1,000.
    const from = new Date(Date.UTC(2026, 2, 6) - 59 * 86_400_000);
    const rows = simulateCalls({ tenant: { tenantId: tenant.tenantId, region: tenant.region, users }, days: 60, from, seed: 1 }).filter(
      (r) => Date.parse(r.endDateTime) <= now.getTime(),
    );
    expect(rows.length).toBeGreaterThan(1000);
    const lee = users.find((u: { upn: string }) => u.upn === "lee@contoso.example");
    for (let i = 0; i < rows.length; i += 1000) {
      const res = await megan.postMoney("/api/v1/usage/records", { records: rows.slice(i, i + 1000) });
      expect(res.status).toBe(200);
      await app.settle();
      const account = (await megan.get("/api/v1/account")).body;
      expect(account.balanceMicros).toBeGreaterThanOrEqual(usd(20));
      expect((await megan.post("/api/v1/calls/authorize", { userId: lee.id, callType: "user_out", number: "+442079460000" })).body).toMatchObject({ allowed: true });
    }
    const entries = await expectExactLedger(megan);
    const recharges = entries.filter((e) => e.kind === "auto_recharge");
    for (const r of recharges) expect(r.amountMicros % usd(50)).toBe(0);
    const usage = -entries.filter((e) => e.kind === "usage").reduce((s, e) => s + e.amountMicros, 0);
    console.log(
      `simulate 60 days in ${Math.ceil(rows.length / 1000)} batches: usage ${usage / 1e6} USD, recharges ${recharges.map((r) => r.amountMicros / 1e6).join(", ")} USD, final ${entries.at(-1)!.balanceAfterMicros / 1e6}`,
    );
  });
});
