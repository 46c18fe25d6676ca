/**
 * Issue 10: runway and recommended settings from the day rollups (hand-computed figures), the
 * card-expiry warning, the toll-fraud guard's rules at authorize, one spend_spike event per spike,
 * and the zero-balance impact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DayDelta } from "../../api/src/usage/rollups.js";
import type { TestWorld } from "../support/world.js";
import { fundedContoso } from "../support/recharge.js";
import { ApiClient, usd } from "../support/http.js";
import type { ManualClock } from "../../api/src/shared/clock.js";
import type { App } from "../../api/src/app.js";
import { call, userId } from "./usage-fixtures.js";
import { renderNotificationCard, type NotificationCardEvent } from "../../bot/src/cards/notification-card.js";

/** What a notification's card says, in a reader's language. */
const cardText = (event: NotificationCardEvent, locale: "en" | "fr") => JSON.stringify(renderNotificationCard(event, { locale, tabUrl: "https://teams.example/tab" }));

const CONTOSO = "11111111-1111-4111-8111-111111111111";
const LEE = userId("lee@contoso.example");
const DIEGO = userId("diego@contoso.example");

/** A day's credits spend, as ingestion would have rolled it up. */
function day(date: string, micros: number, byUser: Record<string, number> = {}): DayDelta {
  const tally = { calls: 1, minutes: 1, chargeMicros: micros };
  return {
    day: date,
    currency: "USD",
    ...tally,
    byUser: Object.fromEntries(Object.entries(byUser).map(([id, m]) => [id, { calls: 1, minutes: 1, chargeMicros: m, upn: "", displayName: "" }])),
    byDestination: {},
    byCallType: { user_out: tally },
    byChargedTo: { credits: tally },
  };
}

async function seed(app: App, days: DayDelta[], tag = "a") {
  for (const d of days) await app.services.usage.ingestor.rollups.apply(CONTOSO, `seed-${tag}:${d.day}`, new Map([[d.day, d]]));
}

describe("forecast and recommendation", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, clock, megan } = await fundedContoso({ settings: null, start: "2026-03-02T12:00:00.000Z", fundsUnits: 100 })));
  afterAll(() => world.close());

  it("answers nulls and the reason while there is under 7 days of usage", async () => {
    await seed(app, [day("2026-02-25", usd(50)), day("2026-02-27", usd(10))]);
    const forecast = (await megan.get("/api/v1/account/forecast")).body;
    // From the first day with usage (25 Feb) to yesterday (1 Mar): 5 days.
    expect(forecast).toMatchObject({ currency: "USD", basisDays: 5, dailySpendMicros: null, runwayDays: null, depletesAt: null, nextRechargeAt: null, rechargesPerMonth: null });
    expect(forecast.reason).toContain("5 of the 7 days");
    const rec = (await megan.get("/api/v1/account/recommendation")).body;
    expect(rec).toMatchObject({ thresholdMicros: null, amountMicros: null, basis: { days: 5 } });
  });

  it("computes runway, depletion date and the recommendation from the rollups", async () => {
    // 20 Feb – 1 Mar: 10, 12, 8, 10, 30, (25 Feb: 50 from above), 9, (27 Feb: 10 from above + 1), 10, 20.
    await seed(
      app,
      [
        day("2026-02-20", usd(10)),
        day("2026-02-21", usd(12)),
        day("2026-02-22", usd(8)),
        day("2026-02-23", usd(10)),
        day("2026-02-24", usd(30)),
        day("2026-02-26", usd(9)),
        day("2026-02-27", usd(1)),
        day("2026-02-28", usd(10)),
        day("2026-03-01", usd(20)),
      ],
      "b",
    );
    // Today (2 Mar) is not over and does not count; nor does anything before the 30-day window.
    await seed(app, [day("2026-03-02", usd(500)), day("2026-01-30", usd(900))], "b");
    // Spend per day: 10 12 8 10 30 50 9 11 10 20 = 170 over 10 days → 17.00 a day.
    const forecast = (await megan.get("/api/v1/account/forecast")).body;
    expect(forecast).toEqual({
      currency: "USD",
      basisDays: 10,
      dailySpendMicros: usd(17),
      runwayDays: 5.9, // 100 / 17 = 5.88
      depletesAt: new Date(Date.parse("2026-03-02T12:00:00.000Z") + (100 / 17) * 86_400_000).toISOString(),
      nextRechargeAt: null,
      rechargesPerMonth: null,
    });
    const rec = (await megan.get("/api/v1/account/recommendation")).body;
    // p95 of 10 days (nearest rank: the 10th smallest) = 50.00 → threshold 3 × 50 = 150.00; amount 14 × 17 = 238.00.
    expect(rec).toMatchObject({
      currency: "USD",
      thresholdMicros: usd(150),
      amountMicros: usd(238),
      basis: { days: 10, p95DailySpendMicros: usd(50), avgDailySpendMicros: usd(17) },
      rule: { minBasisDays: 7, fixDays: 3, amountDays: 14, minPurchaseMicros: usd(50) },
    });
    expect(rec.why).toContain("$150.00");
    expect(rec.why).toContain("$238.00");
  });

  it("with auto-recharge on: the next recharge and recharges per month instead of a depletion date", async () => {
    await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(68), thresholdMicros: usd(32) });
    const forecast = (await megan.get("/api/v1/account/forecast")).body;
    // (100 − 32) / 17 = 4 days to the threshold; 30 × 17 / 68 = 7.5 recharges a month.
    expect(forecast).toMatchObject({ dailySpendMicros: usd(17), runwayDays: 5.9, depletesAt: null, nextRechargeAt: "2026-03-06T12:00:00.000Z", rechargesPerMonth: 7.5 });
  });

  it("warns once per card and month when the default card expires before the next recharge or within 30 days", async () => {
    const card = (await megan.get("/api/v1/account")).body.paymentMethod;
    const expiringCount = async () => (await megan.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === "card_expiring");
    await app.services.jobs.runNow();
    expect(await expiringCount()).toHaveLength(0); // far from its expiry now
    // Ten days before the end of its expiry month.
    clock.set(new Date(Date.UTC(card.expYear, card.expMonth, 1) - 10 * 86_400_000).toISOString());
    await app.services.jobs.runNow();
    clock.advance(2 * 3_600_000); // the job looks again (at most hourly): same card, same month
    await app.services.jobs.runNow();
    const told = await expiringCount();
    expect(told).toHaveLength(1);
    expect(told[0].data).toMatchObject({ paymentMethod: "Visa •••• 4242", expMonth: card.expMonth, expYear: card.expYear });
    // Facts, not sentences: the card words them in each reader's language.
    expect(told[0].data).not.toHaveProperty("message");
    expect(cardText(told[0], "en")).toContain("The default card Visa •••• 4242 expires at the end of");
    expect(cardText(told[0], "fr")).toContain("La carte par défaut Visa •••• 4242 expire");
  });
});

describe("the toll-fraud guard", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  const authorize = (userId: string, number: string, callType = "user_out") => megan.post("/api/v1/calls/authorize", { userId, callType, number });
  beforeAll(async () => ({ world, app, clock, megan } = await fundedContoso({ settings: null, start: "2026-03-02T12:00:00.000Z", fundsUnits: 500 })));
  afterAll(() => world.close());

  const put = (body: Record<string, unknown>) =>
    megan.put("/api/v1/guard", { blockedCountries: [], blockedPrefixes: [], blockPremiumRate: true, domesticOnly: false, perUserDailyCapMicros: null, spikeFactor: 5, ...body });

  it("starts with premium-rate and satellite ranges blocked and nothing else", async () => {
    expect((await megan.get("/api/v1/guard")).body).toEqual({
      blockedCountries: [],
      blockedPrefixes: [],
      blockPremiumRate: true,
      domesticOnly: false,
      perUserDailyCapMicros: null,
      spikeFactor: 5,
      exceptions: [],
    });
    expect((await authorize(LEE, "+447700900123")).body).toMatchObject({ allowed: true });
    // +44 90x is premium rate in the UK: priced by the card as a UK number, refused by the guard.
    expect((await authorize(LEE, "+449012345678")).body).toMatchObject({ allowed: false, reason: "destination_blocked" });
    expect((await put({ blockPremiumRate: false })).status).toBe(200);
    expect((await authorize(LEE, "+449012345678")).body).toMatchObject({ allowed: true });
  });

  it("the calling policy is the voice admins' too, its money setting is not; bad codes are refused with the field", async () => {
    const adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    expect((await adele.get("/api/v1/guard")).status).toBe(200);
    // Issue 22: a Teams Communications Administrator owns calling and toll fraud.
    const current = (await megan.get("/api/v1/guard")).body;
    expect((await adele.put("/api/v1/guard", current)).status).toBe(200);
    expect((await adele.put("/api/v1/guard", { ...current, perUserDailyCapMicros: 1_000_000 })).status).toBe(403);
    const bad = await put({ blockedCountries: ["Britain"] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("blockedCountries/0");
    expect((await put({ blockedPrefixes: ["882"] })).status).toBe(400);
    expect((await put({ spikeFactor: 1 })).status).toBe(400);
  });

  it("blocks countries and prefixes", async () => {
    expect((await put({ blockedCountries: ["gb"] })).body.blockedCountries).toEqual(["GB"]);
    expect((await authorize(LEE, "+447700900123")).body).toMatchObject({ allowed: false, reason: "destination_blocked" });
    expect((await authorize(LEE, "+33142685300")).body).toMatchObject({ allowed: true });
    await put({ blockedPrefixes: ["+331"] });
    expect((await authorize(LEE, "+33142685300")).body).toMatchObject({ allowed: false, reason: "destination_blocked" });
    expect((await authorize(LEE, "+33612345678")).body).toMatchObject({ allowed: true });
    // Inbound calls and emergency calls are never refused by the guard.
    expect((await authorize(LEE, "+331", "user_in")).body.reason).not.toBe("destination_blocked");
  });

  it("domestic-only refuses every call abroad, not those at home", async () => {
    await put({ domesticOnly: true });
    expect((await authorize(LEE, "+33612345678")).body).toMatchObject({ allowed: false, reason: "domestic_only" });
    expect((await authorize(LEE, "+12065550100")).body).toMatchObject({ allowed: true });
    expect((await authorize(LEE, "911")).body).toMatchObject({ allowed: true });
  });

  it("a user past the daily cap may not make calls charged to the balance; others may", async () => {
    await put({ perUserDailyCapMicros: usd(5) });
    await seed(app, [day("2026-03-02", usd(6), { [LEE]: usd(6) })]);
    expect((await authorize(LEE, "+33612345678")).body).toMatchObject({ allowed: false, reason: "user_cap_reached" });
    expect((await authorize(DIEGO, "+33612345678")).body).toMatchObject({ allowed: true });
    // A call the calling plan covers draws nothing from the balance: the cap does not apply.
    expect((await authorize(LEE, "+12065550100")).body).toMatchObject({ allowed: true, perMinuteMicros: 0 });
    // Tomorrow the cap starts again.
    clock.advance(86_400_000);
    expect((await authorize(LEE, "+33612345678")).body).toMatchObject({ allowed: true });
  });

  it("the card buttons' use cases: restrict to domestic, block a destination (audited)", async () => {
    await put({});
    const actor = { id: "a1f0c0de-0000-4000-8000-000000000003", upn: "lee@contoso.example" };
    await app.services.guard.restrictToDomestic(CONTOSO, actor);
    await app.services.guard.blockDestination(CONTOSO, actor, "fr");
    expect((await megan.get("/api/v1/guard")).body).toMatchObject({ domesticOnly: true, blockedCountries: ["FR"] });
    const { resources: audit } = await app.world.store.containers.audit.items.query({ query: "SELECT * FROM c WHERE STARTSWITH(c.action, 'guard.')" }).fetchAll();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["guard.updated", "guard.domestic_only", "guard.destination_blocked"]));
  });
});

describe("spend spikes and zero-balance impact", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => ({ world, megan } = await fundedContoso({ settings: null, start: "2026-03-02T12:00:00.000Z", fundsUnits: 500 })));
  afterAll(() => world.close());

  const spikes = async () => (await megan.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === "spend_spike");

  it("an ordinary hour raises nothing", async () => {
    const res = await megan.postMoney("/api/v1/usage/records", {
      records: [call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 600, start: "2026-03-02T11:20:00.000Z" })],
    });
    expect(res.body.accepted).toBe(1);
    expect(await spikes()).toHaveLength(0);
  });

  it("one spend_spike event per spike, for the user and for the destination", async () => {
    // Five parallel 50-minute calls to a UK mobile (0.10 a minute): 25.00 in the hour, no baseline.
    const burst = Array.from({ length: 5 }, () => call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 3000, start: "2026-03-02T11:05:00.000Z" }));
    const res = await megan.postMoney("/api/v1/usage/records", { records: burst });
    expect(res.body.chargedMicros).toBe(usd(25));
    const more = await megan.postMoney("/api/v1/usage/records", {
      records: [call({ upn: "lee@contoso.example", to: "+447700900124", seconds: 600, start: "2026-03-02T11:40:00.000Z" })],
    });
    expect(more.body.accepted).toBe(1);
    const events = await spikes();
    expect(events).toHaveLength(2);
    const user = events.find((e: { data: { upn: string | null } }) => e.data.upn !== null);
    const destination = events.find((e: { data: { upn: string | null } }) => e.data.upn === null);
    // 1.00 from the ordinary call + 25.00 of the burst.
    expect(user.data).toMatchObject({ upn: "lee@contoso.example", destinationCountry: null, amountMicros: usd(26), baselineMicros: 0, currency: "USD" });
    expect(destination.data).toMatchObject({ destinationCountry: "GB", destinationName: "United Kingdom", amountMicros: usd(26), currency: "USD" });
    expect(user.data).not.toHaveProperty("messageFr");
    expect(cardText(user, "en")).toContain("lee@contoso.example spent $26.00");
    expect(cardText(user, "fr")).toMatch(/26,00\s\$US/);
    expect(cardText(destination, "en")).toContain("Calls to United Kingdom cost $26.00");
  });

  it("impact: what a zero balance would have refused in the last 30 days", async () => {
    const rows = [
      call({ callType: "conf_in", to: "+18005550100", seconds: 600, start: "2026-03-01T10:00:00.000Z", inventoryType: "Toll Free" }),
      call({ callType: "conf_in", to: "+18005550100", seconds: 120, start: "2026-03-01T11:00:00.000Z", inventoryType: "Toll Free" }),
      call({ upn: "diego@contoso.example", callType: "user_in", to: "+18885550199", seconds: 60, start: "2026-03-01T12:00:00.000Z", inventoryType: "Toll Free" }),
      call({ upn: "diego@contoso.example", to: "+33612345678", seconds: 60, start: "2026-03-01T13:00:00.000Z" }),
      call({ upn: "diego@contoso.example", to: "+12065550100", seconds: 60, start: "2026-03-01T14:00:00.000Z" }), // domestic: in the plan
      call({ upn: "lee@contoso.example", to: "+4930123456", seconds: 60, start: "2026-01-01T13:00:00.000Z" }), // older than 30 days
    ];
    expect((await megan.postMoney("/api/v1/usage/records", { records: rows })).body.accepted).toBe(6);
    const impact = (await megan.get("/api/v1/account/impact")).body;
    expect(impact).toEqual({
      basisDays: 30,
      tollFree: [
        { number: "+18005550100", calls: 2, minutes: 12 },
        { number: "+18885550199", calls: 1, minutes: 1 },
      ],
      conferenceDialOut: { calls: 0, minutes: 0 },
      // Lee's 7 UK calls of the spike test and Diego's call to France.
      international: { calls: 8, users: 2 },
      beyondPlan: { calls: 0, users: 0 },
    });
  });
});
