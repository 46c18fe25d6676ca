/**
 * Calling-plan pools against the local store: a small pool (woodgrove has one domestic-plan user
 * in Germany: 1 × 1200 minutes a month) exhausted mid-month, reset on the 1st, and consumed exactly
 * by concurrent batches on two instances.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { allRecords, call, ledgerEntries, sumOf, USAGE_TENANTS, userId, WOODGROVE } from "./usage-fixtures.js";

const jonas = "jonas@woodgrove.example";
const BERLIN = "+4930123456"; // 49: 25,000 micros a minute, no connection fee
const poolId = (month: string) => `pool:${WOODGROVE.tenantId}:${month}:domestic:DE`;

describe("calling-plan pools", () => {
  let world: TestWorld;
  let app1: App;
  let app2: App;
  let clock: ManualClock;
  let h1: ApiClient;
  let h2: ApiClient;
  const pool = async (month: string) => app1.services.usage.ingestor.pools.read(WOODGROVE.tenantId, poolId(month));

  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    clock = new ManualClock(new Date("2025-03-20T12:00:00Z"));
    app1 = await world.app({ clock });
    app2 = await world.app({ clock });
    h1 = await ApiClient.signIn(app1.url, "hanna@woodgrove.example");
    h2 = await ApiClient.signIn(app2.url, "hanna@woodgrove.example");
  });
  afterAll(() => world.close());

  it("uses the pool first, charges the overflow, then the whole call, and resets on the 1st", async () => {
    // 1000 min from the 1200-minute pool: plan, nothing charged.
    const first = call({ upn: jonas, to: BERLIN, seconds: 1000 * 60, start: "2025-03-05T08:00:00Z" });
    expect((await h1.postMoney("/api/v1/usage/records", { records: [first] })).body).toMatchObject({ accepted: 1, chargedMicros: 0 });
    expect(await pool("2025-03")).toMatchObject({ capacityMinutes: 1200, usedMinutes: 1000, claims: {} });

    // authorize while 200 minutes are left: allowed without credits (balance is 0).
    const auth = await h1.post("/api/v1/calls/authorize", { userId: userId(jonas), callType: "user_out", number: BERLIN });
    expect(auth.body).toMatchObject({ allowed: true, perMinuteMicros: 0 });

    // 300 min: 200 from the pool, 100 overflow × 25,000 = 2,500,000 (no fee on an overflow).
    const overflow = call({ upn: jonas, to: BERLIN, seconds: 300 * 60, start: "2025-03-12T08:00:00Z" });
    // 5 min after the pool is empty: 5 × 25,000 = 125,000 (+ fee 0).
    const after = call({ upn: jonas, to: BERLIN, seconds: 5 * 60, start: "2025-03-31T23:59:00Z" });
    // 10 min on the 1st of April: a fresh pool.
    const april = call({ upn: jonas, to: BERLIN, seconds: 10 * 60, start: "2025-04-01T00:00:30Z" });
    clock.set("2025-04-02T00:00:00Z"); // records come in once their calls have ended
    const res = await h1.postMoney("/api/v1/usage/records", { records: [april, after, overflow] });
    // 2,500,000 + 125,000 = 2,625,000
    expect(res.body).toMatchObject({ accepted: 3, chargedMicros: 2_625_000, balanceMicros: -2_625_000 });

    const records = await allRecords(h1, "2025-03-01", "2025-05-01");
    const byId = (id: string) => records.find((r) => r.id === id);
    expect(byId(first.id)).toMatchObject({ chargedTo: "plan", chargeMicros: 0, poolUse: { bucket: "domestic", minutes: 1000, key: poolId("2025-03") } });
    expect(byId(overflow.id)).toMatchObject({ chargedTo: "credits", chargeMicros: 2_500_000, poolUse: { minutes: 200 }, flags: ["pool_overflow"] });
    expect(byId(after.id)).toMatchObject({ chargedTo: "credits", chargeMicros: 125_000, poolUse: null, flags: ["pool_exhausted"] });
    expect(byId(april.id)).toMatchObject({ chargedTo: "plan", chargeMicros: 0, poolUse: { minutes: 10, key: poolId("2025-04") } });
    expect(await pool("2025-03")).toMatchObject({ usedMinutes: 1200, claims: {} });
    expect(await pool("2025-04")).toMatchObject({ usedMinutes: 10, claims: {} });

    // An exhausted pool and no balance: refused; on the 1st of the next month, allowed again.
    clock.set("2025-03-31T12:00:00Z");
    expect((await h1.post("/api/v1/calls/authorize", { userId: userId(jonas), callType: "user_out", number: BERLIN })).body).toMatchObject({
      allowed: false,
      reason: "insufficient_balance",
      perMinuteMicros: 25_000,
    });
    clock.set("2025-04-01T00:00:01Z");
    expect((await h1.post("/api/v1/calls/authorize", { userId: userId(jonas), callType: "user_out", number: BERLIN })).body).toMatchObject({ allowed: true, perMinuteMicros: 0 });
  });

  it("is consumed exactly by concurrent batches on two instances", async () => {
    // May: 2 × 20 calls of 40 min = 1600 min asked of a 1200-minute pool → 1200 from the pool and
    // 400 min overflow × 25,000 = 10,000,000, however the batches interleave.
    const batch = (n: number, hourBase: number) =>
      Array.from({ length: n }, (_, i) =>
        call({ upn: jonas, to: BERLIN, seconds: 40 * 60, start: `2025-05-${String(2 + (i % 25)).padStart(2, "0")}T${String(hourBase + (i % 4)).padStart(2, "0")}:00:00Z` }),
      );
    clock.set("2025-06-01T00:00:00Z");
    const a = batch(20, 8);
    const b = batch(20, 14);
    const debitsBefore = sumOf(
      (await ledgerEntries(h1)).filter((e) => e.kind === "usage"),
      "amountMicros",
    );
    const answers = await Promise.all([
      h1.postMoney("/api/v1/usage/records", { records: a.slice(0, 10) }),
      h2.postMoney("/api/v1/usage/records", { records: b.slice(0, 10) }),
      h1.postMoney("/api/v1/usage/records", { records: b.slice(10) }),
      h2.postMoney("/api/v1/usage/records", { records: a.slice(10) }),
    ]);
    for (const x of answers) expect(x.status, JSON.stringify(x.body)).toBe(200);
    expect(answers.reduce((s, x) => s + x.body.chargedMicros, 0)).toBe(10_000_000);
    const records = await allRecords(h1, "2025-05-01", "2025-06-01");
    expect(records).toHaveLength(40);
    expect(
      sumOf(
        records.map((r) => ({ m: r.poolUse?.minutes ?? 0 })),
        "m",
      ),
    ).toBe(1200);
    expect(sumOf(records, "chargeMicros")).toBe(10_000_000);
    expect(await pool("2025-05")).toMatchObject({ capacityMinutes: 1200, usedMinutes: 1200, claims: {} });
    const debitsAfter = sumOf(
      (await ledgerEntries(h1)).filter((e) => e.kind === "usage"),
      "amountMicros",
    );
    expect(debitsBefore - debitsAfter).toBe(10_000_000);
  });
});
