/**
 * Notifications end to end over real HTTP: outbox events delivered by the notifier through the
 * real botbuilder CloudAdapter to the local Bot Connector, recipients read through the real Graph
 * client from the local directory, card actions POSTed to /api/messages as Teams sends invokes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import type { LocalBotConnector, SentActivity } from "../../api/src/local/bot/local-bot-connector.js";
import { until } from "../support/until.js";

const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";
const ADELE = "a1f0c0de-0000-4000-8000-000000000002";
const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004";
const LYNNE = "a1f0c0de-0000-4000-8000-000000000005";

const cardOf = (s: SentActivity) => ((s.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;
const eventIdOf = (s: SentActivity) => JSON.stringify(cardOf(s) ?? {}).match(/"eventId":"([^"]+)"/)?.[1];

describe("notifications reach the right admins as actionable cards", () => {
  let world: TestWorld;
  let app: App;
  let second: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    second = await world.app();
    connector = localBotConnector(app);
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    const expired = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclinedExpiredCard" });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: expired.body.id });
    await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
  });
  afterAll(() => world.close());

  const cardsOf = (kind: string) => connector.sent().filter((s) => JSON.stringify(cardOf(s) ?? {}).includes(`"eventId":"${kind}:`));

  it("an expired-card recharge gives exactly one recharge_failed card to megan, adele and lee, none to diego or lynne", async () => {
    await megan.postMoney("/api/dev/debit", { amountMicros: usd(90) });
    await app.settle();
    // Both instances deliver; each card still goes once.
    await Promise.all([app.services.jobs.runNow(), second.services.jobs.runNow()]);
    const failed = await until(
      () => cardsOf("recharge_failed"),
      (c) => c.length >= 3,
    );
    await Promise.all([app.services.notifier?.settle(), second.services.notifier?.settle()]);
    expect(
      cardsOf("recharge_failed")
        .map((s) => s.conversationId)
        .sort(),
    ).toEqual([`a:local-${MEGAN}`, `a:local-${ADELE}`, `a:local-${LEE}`].sort());
    expect(connector.sent().some((s) => s.conversationId.includes(DIEGO) || s.conversationId.includes(LYNNE))).toBe(false);
    const text = JSON.stringify(cardOf(failed[0]));
    expect(text).toContain("Visa •••• 0069 has expired");
    expect(text).toContain("Retry now");
    const notes = (await megan.get("/api/v1/notifications?limit=100")).body.items;
    const note = notes.find((n: { kind: string }) => n.kind === "recharge_failed");
    // One line per recipient and channel (API.md v1.2): the chat card, and for this urgent kind the activity feed ping.
    const lines = (channel: string) =>
      note.recipients
        .filter((r: { channel: string }) => r.channel === channel)
        .map((r: { upn: string; status: string }) => `${r.upn}:${r.status}`)
        .sort();
    expect(lines("teams_chat")).toEqual(["adele@contoso.example:sent", "lee@contoso.example:sent", "megan@contoso.example:sent"]);
    expect(lines("activity_feed")).toEqual(["adele@contoso.example:sent", "lee@contoso.example:sent", "megan@contoso.example:sent"]);
    // Role members were read page by page through Graph.
    expect(world.graph.requests().some((r) => r.includes("directoryRoles(roleTemplateId=") && r.includes("skiptoken"))).toBe(true);
  });

  it("Retry now from one copy updates every copy and charges once, however many copies are pressed", async () => {
    const copies = cardsOf("recharge_failed");
    const eventId = eventIdOf(copies[0])!;
    const charges = world.sandbox.charges().length;
    const invoke = (userId: string, conversationId: string) =>
      fetch(`${app.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "invoke",
          name: "adaptiveCard/action",
          channelId: "msteams",
          serviceUrl: connector.url,
          id: `inv-${Math.random()}`,
          from: { id: `29:${userId}`, aadObjectId: userId },
          recipient: { id: "28:credits-bot" },
          conversation: { id: conversationId, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
          channelData: { tenant: { id: CONTOSO_TENANT_ID } },
          value: { action: { type: "Action.Execute", verb: "retry_recharge", data: { eventId } } },
        }),
      });
    const [a, b] = await Promise.all([invoke(MEGAN, `a:local-${MEGAN}`), invoke(LEE, `a:local-${LEE}`)]);
    expect(a.status).toBe(200);
    const body = (await a.json()) as { type: string; value: Record<string, unknown> };
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(body.value)).toContain("retried the recharge");
    expect(b.status).toBe(200);
    await app.settle();
    // The expired card is tried once more (one processor call), not twice.
    expect(world.sandbox.charges().length - charges).toBeLessThanOrEqual(1);
    const updated = cardsOf("recharge_failed").filter((s) => eventIdOf(s) === eventId);
    expect(updated.every((s) => s.updates >= 1 && JSON.stringify(cardOf(s)).includes("retried the recharge"))).toBe(true);
  });

  it("a non-admin's card action is refused politely and changes nothing", async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "invoke",
        name: "adaptiveCard/action",
        channelId: "msteams",
        serviceUrl: connector.url,
        id: "inv-diego",
        from: { id: "29:diego", aadObjectId: DIEGO },
        recipient: { id: "28:credits-bot" },
        conversation: { id: "a:diego", conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
        channelData: { tenant: { id: CONTOSO_TENANT_ID } },
        value: { action: { type: "Action.Execute", verb: "confirm_top_up", data: { amountMicros: usd(100), idempotencyKey: "k-diego" } } },
      }),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain("Only admins");
  });

  it("a recipient with no installation gets one after the Graph install call, through a 429", async () => {
    await app.services.installations.remove(CONTOSO_TENANT_ID, `user:${LEE}`);
    const visa = (await megan.get("/api/v1/payment-methods")).body.items.find((pm: { last4: string }) => pm.last4 === "4242");
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: visa.id });
    await app.settle();
    await app.services.notifier?.settle();
    connector.throttleNext(1, 1);
    const funded = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(60) });
    expect(funded.status).toBe(201);
    await app.settle();
    const fundsAdded = async () => (await megan.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === "funds_added");
    const [note] = await until(fundsAdded, (all) => all.length === 2 && all[0].recipients.every((r: { status: string }) => r.status !== "pending"));
    const status = Object.fromEntries(note.recipients.map((r: { upn: string; status: string }) => [r.upn, r.status]));
    expect(status).toMatchObject({ "megan@contoso.example": "sent", "lee@contoso.example": "sent", "adele@contoso.example": "sent" });
    expect(world.graph.installedApps(CONTOSO_TENANT_ID)).toContain(LEE);
    expect(await app.services.installations.personal(CONTOSO_TENANT_ID, LEE)).toBeDefined();
    // The 429 was waited out and the card still went once per recipient.
    expect(connector.requests().filter((r) => r.startsWith("POST")).length).toBeGreaterThan(0);
    const meganFunds = connector.sent().filter((s) => s.conversationId === `a:local-${MEGAN}` && JSON.stringify(cardOf(s) ?? {}).includes("Funds added"));
    expect(meganFunds).toHaveLength(2);
  });

  it("a 403 or 404 from a send removes the installation, then the card goes through a new 1:1 chat; a blocked bot is not_installed", async () => {
    const fundsNotes = async () => (await megan.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === "funds_added");
    const visa = (await megan.get("/api/v1/payment-methods")).body.items.find((pm: { last4: string }) => pm.last4 === "4242");
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: visa.id });
    await app.settle();
    const before = (await fundsNotes()).length;
    const installedBefore = await app.services.installations.personal(CONTOSO_TENANT_ID, MEGAN);
    expect(installedBefore).toBeDefined();
    connector.refuseConversation(`a:local-${MEGAN}`, "roster");
    connector.refuseConversation(`a:local-${ADELE}`, "gone");
    connector.refuseConversation(`a:local-${LEE}`, "blocked");
    const requestsBefore = connector.requests().length;
    const sentBefore = connector.sent().length;
    const savedAtBefore = installedBefore!.savedAt;
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(201);
    await app.settle();
    const [note] = await until(fundsNotes, (all) => all.length === before + 1 && all[0].recipients.every((r: { status: string }) => r.status !== "pending"));
    const status = Object.fromEntries(
      note.recipients
        .filter((r: { channel: string }) => r.channel === "teams_chat")
        .map((r: { upn: string; status: string; reasonCode?: string }) => [r.upn, `${r.status}${r.reasonCode ? `:${r.reasonCode}` : ""}`]),
    );
    expect(status).toEqual({ "megan@contoso.example": "sent", "adele@contoso.example": "sent", "lee@contoso.example": "not_installed:blocked" });
    // Teams cannot reach lee (he blocked the bot): the e-mail does.
    expect(note.recipients.filter((r: { channel: string }) => r.channel === "email").map((r: { upn: string; status: string }) => `${r.upn}:${r.status}`)).toEqual([
      "lee@contoso.example:sent",
    ]);
    // Each refused send was followed by a new conversation, then a send that landed.
    const log = connector.requests().slice(requestsBefore);
    expect(log.filter((r) => r === "POST /v3/conversations").length).toBeGreaterThanOrEqual(3);
    // megan and adele: the removed installation was saved again from the new conversation; lee's is gone.
    const meganNow = await app.services.installations.personal(CONTOSO_TENANT_ID, MEGAN);
    expect(meganNow?.savedAt).not.toBe(savedAtBefore);
    expect(await app.services.installations.personal(CONTOSO_TENANT_ID, ADELE)).toBeDefined();
    expect(await app.services.installations.personal(CONTOSO_TENANT_ID, LEE)).toBeUndefined();
    const landed = connector.sent().slice(sentBefore);
    expect(landed.map((s) => s.conversationId).sort()).toEqual([`a:local-${MEGAN}`, `a:local-${ADELE}`].sort());
  });
});
