/**
 * Every button of every card kind, pressed as Teams presses it: an `adaptiveCard/action` invoke
 * POSTed to the bot's real endpoint /api/messages, through the real CloudAdapter and Teams AI
 * routes, into the API's use cases. For each press: the effect, read back through the REST API
 * (balance, recharge, guard) and the audit log, and the card afterwards: the presser's answer and
 * every delivered copy (personal chats and the admin channel, updated by the notifier) say who did
 * what, and its buttons are gone. Events come from the real flows (funding, auto-recharge, the
 * breaker, an expired card, a threshold crossing); the two that need days of history or a card
 * about to expire (spend_spike, card_expiring) are written to the outbox as their producers write
 * them. Every card seen is also checked by Microsoft's rules (schema 1.5 and the renderer).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { expectExactLedger } from "../support/ledger.js";
import { cardProblems } from "../support/adaptive-cards.js";
import { t, type NotificationKind } from "@cc/common";
import type { App } from "../../api/src/app.js";
import type { LocalBotConnector, SentActivity } from "../../api/src/local/bot/local-bot-connector.js";
import { until } from "../support/until.js";

type Card = Record<string, unknown>;
type Action = { type: string; title: string; verb?: string; url?: string; data?: Record<string, unknown>; card?: Card };
type Person = { id: string; aadObjectId: string; name: string };

const MEGAN: Person = { id: "29:megan", aadObjectId: "a1f0c0de-0000-4000-8000-000000000001", name: "Megan Bowen" };
const ADELE: Person = { id: "29:adele", aadObjectId: "a1f0c0de-0000-4000-8000-000000000002", name: "Adele Vance" };
const LEE: Person = { id: "29:lee", aadObjectId: "a1f0c0de-0000-4000-8000-000000000003", name: "Lee Gu" };
const TEAM = { id: "19:team-finance@thread.tacv2", name: "Finance" };
const CHANNEL = { id: "19:finance-alerts@thread.tacv2", name: "Alerts" };
const personal = (p: Person) => `a:local-${p.aadObjectId}`;

const cardOf = (s: SentActivity) => ((s.activity.attachments as { content: Card }[] | undefined) ?? [])[0]?.content;
const eventIdOf = (card: Card | undefined) => JSON.stringify(card ?? {}).match(/"eventId":"([^"]+)"/)?.[1];

/** The buttons a person sees: the card's actions, and those inside an Action.ShowCard (fallbacks are the same buttons for older clients). */
function buttonsOf(card: Card | undefined): Action[] {
  const top = ((card?.actions ?? []) as Action[]).map((a) => ({ ...a }));
  return top.flatMap((a) => (a.type === "Action.ShowCard" ? [a, ...buttonsOf(a.card)] : [a]));
}

describe("every button of every card acts, and the card then says who did what", () => {
  let world: TestWorld;
  let app: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;
  let visaId: string;
  /** Every card the bot sent or answered with, for Microsoft's rules at the end. */
  const seen: { where: string; card: Card }[] = [];
  /** kind → button titles offered on its first copy, and those pressed. */
  const offered = new Map<string, Set<string>>();
  const pressed = new Map<string, Set<string>>();
  /** The Universal Actions refresh of the first recharge_failed card's channel copy, as delivered. */
  let refreshOfChannelCopy: { action: Action; userIds: string[] };

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    connector = localBotConnector(app);
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    visaId = (await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).body.id;
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    await app.settle();
    // An admin channel: every later event is posted there too, with a Universal Actions refresh.
    expect((await say(MEGAN, "channel", "notify here")).text).toContain("now gets");
  });
  afterAll(() => world.close());

  /** A message from a person, as Teams posts it; answers the text the bot replied with. */
  async function say(from: Person, where: "personal" | "channel", text: string) {
    const before = connector.sent().length;
    const conversation =
      where === "channel"
        ? { id: `${CHANNEL.id};messageid=${Date.now()}`, conversationType: "channel", tenantId: CONTOSO_TENANT_ID, isGroup: true }
        : { id: personal(from), conversationType: "personal", tenantId: CONTOSO_TENANT_ID };
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        text: where === "channel" ? `<at>Credits</at> ${text}` : text,
        channelId: "msteams",
        serviceUrl: connector.url,
        id: `msg-${Math.random()}`,
        timestamp: new Date().toISOString(),
        locale: "en-US",
        from,
        recipient: { id: "28:credits-bot", name: "Credits" },
        conversation,
        entities: where === "channel" ? [{ type: "mention", text: "<at>Credits</at>", mentioned: { id: "28:credits-bot", name: "Credits" } }] : [],
        channelData: { tenant: { id: CONTOSO_TENANT_ID }, ...(where === "channel" ? { team: TEAM, channel: CHANNEL } : {}) },
      }),
    });
    expect(res.status).toBeLessThan(300);
    const sent = connector
      .sent()
      .slice(before)
      .filter((s) => s.conversationId.split(";")[0] === conversation.id.split(";")[0]);
    const cards = sent.map(cardOf).filter((c): c is Card => c !== undefined);
    for (const card of cards) seen.push({ where: `reply to ${text}`, card });
    return { text: sent.map((s) => String(s.activity.text ?? "")).join("\n"), cards };
  }

  /** Press a button as Teams does (Action.Execute → invoke); the inputs are what the person typed. */
  async function press(who: Person, conversationId: string, kind: string, action: Action, inputs: Record<string, unknown> = {}, locale = "en-US") {
    (pressed.get(kind) ?? pressed.set(kind, new Set()).get(kind)!).add(action.title);
    const channel = conversationId === CHANNEL.id;
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "invoke",
        name: "adaptiveCard/action",
        channelId: "msteams",
        serviceUrl: connector.url,
        id: `inv-${Math.random()}`,
        locale,
        from: who,
        recipient: { id: "28:credits-bot" },
        conversation: { id: conversationId, conversationType: channel ? "channel" : "personal", tenantId: CONTOSO_TENANT_ID },
        channelData: { tenant: { id: CONTOSO_TENANT_ID }, ...(channel ? { team: TEAM, channel: CHANNEL } : {}) },
        value: { action: { type: "Action.Execute", verb: action.verb, data: { ...(action.data ?? {}), ...inputs } } },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; value: unknown };
    const card = body.type === "application/vnd.microsoft.card.adaptive" ? (body.value as Card) : undefined;
    if (card) seen.push({ where: `answer to ${kind} ${action.title}`, card });
    return { card, text: card ? JSON.stringify(card) : String(body.value) };
  }

  /**
   * The delivered copies of the first event of `kind` sent since `from` (personal chats and the
   * channel), found by the card's title: a card without buttons carries no event id (only the
   * channel copy's refresh does).
   */
  async function copiesOf(kind: NotificationKind, count = 4, from = 0) {
    // Each copy in its reader's language (Lee's chat turns French once Lee writes in French).
    const titles = [`"text":"${t("en", `cards.title.${kind}`)}"`, `"text":"${t("fr", `cards.title.${kind}`)}"`];
    // Up to 45 s: Teams' pacing (60 sends per conversation per 30 s) can hold a copy back that long
    // after this file's earlier cards to the same chats.
    const copies = await until(
      () =>
        connector
          .sent()
          .slice(from)
          .filter((s) => titles.some((t) => JSON.stringify(cardOf(s) ?? {}).includes(t))),
      (c) => c.length >= count,
      45_000,
    );
    expect(copies.map((s) => s.conversationId.split(";")[0]).sort(), `${kind} copies`).toEqual(
      [personal(MEGAN), personal(ADELE), personal(LEE), ...(count > 3 ? [CHANNEL.id] : [])].sort(),
    );
    // Megan's copy (English), whichever copy the connector received first: Lee's may be French.
    const first = cardOf(copies.find((c) => c.conversationId.startsWith(personal(MEGAN)))!)!;
    if (!offered.has(kind)) offered.set(kind, new Set(buttonsOf(first).map((b) => b.title)));
    for (const copy of copies) seen.push({ where: `${kind} copy to ${copy.conversationId}`, card: cardOf(copy)! });
    const eventId = copies.map((c) => eventIdOf(cardOf(c))).find(Boolean) ?? "";
    return { copies, eventId, card: first, button: (title: string) => buttonsOf(first).find((b) => b.title === title)! };
  }

  /** After an action: every copy was updated in place to say it, and shows no button any more. */
  async function expectCopiesSay(delivered: SentActivity[], sentence: string, phrase: RegExp = /^$/) {
    const says = (s: SentActivity) => {
      const card = cardOf(s)!;
      return card.lang === "fr" ? phrase.test(JSON.stringify(card)) : JSON.stringify(card).includes(sentence);
    };
    const ids = new Set(delivered.map((s) => s.activityId));
    const copies = await until(
      () => connector.sent().filter((s) => ids.has(s.activityId)),
      (c) => c.length === ids.size && c.every((s) => s.updates >= 1 && says(s)),
    );
    expect(copies.map((s) => s.conversationId.split(";")[0]).sort()).toEqual([personal(MEGAN), personal(ADELE), personal(LEE), CHANNEL.id].sort());
    for (const copy of copies) {
      expect(says(copy), `${copy.conversationId}: ${JSON.stringify(cardOf(copy))}`).toBe(true);
      expect(copy.updates).toBeGreaterThanOrEqual(1);
      expect(buttonsOf(cardOf(copy))).toEqual([]);
      seen.push({ where: `updated copy to ${copy.conversationId}`, card: cardOf(copy)! });
    }
  }

  const account = async () => (await megan.get("/api/v1/account")).body;
  const audited = async (action: string) => {
    const { resources } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.action = @action", parameters: [{ name: "@action", value: action }] })
      .fetchAll();
    return resources.map((r: { actor: { upn: string } }) => r.actor.upn);
  };
  const debit = async (units: number) => {
    expect((await megan.postMoney("/api/dev/debit", { amountMicros: usd(units) })).status).toBe(201);
    await app.settle();
  };
  const openUrl = (kind: string, action: Action) => {
    (pressed.get(kind) ?? pressed.set(kind, new Set()).get(kind)!).add(action.title);
    // An Action.OpenUrl is the client's: it opens the Credits tab, where the payment method and auto-recharge are managed.
    expect(action.type).toBe("Action.OpenUrl");
    expect(action.url).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/entity\/[^/]+\/credits$/);
  };

  it("Funds added and Auto-recharge succeeded: told to every admin and the channel, with no button", async () => {
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) })).status).toBe(200);
    await debit(90); // 100 → 10: a recharge of 50.00
    const succeeded = await copiesOf("recharge_succeeded");
    expect(buttonsOf(succeeded.card)).toEqual([]);
    const funded = await copiesOf("funds_added", 3);
    expect(buttonsOf(funded.card)).toEqual([]);
    expect((await account()).balanceMicros).toBe(usd(60));
  });

  it("Auto-recharge failed: Retry now charges again (billing only), each failed try its own card; Update payment method opens the tab", async () => {
    // A card that fails twice (processing errors), then succeeds.
    const flaky = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclinedProcessingError" });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: flaky.body.id });
    await app.settle();
    let from = connector.sent().length;
    await debit(50); // 60 → 10: try 1 fails
    const failed = await copiesOf("recharge_failed", 4, from);
    expect([...offered.get("recharge_failed")!]).toEqual(["Retry now", "Update payment method"]);
    openUrl("recharge_failed", failed.button("Update payment method"));
    // Kept as delivered: the channel copy's update (after someone acted) needs no refresh any more.
    refreshOfChannelCopy = structuredClone(cardOf(failed.copies.find((c) => c.conversationId === CHANNEL.id)!)!.refresh as { action: Action; userIds: string[] });

    const charges = world.sandbox.charges().length;
    const refused = await press(ADELE, personal(ADELE), "recharge_failed", failed.button("Retry now"));
    expect(refused.text).toContain("Adele Vance tried: Only Global and Billing Administrators can do this.");
    expect(buttonsOf(refused.card).map((b) => b.title)).toEqual(["Retry now", "Update payment method"]);
    expect(world.sandbox.charges().length).toBe(charges);

    from = connector.sent().length;
    const retried = await press(MEGAN, personal(MEGAN), "recharge_failed", failed.button("Retry now"));
    expect(retried.text).toContain("Megan Bowen retried the recharge.");
    expect(buttonsOf(retried.card)).toEqual([]);
    expect((await account()).lastRecharge).toMatchObject({ tries: 2, status: "retry_scheduled" });
    await expectCopiesSay(failed.copies, "Megan Bowen retried the recharge.");
    // Try 2 failed too: its own card, with its own Retry now.
    const again = await copiesOf("recharge_failed", 4, from);
    expect(again.eventId).not.toBe(failed.eventId);
    const done = await press(LEE, personal(LEE), "recharge_failed", again.button("Retry now"));
    expect(done.text).toContain("Lee Gu retried the recharge.");
    await app.settle();
    expect(await account()).toMatchObject({ balanceMicros: usd(60), lastRecharge: { status: "succeeded", tries: 3 } });
    expect(await audited("recharge.retry_requested")).toEqual(["megan@contoso.example", "lee@contoso.example"]);
    await expectCopiesSay(again.copies, "Lee Gu retried the recharge.");
    // A press on a copy someone already acted on runs nothing and shows who did it.
    const late = await press(LEE, personal(LEE), "recharge_failed", failed.button("Retry now"));
    expect(late.text).toContain("Megan Bowen retried the recharge.");
    expect((await account()).lastRecharge.tries).toBe(3);
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: visaId });
  });

  it("Auto-recharge paused: Resume auto-recharge lifts the pause and the recharge happens at once", async () => {
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20), maxRechargesPerDay: 1 })).status).toBe(200);
    const from = connector.sent().length;
    await debit(50); // 60 → 10: the breaker (1 a day, 2 made) pauses
    expect((await account()).autoRecharge.paused).not.toBeNull();
    const paused = await copiesOf("recharge_paused", 4, from);
    expect([...offered.get("recharge_paused")!]).toEqual(["Resume auto-recharge"]);

    const refused = await press(ADELE, personal(ADELE), "recharge_paused", paused.button("Resume auto-recharge"));
    expect(refused.text).toContain("Only Global and Billing Administrators");
    expect((await account()).autoRecharge.paused).not.toBeNull();

    const done = await press(MEGAN, personal(MEGAN), "recharge_paused", paused.button("Resume auto-recharge"));
    expect(done.text).toContain("Megan Bowen resumed auto-recharge.");
    await app.settle();
    expect(await account()).toMatchObject({ balanceMicros: usd(60), autoRecharge: { paused: null } });
    expect(await audited("auto_recharge.resumed")).toEqual(["megan@contoso.example"]);
    await expectCopiesSay(paused.copies, "Megan Bowen resumed auto-recharge.");
  });

  it("Balance low and balance at zero: Add funds asks an amount, confirms it and charges it once; Turn on auto-recharge opens the tab", async () => {
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(50), thresholdMicros: usd(20) })).status).toBe(200);
    let from = connector.sent().length;
    await debit(45); // 60 → 15: below 20 with auto-recharge off
    const low = await copiesOf("balance_low", 4, from);
    from = connector.sent().length;
    await debit(15); // 15 → 0
    const depleted = await copiesOf("balance_depleted", 4, from);
    for (const kind of ["balance_low", "balance_depleted"]) expect([...offered.get(kind)!]).toEqual(["Add funds", "Continue", "Turn on auto-recharge"]);
    openUrl("balance_low", low.button("Turn on auto-recharge"));
    openUrl("balance_depleted", depleted.button("Turn on auto-recharge"));
    // Add funds is an Action.ShowCard: the client opens it (no invoke) and shows the amount and Continue.
    pressed.get("balance_low")!.add("Add funds");
    pressed.get("balance_depleted")!.add("Add funds");
    expect(JSON.stringify(low.button("Add funds").card)).toContain('"id":"amount"');

    const asked = await press(MEGAN, personal(MEGAN), "balance_low", low.button("Continue"), { amount: "75" });
    expect(asked.text).toContain("Charge $75.00");
    const confirm = buttonsOf(asked.card)[0]!;
    offered.set("add-funds confirmation", new Set([confirm.title]));
    expect(confirm).toMatchObject({ verb: "confirm_add_funds", data: { amountMicros: usd(75), eventId: low.eventId } });
    expect(Object.keys(confirm.data!)).not.toContain("key");
    const charges = world.sandbox.charges().length;
    const [done, twice] = await Promise.all([press(MEGAN, personal(MEGAN), "add-funds confirmation", confirm), press(MEGAN, personal(MEGAN), "add-funds confirmation", confirm)]);
    expect(done.text).toContain("Done: $75.00 added. The balance is now $75.00.");
    expect(twice.text).toContain("$75.00");
    expect(world.sandbox.charges().length - charges).toBe(1);
    expect((await account()).balanceMicros).toBe(usd(75));
    await expectCopiesSay(low.copies, "Megan Bowen added $75.00.");

    // Lee reads French: the answers are in French; the copies keep each reader's language.
    const demande = await press(LEE, personal(LEE), "balance_depleted", depleted.button("Continue"), { amount: "60" }, "fr-FR");
    expect(demande.text).toMatch(/Débiter 60,00\s\$US/);
    offered.get("add-funds confirmation")!.add(buttonsOf(demande.card)[0]!.title);
    const fait = await press(LEE, personal(LEE), "add-funds confirmation", buttonsOf(demande.card)[0]!, {}, "fr-FR");
    expect(fait.text).toMatch(/C'est fait : 60,00\s\$US ajoutés\. Le solde est maintenant de 135,00\s\$US\./);
    expect((await account()).balanceMicros).toBe(usd(135));
    await expectCopiesSay(depleted.copies, "Lee Gu added $60.00.", /Lee Gu a ajouté 60,00\s\$US\./);
    const entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.ref.startsWith("card-funding:")).map((e) => e.amountMicros)).toEqual([usd(75), usd(60)]);
  });

  it("Payment card expiring: Update payment method opens the tab", async () => {
    const from = connector.sent().length;
    // As Forecasts.warnExpiringCards writes it for a card within 30 days of its expiry.
    await app.services.outbox.emit(CONTOSO_TENANT_ID, "card_expiring", `${visaId}:2026-12`, { paymentMethod: "Visa •••• 4242", expMonth: 12, expYear: 2026, expired: false });
    const expiring = await copiesOf("card_expiring", 4, from);
    expect([...offered.get("card_expiring")!]).toEqual(["Update payment method"]);
    openUrl("card_expiring", expiring.button("Update payment method"));
  });

  it("Unusual calling spend: Block this destination and Restrict to domestic change the guard (billing only), audited", async () => {
    const spike = (hour: string) => ({ upn: null, destinationCountry: "CU", destinationName: "Cuba", amountMicros: usd(84), baselineMicros: usd(6), currency: "USD", hour });
    // As Guard.watchSpikes writes them: one event per destination and hour.
    let from = connector.sent().length;
    await app.services.outbox.emit(CONTOSO_TENANT_ID, "spend_spike", "destination:CU:2026-12-07T10", spike("10"));
    const first = await copiesOf("spend_spike", 4, from);
    from = connector.sent().length;
    await app.services.outbox.emit(CONTOSO_TENANT_ID, "spend_spike", "destination:CU:2026-12-07T11", spike("11"));
    const second = await copiesOf("spend_spike", 4, from);
    expect([...offered.get("spend_spike")!]).toEqual(["Restrict to domestic", "Block this destination"]);
    const guard = async () => (await megan.get("/api/v1/guard")).body;
    const before = await guard();

    const refused = await press(ADELE, personal(ADELE), "spend_spike", first.button("Block this destination"));
    expect(refused.text).toContain("Only Global and Billing Administrators");
    expect(await guard()).toEqual(before);

    const blocked = await press(MEGAN, personal(MEGAN), "spend_spike", first.button("Block this destination"));
    expect(blocked.text).toContain("Megan Bowen blocked this destination.");
    expect((await guard()).blockedCountries).toEqual(["CU"]);
    expect(await audited("guard.destination_blocked")).toEqual(["megan@contoso.example"]);
    await expectCopiesSay(first.copies, "Megan Bowen blocked this destination.", /Megan Bowen a bloqué cette destination\./);

    const restricted = await press(LEE, personal(LEE), "spend_spike", second.button("Restrict to domestic"));
    expect(restricted.text).toContain("Lee Gu restricted calling to domestic numbers.");
    expect((await guard()).domesticOnly).toBe(true);
    expect(await audited("guard.domestic_only")).toEqual(["lee@contoso.example"]);
    await expectCopiesSay(second.copies, "Lee Gu restricted calling to domestic numbers.", /Lee Gu a limité les appels aux numéros nationaux\./);
  });

  it("the channel's copies: an admin's client refreshes them (Universal Actions) and gets the current card", async () => {
    const refresh = refreshOfChannelCopy.action;
    expect(refreshOfChannelCopy.userIds).toEqual(expect.arrayContaining([MEGAN.aadObjectId, ADELE.aadObjectId, LEE.aadObjectId]));
    const current = await press(MEGAN, CHANNEL.id, "channel refresh", { ...refresh, title: "refresh" });
    expect(current.text).toContain("Megan Bowen retried the recharge.");
  });

  it("top up 100: the confirmation's Charge $100.00 charges once, however often it is pressed", async () => {
    const asked = await say(MEGAN, "personal", "top up 100");
    const confirmCard = asked.cards[0]!;
    offered.set("top-up confirmation", new Set(buttonsOf(confirmCard).map((b) => b.title)));
    const charge = buttonsOf(confirmCard)[0]!;
    expect(charge).toMatchObject({ title: "Charge $100.00", verb: "confirm_top_up", data: { amountMicros: usd(100) } });
    const balance = (await account()).balanceMicros;
    const charges = world.sandbox.charges().length;
    const [a, b] = await Promise.all([press(MEGAN, personal(MEGAN), "top-up confirmation", charge), press(MEGAN, personal(MEGAN), "top-up confirmation", charge)]);
    expect(a.text).toContain("Done: $100.00 added.");
    expect(b.text).toContain("Done: $100.00 added.");
    expect(buttonsOf(a.card)).toEqual([]);
    expect(world.sandbox.charges().length - charges).toBe(1);
    expect((await account()).balanceMicros).toBe(balance + usd(100));
  });

  it("the balance and usage cards are read-only: no button", async () => {
    await app.settle();
    await app.services.notifier?.settle();
    for (const command of ["balance", "usage 7d"]) {
      const answer = await say(MEGAN, "personal", command);
      expect(answer.cards).toHaveLength(1);
      expect(buttonsOf(answer.cards[0])).toEqual([]);
    }
  });

  it("every button offered on every card kind was pressed", () => {
    expect([...offered.keys()].sort()).toEqual(
      [
        "add-funds confirmation",
        "balance_depleted",
        "balance_low",
        "card_expiring",
        "funds_added",
        "recharge_failed",
        "recharge_paused",
        "recharge_succeeded",
        "spend_spike",
        "top-up confirmation",
      ].sort(),
    );
    for (const [kind, buttons] of offered) expect([...(pressed.get(kind) ?? [])].sort(), kind).toEqual([...buttons].sort());
  });

  it("every card sent or answered is valid by Microsoft's rules (Adaptive Cards 1.5 schema and renderer)", () => {
    expect(seen.length).toBeGreaterThan(40);
    const broken = seen.map(({ where, card }) => ({ where, problems: cardProblems(card).problems })).filter((c) => c.problems.length > 0);
    expect(broken).toEqual([]);
  });
});
