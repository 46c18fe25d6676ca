/**
 * Issue 20 end to end, through the real Microsoft Graph client against the local Graph: e-mail when
 * Teams cannot reach an admin (once, in their language, MIME with a text and an HTML part), the
 * activity feed for urgent kinds (replaced by the good news, same chainId), and nobody told shown
 * on the account and in check-ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID, DEMO_TENANTS, FABRIKAM_TENANT_ID, type DemoTenant } from "@cc/common";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { until } from "../support/until.js";
import type { App } from "../../api/src/app.js";
import type { SentActivity } from "../../api/src/local/bot/local-bot-connector.js";
import { checkLedger } from "../../api/src/reconciliation/check-ledger.js";
import { DeliverByEmail } from "../../api/src/notifications/deliver-by-email.js";
import type { OutboxEvent } from "../../api/src/notifications/outbox.js";
import type { DeliveryDoc } from "../../api/src/notifications/delivery-record.js";
import { pino } from "pino";

const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";
const ADELE = "a1f0c0de-0000-4000-8000-000000000002";
const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const NESTOR = "b2f0c0de-0000-4000-8000-000000000001";

/** The demo directory, with adele reading French (Graph preferredLanguage fr-FR). */
const tenants: DemoTenant[] = DEMO_TENANTS.map((t) => ({ ...t, users: t.users.map((u) => (u.id === ADELE ? { ...u, preferredLanguage: "fr-FR" } : u)) }));

const cardOf = (s: SentActivity) => ((s.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;
type Line = { upn: string; status: string; channel: string; reasonCode?: string; reason?: string };

describe("reach every notified admin: e-mail when Teams cannot, the activity feed for what is urgent", () => {
  let world: TestWorld;
  let app: App;
  let second: App;
  let megan: ApiClient;

  const notes = async (client: ApiClient, kind: string) => (await client.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === kind);
  const settled = (all: { id: string; recipients: Line[] }[]) => all.length > 0 && all[0].recipients.length > 0 && all[0].recipients.every((r) => r.status !== "pending");

  beforeAll(async () => {
    world = await startWorld({ tenants });
    app = await world.app();
    second = await world.app();
    // Contoso's app permission policy refuses the app for adele: she has no chat, and Graph answers 403 to installing it.
    world.graph.refuseInstallFor([ADELE, NESTOR]);
    await app.services.installations.remove(CONTOSO_TENANT_ID, `user:${ADELE}`);
    await app.services.installations.remove(FABRIKAM_TENANT_ID, `user:${NESTOR}`);
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    const expired = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclinedExpiredCard" });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: expired.body.id });
    await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    await app.settle();
    await app.services.notifier?.settle();
  });
  afterAll(() => world.close());

  it("an expired-card recharge: megan and lee get a chat card, adele one e-mail in French, and each card-holder one feed item", async () => {
    const connector = localBotConnector(app);
    const mailsBefore = world.graph.mails(CONTOSO_TENANT_ID).length;
    // Exchange throttles the first try: the Graph client waits Retry-After and sends again; still one e-mail.
    world.graph.throttleNext("sendMail", 1, 1);
    await megan.postMoney("/api/dev/debit", { amountMicros: usd(90) });
    await app.settle();
    const [note] = await until(() => notes(megan, "recharge_failed"), settled, 20_000);
    const lines = (note.recipients as Line[]).map((r) => `${r.upn}:${r.channel}:${r.status}`).sort();
    expect(lines).toEqual([
      "adele@contoso.example:email:sent",
      "adele@contoso.example:teams_chat:not_installed",
      "lee@contoso.example:activity_feed:sent",
      "lee@contoso.example:teams_chat:sent",
      "megan@contoso.example:activity_feed:sent",
      "megan@contoso.example:teams_chat:sent",
    ]);
    // Why adele was reached by e-mail is on her lines.
    expect((note.recipients as Line[]).find((r) => r.upn.startsWith("adele") && r.channel === "teams_chat")?.reasonCode).toBe("app_install_refused");
    // As a code the tab words: the raw answers of Graph stay in the logs.
    expect((note.recipients as Line[]).every((r) => r.reason === undefined)).toBe(true);
    const cards = connector.sent().filter((s) => JSON.stringify(cardOf(s) ?? {}).includes('"eventId":"recharge_failed:'));
    expect(cards.map((s) => s.conversationId).sort()).toEqual([`a:local-${MEGAN}`, `a:local-${LEE}`].sort());

    const mails = world.graph.mails(CONTOSO_TENANT_ID).slice(mailsBefore);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.format).toBe("mime");
    expect(mail.from).toBe("credits@contoso.example");
    expect(mail.to).toEqual(["adele@contoso.example"]);
    expect(mail.subject).toBe("La recharge automatique a échoué — Contoso");
    // Same facts as the card, in French, to the cent: the amount, the reason in words, what stops at zero.
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain("50,00\u00a0$US");
      expect(part).toContain("La carte a expiré.");
      expect(part).toMatch(/s'arrête|s&#39;arrête/);
      expect(part).toContain("Administrateur des communications Teams");
    }
    // The action opens the tab on the overview in Teams; the footer links the notification settings.
    expect(mail.html).toContain(`https://teams.microsoft.com/l/entity/00000000-0000-4000-8000-0000000c7ed1/credits?context=${encodeURIComponent('{"subEntityId":"overview"}')}`);
    expect(mail.text).toContain(encodeURIComponent('{"subEntityId":"notifications"}'));
    expect(mail.text).not.toContain("<");

    const feed = world.graph.feedItems(CONTOSO_TENANT_ID).filter((f) => f.activityType === "rechargeFailed");
    expect(feed.map((f) => f.userId).sort()).toEqual([MEGAN, LEE].sort());
    expect(new Set(feed.map((f) => f.chainId)).size).toBe(1);
    expect(feed[0].text).toBe("Auto-recharge of $50.00 failed: The card has expired.");
    expect(feed[0].webUrl).toContain("/l/entity/");
  });

  it("a retried delivery never sends a second e-mail (rounds on two instances, and an event whose release was lost)", async () => {
    const [note] = await notes(megan, "recharge_failed");
    const mails = world.graph.mails(CONTOSO_TENANT_ID).length;
    const feed = world.graph.feedItems(CONTOSO_TENANT_ID).length;
    // As if the instance died after sending and before recording the event as delivered.
    const outbox = app.world.store.containers.outbox;
    const { resource } = await outbox.item(note.id, CONTOSO_TENANT_ID).read();
    await outbox.items.upsert({ ...resource, deliveredAt: null, leaseUntil: null, nextAttemptAt: null });
    await Promise.all([app.services.jobs.runNow(), second.services.jobs.runNow()]);
    await Promise.all([app.services.notifier?.settle(), second.services.notifier?.settle()]);
    const { resource: after } = await outbox.item(note.id, CONTOSO_TENANT_ID).read();
    expect(after.deliveredAt).not.toBeNull();
    expect(world.graph.mails(CONTOSO_TENANT_ID).length).toBe(mails);
    expect(world.graph.feedItems(CONTOSO_TENANT_ID).length).toBe(feed);
  });

  it("a try cut off between sending and recording (the record still says sending) is never sent again", async () => {
    const sent: string[] = [];
    const mail = { send: async (_t: string, m: { to: { address: string } }) => void sent.push(m.to.address), organizationName: async () => "Contoso" };
    const logger = pino({ level: "silent" });
    const byEmail = new DeliverByEmail(app.world.store.containers.outbox, mail, app.services.clock, logger, {
      senderMailbox: "credits@contoso.example",
      tabUrl: "https://teams.microsoft.com/l/entity/x/credits",
    });
    const event = {
      id: "balance_depleted:cut-off",
      tenantId: CONTOSO_TENANT_ID,
      kind: "balance_depleted",
      at: new Date().toISOString(),
      data: { currency: "USD", balanceAfterMicros: 0 },
      recipients: [],
      channels: [],
      deliveredAt: null,
      sortKey: "",
    } as unknown as OutboxEvent;
    const user = { id: ADELE, upn: "adele@contoso.example", displayName: "Adele Vance", preferredLanguage: "fr-FR" };
    const teams = { status: "not_installed", reason: "app_install_refused", locale: "fr" } as DeliveryDoc;
    // The first try: sent and recorded.
    expect((await byEmail.call(event, user, teams)).status).toBe("sent");
    expect((await byEmail.call(event, user, teams)).status).toBe("sent");
    expect(sent).toEqual(["adele@contoso.example"]);
    // A process that died after Graph accepted the mail leaves `sending`: the next round does not send.
    const other = { ...event, id: "balance_depleted:cut-off-2" } as OutboxEvent;
    await app.world.store.containers.outbox.items.create({
      id: `delivery:${other.id}:${ADELE}:email`,
      tenantId: CONTOSO_TENANT_ID,
      type: "delivery",
      eventId: other.id,
      recipient: { kind: "user", userId: ADELE, upn: user.upn },
      channel: "email",
      status: "pending",
      reason: "sending",
      attempts: 1,
      locale: "fr",
      updatedAt: new Date().toISOString(),
    });
    const unknown = await byEmail.call(other, user, teams);
    expect(unknown.status).toBe("failed");
    expect(unknown.reason).toContain("not sent again");
    expect(sent).toEqual(["adele@contoso.example"]);
  });

  it("a later successful recharge replaces each feed item (same chainId); good news alone pings nobody", async () => {
    const failedChain = world.graph.feedItems(CONTOSO_TENANT_ID).find((f) => f.activityType === "rechargeFailed")!.chainId;
    const visa = (await megan.get("/api/v1/payment-methods")).body.items.find((pm: { last4: string }) => pm.last4 === "4242");
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: visa.id });
    await app.settle();
    // A new default card retries the failed recharge by itself; Retry now finds nothing left, or retries it.
    const retried = await megan.postMoney("/api/v1/account/recharge/retry", {});
    expect([200, 409]).toContain(retried.status);
    await app.settle();
    await until(() => notes(megan, "recharge_succeeded"), settled, 20_000);
    await app.services.notifier?.settle();
    const resolved = world.graph.feedItems(CONTOSO_TENANT_ID).filter((f) => f.activityType === "situationResolved");
    expect(resolved.map((f) => f.userId).sort()).toEqual([MEGAN, LEE].sort());
    expect(resolved.every((f) => f.chainId === failedChain)).toBe(true);
    expect(resolved[0].text).toBe("Resolved: auto-recharge of $50.00 succeeded");
    // Nobody is pinged again for the next good news: the chain is closed.
    const before = world.graph.feedItems(CONTOSO_TENANT_ID).length;
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) });
    await app.settle();
    await until(
      () => notes(megan, "funds_added"),
      (all) => all.length >= 2 && settled(all),
      20_000,
    );
    expect(world.graph.feedItems(CONTOSO_TENANT_ID).length).toBe(before);
  });

  it("a tenant turns the feed off: urgent events still go by chat (and e-mail), no feed item", async () => {
    const settings = (await megan.get("/api/v1/notification-settings")).body;
    expect(settings.activityFeed).toBe(true);
    const off = await megan.put("/api/v1/notification-settings", { kinds: {}, channels: [], activityFeed: false });
    expect(off.body.activityFeed).toBe(false);
    const before = world.graph.feedItems(CONTOSO_TENANT_ID).length;
    const expired = (await megan.get("/api/v1/payment-methods")).body.items.find((pm: { last4: string }) => pm.last4 !== "4242");
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: expired.id });
    const balance = (await megan.get("/api/v1/account")).body.balanceMicros as number;
    await megan.postMoney("/api/dev/debit", { amountMicros: balance - usd(5) });
    await app.settle();
    const all = await until(
      () => notes(megan, "recharge_failed"),
      (n) => n.length >= 2 && settled(n),
      20_000,
    );
    expect(all[0].recipients.map((r: Line) => r.channel).sort()).toEqual(["email", "teams_chat", "teams_chat", "teams_chat"]);
    expect(world.graph.feedItems(CONTOSO_TENANT_ID).length).toBe(before);
    await megan.put("/api/v1/notification-settings", { kinds: {}, channels: [], activityFeed: true });
  });

  it("a tenant where nobody can be reached: the account warns in facts and check-ledger reports it", async () => {
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    expect((await nestor.get("/api/v1/account")).body.unreachedEvents).toEqual([]);
    await nestor.post("/api/v1/payment-methods", { token: "tok_visa" });
    await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(50) });
    await nestor.postMoney("/api/dev/debit", { amountMicros: usd(50) });
    await app.settle();
    const [depleted] = await until(() => notes(nestor, "balance_depleted"), settled, 20_000);
    // The chat is refused by policy, and the sender mailbox is Contoso's: Exchange refuses it for Fabrikam (403).
    expect(depleted.recipients.map((r: Line) => `${r.channel}:${r.status}`).sort()).toEqual(["email:failed", "teams_chat:not_installed"]);
    const account = (await nestor.get("/api/v1/account")).body;
    expect(account.unreachedEvents).toHaveLength(1);
    const [warning] = account.unreachedEvents;
    expect(warning).toMatchObject({ eventId: depleted.id, kind: "balance_depleted" });
    expect(warning.tried.map((r: Line) => `${r.upn}:${r.channel}:${r.status}`).sort()).toEqual([
      "nestor@fabrikam.example:email:failed",
      "nestor@fabrikam.example:teams_chat:not_installed",
    ]);
    expect(Object.fromEntries(warning.tried.map((r: Line) => [r.channel, r.reasonCode]))).toEqual({ teams_chat: "app_install_refused", email: "mailbox_forbidden" });
    expect(JSON.stringify(account.unreachedEvents)).not.toMatch(/"reason"|credits@contoso|Forbidden/);
    // Contoso, whose admins were reached, has no warning.
    expect((await megan.get("/api/v1/account")).body.unreachedEvents).toEqual([]);

    const report = await checkLedger(app.world.store, app.world.processor, { tenantId: FABRIKAM_TENANT_ID });
    const delivery = report.verdicts.find((v) => v.invariant === "outbox_accounted_for")!;
    expect(delivery.ok).toBe(false);
    expect(delivery.breaches).toContainEqual(
      expect.objectContaining({ code: "event_unreached", facts: expect.objectContaining({ eventId: depleted.id, kind: "balance_depleted" }) }),
    );
    expect(delivery.breaches.flatMap((b) => b.tried ?? [])).toContainEqual(
      expect.objectContaining({ upn: "nestor@fabrikam.example", channel: "teams_chat", status: "not_installed" }),
    );
    const contoso = await checkLedger(app.world.store, app.world.processor, { tenantId: CONTOSO_TENANT_ID });
    expect(contoso.verdicts.find((v) => v.invariant === "outbox_accounted_for")!.breaches).toEqual([]);

    // The warning stays until an urgent event reaches someone again; an older event finished late changes nothing.
    const reach = app.services.unreachedEvents;
    const told = {
      id: "recharge_failed:later",
      kind: "recharge_failed" as const,
      deliveredAt: new Date().toISOString(),
      recipients: [{ upn: "nestor@fabrikam.example", status: "sent" as const, channel: "email" as const, attempts: 1 }],
      channels: [],
    };
    await reach.record(FABRIKAM_TENANT_ID, { ...told, at: "2000-01-01T00:00:00.000Z" });
    expect(await reach.call(FABRIKAM_TENANT_ID)).toHaveLength(1);
    await reach.record(FABRIKAM_TENANT_ID, { ...told, at: new Date(Date.now() + 1000).toISOString() });
    expect((await nestor.get("/api/v1/account")).body.unreachedEvents).toEqual([]);
  });
});
