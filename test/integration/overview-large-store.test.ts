/**
 * Issue 11: the overview on a large store. Forty days of call records (5,000 of them, ingested in
 * bulk as the Graph poller would) and the forecast and zero-balance impact answer the same figures
 * as a full count over the rated records — and still answer them once the records are gone, since
 * they read the day rollups, never the usage records.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../api/src/app.js";
import type { RatedCallDoc } from "../../api/src/usage/rated-call.js";
import { basisWindow, forecast as forecastOf } from "../../api/src/accounts/forecast-rules.js";
import { zeroBalanceImpact } from "../../api/src/usage/impact-rules.js";
import { DEMO_TENANTS } from "@cc/common";
import type { TestWorld } from "../support/world.js";
import type { ApiClient } from "../support/http.js";
import { fundedContoso } from "../support/recharge.js";
import { call } from "./usage-fixtures.js";

const CONTOSO = "11111111-1111-4111-8111-111111111111";
const NOW = "2026-03-02T12:00:00.000Z";
const DAYS = 40;
const CALLS = 5_000;

/** A deterministic mix: toll-free bridges, meeting dial-outs, international and domestic calls by the licensed users. */
function history(): ReturnType<typeof call>[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const start = Date.parse(NOW) - DAYS * 86_400_000;
  return Array.from({ length: CALLS }, () => {
    // Calls that have ended by NOW (the app's clock): a record of a call still going on is refused.
    const at = new Date(start + Math.floor(next() * (DAYS * 86_400_000 - 3_600_000))).toISOString();
    const seconds = 30 + Math.floor(next() * 900);
    const upn = pick(["lee@contoso.example", "diego@contoso.example"]);
    switch (pick(["toll-free", "toll-free", "dial-out", "international", "domestic"] as const)) {
      case "toll-free":
        return call({ callType: "conf_in", to: pick(["+18005550100", "+18885550199", "+18775550123"]), seconds, start: at, inventoryType: "Toll Free" });
      case "dial-out":
        return call({ upn, callType: "conf_out", to: pick(["+201001234567", "+2348031234567", "+639171234567"]), seconds, start: at });
      case "international":
        return call({ upn, to: pick(["+33612345678", "+447700900123", "+4930123456", "+81312345678"]), seconds, start: at });
      default:
        return call({ upn, to: pick(["+12065550100", "+13125550111"]), seconds, start: at });
    }
  });
}

describe("the overview's figures on a large store", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  let records: RatedCallDoc[];
  beforeAll(async () => {
    ({ world, app, megan } = await fundedContoso({ settings: null, start: NOW, fundsUnits: 100 }));
    const rows = history();
    for (let i = 0; i < rows.length; i += 1_000) {
      const res = await megan.postMoney("/api/v1/usage/records", { records: rows.slice(i, i + 1_000) });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      expect(res.body.accepted).toBe(Math.min(1_000, rows.length - i));
    }
    const { resources } = await app.world.store.containers.usage.items
      .query<RatedCallDoc>({ query: "SELECT * FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: CONTOSO }] })
      .fetchAll();
    records = resources;
  }, 300_000);
  afterAll(() => world?.close());

  it("counts the forecast and the impact from the rollups, as a full count of the records would", async () => {
    expect(records).toHaveLength(CALLS);
    const credits = records.filter((r) => r.chargedTo === "credits");
    // The mix charges the balance for each kind the impact names.
    expect(new Set(credits.map((r) => r.callType))).toEqual(new Set(["conf_in", "conf_out", "user_out"]));

    // Forecast: the mean daily credits spend over the basis window, from the first day with usage.
    const spend = new Map<string, number>();
    for (const r of credits) spend.set(r.day, (spend.get(r.day) ?? 0) + r.chargeMicros);
    const account = (await megan.get("/api/v1/account")).body;
    const expectedForecast = forecastOf({
      currency: "USD",
      balanceMicros: account.balanceMicros,
      autoRechargeActive: false,
      thresholdMicros: 0,
      amountMicros: 0,
      spend,
      now: new Date(NOW),
    });
    const window = basisWindow(new Date(NOW));
    expect(expectedForecast.dailySpendMicros).toBe(Math.round(window.reduce((s, d) => s + (spend.get(d) ?? 0), 0) / window.length));

    // Impact: the calls of the last 30 UTC days (today included) that drew on the balance.
    const firstDay = new Date(Date.parse("2026-03-02") - 29 * 86_400_000).toISOString().slice(0, 10);
    const homes = new Map(DEMO_TENANTS.find((t) => t.tenantId === CONTOSO)!.users.map((u) => [u.id, u.usageLocation ?? "US"]));
    const expectedImpact = zeroBalanceImpact(credits.filter((r) => r.day >= firstDay).map((r) => ({ ...r, homeCountry: homes.get(r.userId) ?? "US" })));
    expect(expectedImpact.tollFree).toHaveLength(3);
    expect(expectedImpact.conferenceDialOut.calls).toBeGreaterThan(100);
    expect(expectedImpact.international.calls).toBeGreaterThan(100);

    const forecast = await megan.get("/api/v1/account/forecast");
    const impact = await megan.get("/api/v1/account/impact");
    expect(forecast.status).toBe(200);
    expect(forecast.body).toEqual(expectedForecast);
    expect(impact.status).toBe(200);
    expect(impact.body).toEqual(expectedImpact);

    // Without the records (only the rollups left), the same answers: nothing read them.
    const usage = app.world.store.containers.usage;
    for (let i = 0; i < records.length; i += 500) {
      await Promise.all(records.slice(i, i + 500).map((r) => usage.item(r.id, r.pk).delete()));
    }
    expect((await megan.get("/api/v1/account/forecast")).body).toEqual(expectedForecast);
    expect((await megan.get("/api/v1/account/impact")).body).toEqual(expectedImpact);
  }, 120_000);
});
