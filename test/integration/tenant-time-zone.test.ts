/**
 * The tenant's time zone (issue 22, item 1): PUT /api/v1/account/time-zone (billing roles, an IANA
 * zone Intl knows, audited), and every surface counting the period's instants in that zone: the
 * tab's summary (every grouping), the records, the export, the bot's usage card and the zero-balance
 * impact count the same calls and money; the daily cap per user is the tenant's calendar day. The overview reads stay a
 * fixed number of point reads (counted by the embedded store, STORE_OP_COUNTS=1, and printed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { startLocalBotConnector, type LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";
import { measured, type Counted } from "../support/store-ops.js";
import { botUsageCard } from "../support/bot-usage.js";
import { call } from "./usage-fixtures.js";

// 23:45 on Dec 7 in Paris (CET, +1).
const NOW = "2026-12-07T22:45:00.000Z";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004";
const INDIA = "+919812345678"; // diego (domestic plan): 0.10 a minute, charged to credits
const guardBase = { blockedCountries: [], blockedPrefixes: [], blockPremiumRate: true, domesticOnly: false, perUserDailyCapMicros: null, spikeFactor: 5 };

describe("the tenant's time zone", () => {
  let world: TestWorld;
  let connector: LocalBotConnector;
  let app: App;
  let megan: ApiClient;
  const counted: Counted = {};

  beforeAll(async () => {
    process.env.STORE_OP_COUNTS = "1"; // read when the embedded store starts
    world = await startWorld();
    connector = await startLocalBotConnector();
    app = await world.app({ clock: new ManualClock(new Date(NOW)) });
    megan = await ApiClient.funded(app.url, "megan@contoso.example", 100);
    const records = [
      // Nov 7, 23:30 in Paris: the day before the 30 days (the UTC day Nov 7 holds it and the next one).
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 120, start: "2026-11-07T22:30:00Z" }),
      // Nov 8, 00:15 in Paris: the period's first quarter hour but one.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 300, start: "2026-11-07T23:15:00Z" }),
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 180, start: "2026-11-20T12:00:00Z" }),
      // Dec 7, 00:30 in Paris, still Dec 6 in UTC: today for the tenant.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 300, start: "2026-12-06T23:30:00Z" }),
      // Dec 7, 23:40 in Paris.
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 60, start: "2026-12-07T22:40:00Z" }),
    ];
    // Two ingestions: the day documents add them up.
    for (const batch of [records.slice(0, 2), records.slice(2)]) {
      const ingested = await megan.postMoney("/api/v1/usage/records", { records: batch });
      expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    }
  });
  afterAll(async () => {
    console.log(JSON.stringify({ storeOps: counted }));
    delete process.env.STORE_OP_COUNTS;
    await world?.close();
    await connector?.close();
  });

  async function botUsageFacts(): Promise<{ title: string; value: string }[]> {
    const card = (await botUsageCard(app.url, connector, NOW)) as { body: { type: string; facts?: { title: string; value: string }[] }[] };
    return card.body.find((b) => b.type === "FactSet")!.facts!;
  }

  it("is UTC until set; only Global and Billing Administrators set it, to a zone Intl knows, refused in the caller's language otherwise", async () => {
    expect((await megan.get("/api/v1/account")).body.timeZone).toBe("UTC");
    const adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    const diego = await ApiClient.signIn(app.url, "diego@contoso.example");
    expect((await adele.put("/api/v1/account/time-zone", { timeZone: "Europe/Paris" })).status).toBe(403);
    expect((await diego.put("/api/v1/account/time-zone", { timeZone: "Europe/Paris" })).status).toBe(403);
    const unknown = await megan.send<{ code: string; detail: string }>("PUT", "/api/v1/account/time-zone", { timeZone: "Mars/Olympus_Mons" }, { "accept-language": "fr-FR" });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect(unknown.body).toMatchObject({ code: "invalid_input", errors: [{ path: "timeZone" }] });
    expect(unknown.body.detail).toContain("Ce champ n'est pas valide");
    expect(unknown.body.detail).toContain("fuseau horaire");
    expect(unknown.body.detail).toContain("Mars/Olympus_Mons");
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: 42 })).status).toBe(400);
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: "Europe/Paris", extra: 1 })).status).toBe(400);
    expect((await megan.get("/api/v1/account")).body.timeZone).toBe("UTC");

    // Another tenant's setting is its own.
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    expect((await nestor.put("/api/v1/account/time-zone", { timeZone: "Asia/Tokyo" })).body.timeZone).toBe("Asia/Tokyo");

    const set = await megan.put("/api/v1/account/time-zone", { timeZone: "europe/paris" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.timeZone).toBe("Europe/Paris"); // as Intl names it
    expect((await megan.get("/api/v1/account")).body.timeZone).toBe("Europe/Paris");
    const { resources: audit } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.tenantId = @t AND c.action = 'account.time_zone_set'", parameters: [{ name: "@t", value: CONTOSO_TENANT_ID }] })
      .fetchAll();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { timeZone: "UTC" }, after: { timeZone: "Europe/Paris" } });
  });

  it("counts the same calls and money in Paris's last 30 days in the tab's summary (every grouping), the records, the export and the bot's card", async () => {
    const byDay = await measured(counted, "summary 30d by day", () => megan.get("/api/v1/usage/summary?period=30d&groupBy=day"));
    expect(byDay.body.period).toMatchObject({
      from: "2026-11-07T23:00:00.000Z",
      to: "2026-12-07T23:00:00.000Z",
      firstDay: "2026-11-08",
      lastDay: "2026-12-07",
      timeZone: "Europe/Paris",
    });
    // Nov 8 00:15, Nov 20, Dec 7 00:30 and 23:40 in Paris; not Nov 7 23:30, which shares its UTC day with Nov 8 00:15.
    expect(byDay.body.totals).toEqual({ calls: 4, minutes: 14, chargeMicros: 1_400_000 });
    expect(byDay.body.groups.map((g: { key: string; calls: number }) => [g.key, g.calls])).toEqual([
      ["2026-11-08", 1],
      ["2026-11-20", 1],
      ["2026-12-07", 2],
    ]);
    expect([byDay.body.from, byDay.body.to]).toEqual(["2026-11-08", "2026-12-08"]);
    for (const groupBy of ["destination", "callType", "user"]) {
      const other = await measured(counted, `summary 30d by ${groupBy}`, () => megan.get(`/api/v1/usage/summary?period=30d&groupBy=${groupBy}`));
      expect(other.body.totals, groupBy).toEqual(byDay.body.totals);
      const sum = (other.body.groups as { calls: number; chargeMicros: number }[]).reduce((s, g) => ({ calls: s.calls + g.calls, chargeMicros: s.chargeMicros + g.chargeMicros }), {
        calls: 0,
        chargeMicros: 0,
      });
      expect(sum, groupBy).toEqual({ calls: 4, chargeMicros: 1_400_000 });
    }

    const records = (await megan.get("/api/v1/usage/records?period=30d&limit=50")).body.items as { chargeMicros: number }[];
    expect([records.length, records.reduce((s, r) => s + r.chargeMicros, 0)]).toEqual([4, 1_400_000]);
    const csv = await fetch(`${app.url}/api/v1/usage/export?period=30d&format=csv`, { headers: { authorization: `Bearer ${megan.token}` } });
    expect((await csv.text()).trim().split(/\r\n/)).toHaveLength(5); // a header and the four calls

    // What a zero balance would stop, over the same 30 Paris days: the four calls abroad on diego's domestic plan.
    const impact = await measured(counted, "impact", () => megan.get("/api/v1/account/impact"));
    expect(impact.body.international).toEqual({ calls: 4, users: 1 });

    // The same days picked by hand (the tab's custom range: calendar days, `to` exclusive) are Paris's days too,
    // in the summary, the records and the export; the same dates as UTC instants are not (Nov 7 23:30 Paris is Nov 7).
    const picked = await megan.get("/api/v1/usage/summary?from=2026-11-08&to=2026-12-08&groupBy=day");
    expect(picked.body.totals).toEqual(byDay.body.totals);
    expect(picked.body.groups).toEqual(byDay.body.groups);
    expect((await megan.get("/api/v1/usage/records?from=2026-11-08&to=2026-12-08&limit=50")).body.items).toHaveLength(4);
    const pickedCsv = await fetch(`${app.url}/api/v1/usage/export?from=2026-11-08&to=2026-12-08&format=csv`, { headers: { authorization: `Bearer ${megan.token}` } });
    expect((await pickedCsv.text()).trim().split(/\r\n/)).toHaveLength(5);
    const asUtc = await megan.get("/api/v1/usage/summary?from=2026-11-08T00:00:00Z&to=2026-12-08T00:00:00Z&groupBy=day");
    expect(asUtc.body.totals.calls).not.toBe(4);
    expect((await megan.get("/api/v1/usage/summary?from=2026-02-30&to=2026-03-02&groupBy=day")).status).toBe(400);

    const facts = await botUsageFacts();
    const fact = (title: string) => facts.find((f) => f.title.toLowerCase().includes(title))?.value;
    expect(fact("calls")).toBe("4");
    expect(fact("minutes")).toBe("14");
    expect(fact("spend")).toContain("1.40");
  });

  it("reads a fixed number of small documents for the overview, whatever the records: no query", async () => {
    await measured(counted, "forecast", () => megan.get("/api/v1/account/forecast"));
    await measured(counted, "recommendation", () => megan.get("/api/v1/account/recommendation"));
    const ops = counted;
    // The account and the 31 UTC days Paris's 30 days touch (by user: and their user shards, 16 a day with usage).
    for (const name of ["summary 30d by day", "summary 30d by destination", "summary 30d by callType", "forecast", "recommendation", "impact"]) {
      expect(ops[name].queries, name).toBe(0);
      expect(ops[name].reads, name).toBeLessThanOrEqual(31 + 4);
    }
    expect(ops["summary 30d by user"].queries).toBe(0);
    expect(ops["summary 30d by user"].reads).toBeLessThanOrEqual(31 + 4 + 4 * 16);
  });

  it("caps a user's spend per calendar day of the tenant's zone", async () => {
    expect((await megan.put("/api/v1/guard", { ...guardBase, perUserDailyCapMicros: usd(0.5) })).status).toBe(200);
    const authorize = () => megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA });
    // Today in Paris diego spent 0.50 (00:30) + 0.10 (23:40): at the cap.
    expect((await authorize()).body).toMatchObject({ allowed: false, reason: "user_cap_reached" });
    // In UTC today holds only the 23:40 call (22:40 UTC): 0.10, under the cap.
    expect((await megan.put("/api/v1/account/time-zone", { timeZone: "UTC" })).status).toBe(200);
    expect((await authorize()).body).toMatchObject({ allowed: true });
    // And the summary follows at once: nothing is re-keyed.
    const utc = await megan.get("/api/v1/usage/summary?period=30d&groupBy=day");
    expect(utc.body.period).toMatchObject({ firstDay: "2026-11-08", lastDay: "2026-12-07", timeZone: "UTC" });
    expect(utc.body.totals).toEqual({ calls: 3, minutes: 9, chargeMicros: 900_000 });
    expect((await megan.get("/api/v1/account/impact")).body.international).toEqual({ calls: 3, users: 1 });
  });
});
