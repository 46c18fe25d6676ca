/**
 * Alerts people trust (issue 22, item 4), over real HTTP with cards observed at the local Bot
 * Connector: an alert a recharge under way will resolve is held and folded into the recharge's
 * card; a failed recharge releases it; no card offers what is already done; several low-balance
 * thresholds, each crossing told once per descent, the highest when several are crossed at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import type { LocalBotConnector, SentActivity } from "../../api/src/local/bot/local-bot-connector.js";
import { until } from "../support/until.js";

const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";
const ADELE = "a1f0c0de-0000-4000-8000-000000000002";
const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const ADMINS = [`a:local-${MEGAN}`, `a:local-${ADELE}`, `a:local-${LEE}`].sort();

const cardOf = (s: SentActivity) => ((s.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;
const debit = (client: ApiClient, units: number) => client.postMoney("/api/dev/debit", { amountMicros: usd(units) });

async function contoso(token: string) {
  const world = await startWorld();
  const app = await world.app();
  const connector = localBotConnector(app);
  const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
  await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
  await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
  if (token !== "tok_visa") {
    const pm = await megan.post("/api/v1/payment-methods", { token });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: pm.body.id });
  }
  return { world, app, connector, megan };
}

async function delivered(app: App): Promise<void> {
  await app.settle();
  await app.services.jobs.runNow();
  await app.services.notifier?.settle();
}

describe("a debit that crosses zero while auto-recharge (a working card) is on", () => {
  let world: TestWorld;
  let app: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;
  beforeAll(async () => {
    ({ world, app, connector, megan } = await contoso("tok_visa"));
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(100), thresholdMicros: usd(20) })).status).toBe(200);
  });
  afterAll(() => world.close());

  const cardsOf = (kind: string) => connector.sent().filter((s) => JSON.stringify(cardOf(s) ?? {}).includes(`"eventId":"${kind}:`));

  it("gives no 'balance at zero' card, and one card to each admin that tells the dip and the recharge", async () => {
    expect((await debit(megan, 149.96)).status).toBe(201); // 100.00 → −49.96; a recharge of 100.00 brings it to 50.04
    await delivered(app);
    // A card without buttons carries no event id: the recharge's card is known by what it says.
    const told = () => connector.sent().filter((s) => JSON.stringify(cardOf(s) ?? {}).includes("The balance dipped to zero (-$49.96) and was restored by a recharge of $100.00."));
    const succeeded = await until(told, (c) => c.length >= 3);
    await delivered(app);
    expect(cardsOf("balance_depleted")).toEqual([]);
    expect(
      told()
        .map((s) => s.conversationId)
        .sort(),
    ).toEqual(ADMINS);
    // Each admin got that one card after the funds-added one, and nothing else.
    for (const admin of ADMINS) expect(connector.sent().filter((s) => s.conversationId === admin)).toHaveLength(2);
    expect(JSON.stringify(cardOf(succeeded[0]))).not.toContain("Turn on auto-recharge");
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(50.04));
    // The held event is kept, told to nobody, with what resolved it.
    const notes = (await megan.get("/api/v1/notifications?limit=100")).body.items as { kind: string; recipients: unknown[]; channels: unknown[] }[];
    const zero = notes.filter((n) => n.kind === "balance_depleted");
    expect(zero).toHaveLength(1);
    expect(zero[0].recipients).toEqual([]);
    expect(notes.filter((n) => n.kind === "recharge_succeeded")).toHaveLength(1);
  });

  it("stays untold: a later delivery round sends nothing more", async () => {
    const before = connector.sent().length;
    await app.services.jobs.runNow();
    await app.services.notifier?.settle();
    expect(connector.sent().length).toBe(before);
  });
});

describe("a debit that crosses zero while auto-recharge is on with an expired card", () => {
  let world: TestWorld;
  let app: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;
  beforeAll(async () => {
    ({ world, app, connector, megan } = await contoso("tok_chargeDeclinedExpiredCard"));
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(100), thresholdMicros: usd(20) })).status).toBe(200);
  });
  afterAll(() => world.close());

  it("releases the held zero card when the recharge fails, and the card does not offer to turn on auto-recharge (it is on)", async () => {
    await debit(megan, 149.96);
    await delivered(app);
    const zero = await until(
      () => connector.sent().filter((s) => JSON.stringify(cardOf(s) ?? {}).includes('"eventId":"balance_depleted:')),
      (c) => c.length >= 3,
    );
    expect(zero.map((s) => s.conversationId).sort()).toEqual(ADMINS);
    const text = JSON.stringify(cardOf(zero[0]));
    expect(text).toContain("Add funds");
    expect(text).not.toContain("Turn on auto-recharge");
    expect(connector.sent().some((s) => JSON.stringify(cardOf(s) ?? {}).includes('"eventId":"recharge_failed:'))).toBe(true);
  });
});

describe("several low-balance thresholds", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => {
    ({ world, app, megan } = await contoso("tok_visa"));
    // Auto-recharge off, its amount kept at 100.00: 50 %, 25 % and 10 % of it are 50.00, 25.00 and 10.00.
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(100), thresholdMicros: usd(20) })).status).toBe(200);
  });
  afterAll(() => world.close());

  const lows = async () =>
    ((await megan.get("/api/v1/notifications?limit=100")).body.items as { kind: string; at: string; data: { thresholdMicros: number; balanceAfterMicros: number } }[])
      .filter((n) => n.kind === "balance_low")
      .reverse()
      .map((n) => [n.data.thresholdMicros, n.data.balanceAfterMicros]);

  it("are kept in the notification settings, at most five, each a percentage or an amount", async () => {
    const current = (await megan.get("/api/v1/notification-settings")).body;
    expect(current.lowBalanceThresholds).toEqual([]);
    const put = await megan.put("/api/v1/notification-settings", {
      kinds: {},
      channels: [],
      lowBalanceThresholds: [{ percentOfRecharge: 50 }, { percentOfRecharge: 25 }, { percentOfRecharge: 10 }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.lowBalanceThresholds).toEqual([{ percentOfRecharge: 50 }, { percentOfRecharge: 25 }, { percentOfRecharge: 10 }]);
    // A PUT that leaves them out keeps them; bad ones are refused in words.
    expect((await megan.put("/api/v1/notification-settings", { kinds: {}, channels: [] })).body.lowBalanceThresholds).toHaveLength(3);
    const six = Array.from({ length: 6 }, (_, i) => ({ amountMicros: usd(i + 1) }));
    expect((await megan.put("/api/v1/notification-settings", { kinds: {}, channels: [], lowBalanceThresholds: six })).status).toBe(400);
    expect((await megan.put("/api/v1/notification-settings", { kinds: {}, channels: [], lowBalanceThresholds: [{ percentOfRecharge: 150 }] })).status).toBe(400);
    const adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    const diego = await ApiClient.signIn(app.url, "diego@contoso.example");
    expect((await diego.put("/api/v1/notification-settings", { kinds: {}, channels: [], lowBalanceThresholds: [] })).status).toBe(403);
    expect((await adele.get("/api/v1/notification-settings")).body.lowBalanceThresholds).toHaveLength(3);
  });

  it("tell each crossing once per descent, and only the highest when one debit crosses several", async () => {
    await debit(megan, 45); // 100 → 55: none crossed
    await debit(megan, 10); // 55 → 45: 50.00
    await debit(megan, 1); // 45 → 44: still below 50.00, nothing new
    await debit(megan, 30); // 44 → 14: 25.00
    await debit(megan, 10); // 14 → 4: 10.00
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }); // 4 → 54: above all three again
    await debit(megan, 50); // 54 → 4: crosses 50, 25 and 10 at once: only 50.00
    await app.settle();
    expect(await lows()).toEqual([
      [usd(50), usd(45)],
      [usd(25), usd(14)],
      [usd(10), usd(4)],
      [usd(50), usd(4)],
    ]);
  });

  it("a debit that crosses zero too says zero only", async () => {
    await debit(megan, 10); // 4 → −6: below 10.00 already; zero is crossed
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(60) }); // −6 → 54
    await debit(megan, 60); // 54 → −6: crosses 50, 25, 10 and zero: the zero card only
    await app.settle();
    expect(await lows()).toHaveLength(4);
    const zero = ((await megan.get("/api/v1/notifications?limit=100")).body.items as { kind: string }[]).filter((n) => n.kind === "balance_depleted");
    expect(zero).toHaveLength(2);
  });
});
