/**
 * Spend by department in the tenant's time zone (issue 22, items 1 and 6): for a tenant in
 * Europe/Paris, the department summary of a named period counts exactly the calls the records of
 * that period hold (a call at 23:30 UTC on November 30 is December 1 in Paris), a department
 * budget's month is the tenant's month at its edges, and one summary reads the day documents of the
 * UTC days the period touches plus the quarters of its two edge days, no query (counted by the
 * embedded store, STORE_OP_COUNTS=1, and printed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { measured, type Counted } from "../support/store-ops.js";
import { createDoc, readDoc } from "../../api/src/store/cosmos.js";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { call } from "./usage-fixtures.js";

// 23:45 on Dec 7 in Paris (CET, +1).
const NOW = "2026-12-07T22:45:00.000Z";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004"; // Sales, domestic plan
const INDIA = "+919812345678"; // 0.10 a minute from credits for a domestic-plan user
const DEPARTMENT_OF: Record<string, string> = { "diego@contoso.example": "Sales", "lee@contoso.example": "Executive" };

interface Group {
  key: string;
  calls: number;
  minutes: number;
  chargeMicros: number;
}

describe("spend by department in the tenant's time zone", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  const counted: Counted = {};

  beforeAll(async () => {
    process.env.STORE_OP_COUNTS = "1"; // read when the embedded store starts
    world = await startWorld();
    app = await world.app({ clock: new ManualClock(new Date(NOW)) });
    megan = await ApiClient.funded(app.url, "megan@contoso.example", 100);
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: "Europe/Paris" })).status).toBe(200);
    const records = [
      // Nov 30, 23:30 in Paris: November's.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 300, start: "2026-11-30T22:30:00Z" }), // 0.50
      // Dec 1, 00:30 in Paris, still Nov 30 in UTC: December's for the tenant.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 120, start: "2026-11-30T23:30:00Z" }), // 0.20
      call({ upn: "lee@contoso.example", to: INDIA, seconds: 300, start: "2026-12-03T10:00:00Z" }), // 0.50
      call({ callType: "conf_in", to: "+18005550100", seconds: 180, start: "2026-12-03T11:00:00Z", inventoryType: "Toll free" }), // no user
      // Dec 7, 00:30 in Paris, still Dec 6 in UTC.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 300, start: "2026-12-06T23:30:00Z" }), // 0.50
      // Dec 7, 23:40 in Paris.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 60, start: "2026-12-07T22:40:00Z" }), // 0.10
    ];
    // Two ingestions: the day documents and their quarters add them up.
    for (const batch of [records.slice(0, 3), records.slice(3)]) {
      const ingested = await megan.postMoney("/api/v1/usage/records", { records: batch });
      expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    }
  });
  afterAll(async () => {
    console.log(JSON.stringify({ storeOps: counted }));
    delete process.env.STORE_OP_COUNTS;
    await world?.close();
  });

  /** The period's records summed by department: what the department summary must say. */
  async function fromRecords(period: string): Promise<{ groups: Map<string, Omit<Group, "key">>; chargeMicros: number; calls: number }> {
    const items = (await megan.get(`/api/v1/usage/records?period=${period}&limit=100`)).body.items as {
      userPrincipalName: string | null;
      billedMinutes: number;
      chargeMicros: number;
    }[];
    const groups = new Map<string, Omit<Group, "key">>();
    for (const r of items) {
      const key = DEPARTMENT_OF[r.userPrincipalName ?? ""] ?? "";
      const g = groups.get(key) ?? { calls: 0, minutes: 0, chargeMicros: 0 };
      g.calls += 1;
      g.minutes += r.billedMinutes;
      g.chargeMicros += r.chargeMicros;
      groups.set(key, g);
    }
    return { groups, calls: items.length, chargeMicros: items.reduce((s, r) => s + r.chargeMicros, 0) };
  }

  it("counts exactly the records of Paris's named periods, by department", async () => {
    for (const period of ["this_month", "last_month", "7d", "30d"]) {
      const res = await measured(counted, `department ${period}`, () => megan.get(`/api/v1/usage/summary?period=${period}&groupBy=department`));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const expected = await fromRecords(period);
      const groups = res.body.groups as (Group & { label: string })[];
      expect(groups.map((g) => g.label)).toEqual(groups.map((g) => g.key || "(no department)"));
      expect(new Map(groups.map(({ key, label, ...g }) => [key, g])), period).toEqual(expected.groups);
      expect([res.body.totals.calls, res.body.totals.chargeMicros], period).toEqual([expected.calls, expected.chargeMicros]);
      // The same totals as the report by day over the same instants.
      const byDay = await measured(counted, `day ${period}`, () => megan.get(`/api/v1/usage/summary?period=${period}&groupBy=day`));
      expect(byDay.body.totals, period).toEqual(res.body.totals);
      expect([res.body.from, res.body.to], period).toEqual([byDay.body.from, byDay.body.to]);
      expect(res.body.period).toEqual(byDay.body.period);
    }
    // December in Paris: Dec 1 00:30 and Dec 7 00:30 and 23:40 (diego), Dec 3 (lee, and a toll-free call without a user).
    const december = await megan.get("/api/v1/usage/summary?period=this_month&groupBy=department");
    expect(december.body.period).toMatchObject({ from: "2026-11-30T23:00:00.000Z", to: "2026-12-07T23:00:00.000Z", timeZone: "Europe/Paris" });
    expect([december.body.from, december.body.to]).toEqual(["2026-12-01", "2026-12-08"]);
    expect(december.body.groups.map((g: Group) => [g.key, g.calls, g.chargeMicros])).toEqual([
      ["Sales", 3, usd(0.8)],
      ["Executive", 1, usd(0.5)],
      ["", 1, usd(0.06)],
    ]);
    // November in Paris: only Nov 30 23:30, although its UTC day also holds Dec 1 00:30.
    const november = await megan.get("/api/v1/usage/summary?period=last_month&groupBy=department");
    expect(november.body.groups.map((g: Group) => [g.key, g.calls, g.chargeMicros])).toEqual([["Sales", 1, usd(0.5)]]);
  });

  it("reads the period's UTC days and the quarters of its two edge days only, no query", () => {
    // Paris's December so far touches 8 UTC days (Nov 30 to Dec 7), its 30 days 31: the report by day reads those
    // days' rollups, the department summary those days' department totals and 2 documents of quarters more.
    for (const period of ["this_month", "last_month", "7d", "30d"]) {
      expect(counted[`department ${period}`].queries, period).toBe(0);
      expect(counted[`department ${period}`].reads - counted[`day ${period}`].reads, period).toBe(2);
    }
    const days = { this_month: 8, last_month: 31, "7d": 8, "30d": 31 };
    for (const [period, n] of Object.entries(days)) expect(counted[`department ${period}`].reads, period).toBeLessThanOrEqual(n + 2 + 1); // + the account, read once
  });

  it("counts a budget's month in the tenant's zone: a call at 23:30 UTC on November 30 is December's in Paris", async () => {
    // Diego's December in Paris: 0.20 + 0.50 + 0.10 charged to credits; in UTC the 0.20 is November's.
    expect((await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(0.8), mode: "block" }] })).status).toBe(200);
    const budgets = await measured(counted, "budgets", () => megan.get("/api/v1/budgets"));
    expect(budgets.body).toEqual({ currency: "USD", month: "2026-12", departments: [{ department: "Sales", monthlyMicros: usd(0.8), mode: "block", spentMicros: usd(0.8) }] });
    const events = ((await megan.get("/api/v1/notifications?limit=100")).body.items as { id: string; kind: string; data: Record<string, unknown> }[]).filter(
      (n) => n.kind === "budget_threshold",
    );
    expect(events.map((e) => e.id)).toEqual(["budget_threshold:Sales:2026-12:100"]);
    expect(events[0].data).toMatchObject({ month: "2026-12", spentMicros: usd(0.8), monthlyMicros: usd(0.8) });
    const authorize = () => megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA });
    expect((await authorize()).body).toMatchObject({ allowed: false, reason: "department_budget_reached" });

    // In UTC, December holds 0.60 of the 0.80: the budget lets the call through, and follows at once (nothing re-keyed).
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: "UTC" })).status).toBe(200);
    expect((await megan.get("/api/v1/budgets")).body.departments[0].spentMicros).toBe(usd(0.6));
    expect((await authorize()).body).toMatchObject({ allowed: true });
    const utc = await megan.get("/api/v1/usage/summary?period=last_month&groupBy=department");
    expect(utc.body.groups.map((g: Group) => [g.key, g.calls, g.chargeMicros])).toEqual([["Sales", 2, usd(0.7)]]);
  });

  it("counts a day document written before the quarters as a whole day at its UTC noon, and keeps it so when later batches add to it", async () => {
    const rollups = app.world.store.containers.rollups;
    // Oct 31 (UTC) as the tallies kept it before the quarters: 5 calls of Sales, no quarters, no mark.
    const legacy = { calls: 5, minutes: 10, chargeMicros: usd(1), creditsMicros: usd(1) };
    const tally = {
      id: "dept-day:2026-10-31",
      tenantId: CONTOSO_TENANT_ID,
      type: "dept-day",
      day: "2026-10-31",
      byDepartment: { Sales: legacy },
      appliedRefs: ["old"],
      updatedAt: NOW,
    };
    expect((await createDoc(rollups, tally)).created).toBe(true);
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: "Europe/Paris" })).status).toBe(200);
    // Nov 1, 00:30 in Paris, on that UTC day: added to its totals, and the day stays whole (its quarters would not add up).
    await megan.postMoney("/api/v1/usage/records", { records: [call({ upn: "diego@contoso.example", to: INDIA, seconds: 120, start: "2026-10-31T23:30:00Z" })] });
    const doc = await readDoc<{ id: string; tenantId: string; quartered?: boolean; byDepartment: Record<string, { calls: number }> }>(
      rollups,
      CONTOSO_TENANT_ID,
      "dept-day:2026-10-31",
    );
    expect([doc?.quartered, doc?.byDepartment.Sales.calls]).toEqual([undefined, 6]);
    // Its noon is October's in Paris: not in November (the call at 00:30 on Nov 1 with it), all of it in the last 90 days.
    const november = await megan.get("/api/v1/usage/summary?period=last_month&groupBy=department");
    expect(november.body.groups.map((g: Group) => [g.key, g.calls, g.chargeMicros])).toEqual([["Sales", 1, usd(0.5)]]);
    const ninety = await megan.get("/api/v1/usage/summary?period=90d&groupBy=department");
    expect(ninety.body.groups.find((g: Group) => g.key === "Sales")).toMatchObject({ calls: 4 + 6, chargeMicros: usd(1.3) + usd(1.2) });
  });
});
