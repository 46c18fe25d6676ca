/**
 * "Last 30 days" is one period for every surface (issue 22, item 1): the bot's `usage` command and
 * the tab's usage summary call ask the API for the same named period, so at the same moment they
 * count the same calls and the same money, and both say the same calendar days.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { startLocalBotConnector, type LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";
import { call } from "./usage-fixtures.js";
import { botUsageCard } from "../support/bot-usage.js";

const NOW = "2026-12-07T21:00:00.000Z";

describe("one period for the bot and the tab", () => {
  let world: TestWorld;
  let connector: LocalBotConnector;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    connector = await startLocalBotConnector();
    app = await world.app({ clock: new ManualClock(new Date(NOW)) });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    // diego (domestic plan) to an Indian mobile: 100,000 micros a minute, whole cents.
    const records = [
      // Nov 7, 12:00 UTC: inside "now minus 30 × 24 h" (the bot's old rule), outside the 30 calendar days.
      call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 120, start: "2026-11-07T12:00:00Z" }),
      // Nov 8, 01:00 UTC: the first day of the period.
      call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 300, start: "2026-11-08T01:00:00Z" }),
      // Today.
      call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start: "2026-12-07T20:00:00Z" }),
    ];
    const ingested = await megan.postMoney("/api/v1/usage/records", { records });
    expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    expect(ingested.body.accepted).toBe(3);
  });
  afterAll(async () => {
    await world.close();
    await connector.close();
  });

  it("counts the same calls and money, over the same days, in the bot's usage card and the tab's summary", async () => {
    const tab = await megan.get("/api/v1/usage/summary?period=30d&groupBy=day");
    expect(tab.status, JSON.stringify(tab.body)).toBe(200);
    // The API says which instants and days it counted: 30 calendar days, today included (UTC: the tenant has no zone).
    expect(tab.body.period).toEqual({
      name: "30d",
      from: "2026-11-08T00:00:00.000Z",
      to: "2026-12-08T00:00:00.000Z",
      firstDay: "2026-11-08",
      lastDay: "2026-12-07",
      timeZone: "UTC",
    });
    expect(tab.body.totals).toMatchObject({ calls: 2, minutes: 6, chargeMicros: 600_000 });

    const card = await botUsageCard(app.url, connector, NOW);
    const facts = (card.body as { type: string; facts?: { title: string; value: string }[] }[]).find((b) => b.type === "FactSet")!.facts!;
    const fact = (title: string) => facts.find((f) => f.title.toLowerCase().includes(title))?.value;
    expect(fact("calls")).toBe(String(tab.body.totals.calls));
    expect(fact("minutes")).toBe(String(tab.body.totals.minutes));
    expect(fact("spend")).toContain((tab.body.totals.chargeMicros / 1_000_000).toFixed(2));
    // And the card names the period's first and last day, as the tab shows them.
    const period = (card.body as { text?: string }[])[1].text ?? "";
    expect(period).toContain("Nov 8, 2026");
    expect(period).toContain("Dec 7, 2026");
    expect(period).not.toContain("Nov 7");
  });

  it("answers the same period for the records and the export, and refuses a period with from/to or an unknown name", async () => {
    const records = await megan.get("/api/v1/usage/records?period=30d&limit=10");
    expect(records.body.items).toHaveLength(2);
    const csv = await fetch(`${app.url}/api/v1/usage/export?period=30d&format=csv`, { headers: { authorization: `Bearer ${megan.token}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split(/\r\n/);
    expect(lines).toHaveLength(3); // a header and the two calls
    expect((await megan.get("/api/v1/usage/summary?period=31d")).status).toBe(400);
    expect((await megan.get("/api/v1/usage/summary?period=30d&from=2026-11-01")).status).toBe(400);
  });

  it("follows the tenant's time zone: in Auckland it is already Dec 8, so the period starts Nov 9", async () => {
    await app.world.store.containers.accounts.item("account", CONTOSO_TENANT_ID).patch([{ op: "add", path: "/timeZone", value: "Pacific/Auckland" }]);
    const tab = await megan.get("/api/v1/usage/summary?period=30d&groupBy=day");
    expect(tab.body.period).toMatchObject({
      firstDay: "2026-11-09",
      lastDay: "2026-12-08",
      timeZone: "Pacific/Auckland",
      from: "2026-11-08T11:00:00.000Z",
      to: "2026-12-08T11:00:00.000Z",
    });
    const card = await botUsageCard(app.url, connector, NOW);
    expect((card.body as { text?: string }[])[1].text).toContain("Nov 9, 2026");
  });
});
