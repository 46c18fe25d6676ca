/**
 * Every chat command over /api/messages through the real CloudAdapter, replies landing on the local
 * Bot Connector: an admin (megan, Billing Administrator) and a non-admin (diego), in a personal
 * chat, a group chat and a team channel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import type { LocalBotConnector, SentActivity } from "../../api/src/local/bot/local-bot-connector.js";

const MEGAN = { id: "29:megan", aadObjectId: "a1f0c0de-0000-4000-8000-000000000001", name: "Megan Bowen" };
const DIEGO = { id: "29:diego", aadObjectId: "a1f0c0de-0000-4000-8000-000000000004", name: "Diego Siciliani" };
const TEAM = { id: "19:team-finance@thread.tacv2", name: "Finance" };
const CHANNEL = { id: "19:finance-alerts@thread.tacv2", name: "Alerts" };

type Where = { kind: "personal" | "groupChat" | "channel"; id: string };

describe("chat commands", () => {
  let world: TestWorld;
  let app: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    connector = localBotConnector(app);
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(123) });
    await app.settle();
  });
  afterAll(() => world.close());

  /** POST one activity as Teams does and return what the bot sent because of it (by conversation). */
  async function say(from: typeof MEGAN, where: Where, text: string, extra: Record<string, unknown> = {}) {
    const before = connector.sent().length;
    const mention = where.kind === "personal" ? "" : "<at>Credits</at> ";
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        text: `${mention}${text}`,
        channelId: "msteams",
        serviceUrl: connector.url,
        id: `act-${Math.random()}`,
        timestamp: new Date().toISOString(),
        locale: "en-US",
        from,
        recipient: { id: "28:credits-bot", name: "Credits" },
        conversation: {
          id: where.kind === "channel" ? `${where.id};messageid=${Date.now()}` : where.id,
          conversationType: where.kind,
          tenantId: CONTOSO_TENANT_ID,
          ...(where.kind === "personal" ? {} : { isGroup: true }),
        },
        entities: mention ? [{ type: "mention", text: "<at>Credits</at>", mentioned: { id: "28:credits-bot", name: "Credits" } }] : [],
        channelData: { tenant: { id: CONTOSO_TENANT_ID }, ...(where.kind === "channel" ? { team: TEAM, channel: CHANNEL } : {}) },
        ...extra,
      }),
    });
    expect(res.status).toBeLessThan(300);
    const sent = connector.sent().slice(before);
    const inHere = sent.filter((s) => s.conversationId.split(";")[0] === where.id);
    return { sent, here: inHere, privately: sent.filter((s) => s.conversationId === `a:local-${from.id}`), text: inHere.map((s) => String(s.activity.text ?? "")).join("\n") };
  }
  const card = (s: SentActivity | undefined) => ((s?.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;
  const cards = (list: SentActivity[]) => list.map(card).filter(Boolean) as Record<string, unknown>[];

  async function invoke(from: typeof MEGAN, conversationId: string, verb: string, data: Record<string, unknown>) {
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "invoke",
        name: "adaptiveCard/action",
        channelId: "msteams",
        serviceUrl: connector.url,
        id: `inv-${Math.random()}`,
        from,
        recipient: { id: "28:credits-bot" },
        conversation: { id: conversationId, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
        channelData: { tenant: { id: CONTOSO_TENANT_ID } },
        value: { action: { type: "Action.Execute", verb, data } },
      }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { type: string; value: unknown };
  }

  const shownBalance = async () => `$${((await megan.get("/api/v1/account")).body.balanceMicros / 1_000_000).toFixed(2)}`;
  const megan1to1: Where = { kind: "personal", id: "a:megan-chat" };
  const diego1to1: Where = { kind: "personal", id: "a:diego-chat" };

  it("balance: the admin gets the card; the non-admin is told politely and sees no money", async () => {
    const admin = await say(MEGAN, megan1to1, "balance");
    expect(JSON.stringify(cards(admin.here))).toContain("$123.00");
    const other = await say(DIEGO, diego1to1, "balance");
    expect(cards(other.sent)).toEqual([]);
    expect(other.text).toContain("Only admins");
    expect(JSON.stringify(other.sent)).not.toContain("123.00");
  });

  it("usage 7d: the admin gets the usage card; the non-admin is refused", async () => {
    const admin = await say(MEGAN, megan1to1, "usage 7d");
    expect(JSON.stringify(cards(admin.here))).toContain("Calling usage");
    expect((await say(MEGAN, megan1to1, "usage forever")).text).toContain("usage 7d");
    const other = await say(DIEGO, diego1to1, "usage 7d");
    expect(cards(other.sent)).toEqual([]);
    expect(other.text).toContain("Only admins");
  });

  it("top up 100: a confirmation card, then one charge however often Confirm is clicked", async () => {
    const asked = await say(MEGAN, megan1to1, "top up 100");
    const confirm = cards(asked.here)[0];
    expect(JSON.stringify(confirm)).toContain("Charge $100.00");
    expect(JSON.stringify(confirm)).toContain("Visa •••• 4242"); // as people name the card, not the processor's "visa"
    const action = (confirm.actions as { verb: string; data: Record<string, unknown> }[])[0];
    expect(action.verb).toBe("confirm_top_up");
    const charges = world.sandbox.charges().length;
    // A double click: the same card's data twice, at once.
    const [a, b] = await Promise.all([invoke(MEGAN, megan1to1.id, action.verb, action.data), invoke(MEGAN, megan1to1.id, action.verb, action.data)]);
    await app.settle();
    expect(a.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(a.value)).toContain("$223.00");
    expect(JSON.stringify(b.value)).toContain("$223.00");
    expect(world.sandbox.charges().length - charges).toBe(1);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(223));
    // Nothing to confirm before the card: a non-admin is refused and no card is offered.
    const other = await say(DIEGO, diego1to1, "top up 100");
    expect(cards(other.sent)).toEqual([]);
    expect(other.text).toContain("Only admins");
    const refused = await invoke(DIEGO, diego1to1.id, action.verb, { ...action.data, idempotencyKey: "diego-key" });
    expect(JSON.stringify(refused)).toContain("Only admins");
    expect(world.sandbox.charges().length - charges).toBe(1);
  });

  it("auto-recharge on 50 below 20, then off", async () => {
    const on = await say(MEGAN, megan1to1, "auto-recharge on 50 below 20");
    expect(on.text).toContain("Auto-recharge is on");
    expect((await megan.get("/api/v1/account")).body.autoRecharge).toMatchObject({ enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    const off = await say(MEGAN, megan1to1, "auto-recharge off");
    expect(off.text).toContain("Auto-recharge is off");
    expect((await megan.get("/api/v1/account")).body.autoRecharge.enabled).toBe(false);
    expect((await say(MEGAN, megan1to1, "auto-recharge sometimes")).text).toContain("auto-recharge on 100 below 20");
    // An amount past what the money parser takes is answered with the usage line, not an error.
    expect((await say(MEGAN, megan1to1, "auto-recharge on 99999999999999 below 20")).text).toContain("auto-recharge on 100 below 20");
    const other = await say(DIEGO, diego1to1, "auto-recharge on 50 below 20");
    expect(other.text).toContain("Only admins");
    expect((await megan.get("/api/v1/account")).body.autoRecharge.enabled).toBe(false);
  });

  it("help: the admin is offered every command, the non-admin only what they can use", async () => {
    const admin = await say(MEGAN, megan1to1, "help");
    for (const c of ["balance", "usage", "top up", "auto-recharge"]) expect(admin.text).toContain(`**${c}`);
    expect(admin.text).not.toContain("notify here"); // a channel command
    const other = await say(DIEGO, diego1to1, "help");
    expect(other.text).toContain("**help**");
    for (const c of ["balance", "usage", "top up", "auto-recharge", "notify"]) expect(other.text).not.toContain(`**${c}`);
  });

  it("in a group chat, money details go to the asker 1:1; the group only hears that", async () => {
    const group: Where = { kind: "groupChat", id: "19:group-1@thread.v2" };
    const asked = await say(MEGAN, group, "balance");
    expect(cards(asked.here)).toEqual([]);
    expect(asked.text).toContain("private chat");
    expect(JSON.stringify(cards(asked.privately))).toContain(await shownBalance());
  });

  it("notify here / stop in a channel: the admin adds and removes it; then money details are posted there; a non-admin changes nothing", async () => {
    const channel: Where = { kind: "channel", id: CHANNEL.id };
    // Not an admin channel yet: the balance goes 1:1.
    const before = await say(MEGAN, channel, "balance");
    expect(cards(before.here)).toEqual([]);
    expect(cards(before.privately)).toHaveLength(1);

    const refused = await say(DIEGO, channel, "notify here");
    expect(refused.text).toContain("Only admins");
    expect((await megan.get("/api/v1/notification-settings")).body.channels).toEqual([]);

    const here = await say(MEGAN, channel, "notify here");
    expect(here.text).toContain("now gets Communications Credits notifications");
    expect((await megan.get("/api/v1/notification-settings")).body.channels).toEqual([{ teamId: TEAM.id, channelId: CHANNEL.id, name: CHANNEL.name }]);
    const inChannel = await say(MEGAN, channel, "balance");
    expect(JSON.stringify(cards(inChannel.here))).toContain(await shownBalance());
    expect(inChannel.privately).toEqual([]);
    // The channel gets the next event's card too.
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(201);
    await app.settle();
    const latest = async () => (await megan.get("/api/v1/notifications?limit=1")).body.items[0];
    let note = await latest();
    for (let i = 0; i < 200 && !(note.kind === "funds_added" && note.channels.length > 0 && note.channels[0].status !== "pending"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      note = await latest();
    }
    expect(note.channels).toEqual([expect.objectContaining({ channelId: CHANNEL.id, status: "sent" })]);
    expect(connector.sent().some((s) => s.conversationId === CHANNEL.id && JSON.stringify(card(s) ?? {}).includes("Funds added"))).toBe(true);

    const stop = await say(MEGAN, channel, "notify stop");
    expect(stop.text).toContain("no longer gets");
    expect((await megan.get("/api/v1/notification-settings")).body.channels).toEqual([]);
    expect((await say(MEGAN, megan1to1, "notify here")).text).toContain("team channel");
  });
});
