/**
 * The bot through the real botbuilder CloudAdapter: activities POSTed to /api/messages as the
 * Bot Connector sends them, replies sent over HTTP to a local Bot Connector-compatible endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { startLocalBotConnector, type LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";

describe("the bot", () => {
  let world: TestWorld;
  let connector: LocalBotConnector;
  let url: string;
  let app: App;
  beforeAll(async () => {
    world = await startWorld();
    connector = await startLocalBotConnector();
    app = await world.app();
    url = app.url;
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(123) });
  });
  afterAll(async () => {
    await world.close();
    await connector.close();
  });

  function activity(conversationId: string, extra: Record<string, unknown>) {
    return {
      channelId: "msteams",
      serviceUrl: connector.url,
      id: `act-${Math.random()}`,
      timestamp: new Date().toISOString(),
      from: { id: "29:megan", aadObjectId: "a1f0c0de-0000-4000-8000-000000000001", name: "Megan Bowen" },
      recipient: { id: "28:credits-bot", name: "Credits" },
      conversation: { id: conversationId, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
      channelData: { tenant: { id: CONTOSO_TENANT_ID } },
      ...extra,
    };
  }

  async function post(body: unknown) {
    return fetch(`${url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async function sentTo(conversationId: string, count: number) {
    for (let i = 0; i < 100 && connector.sent().filter((s) => s.conversationId === conversationId).length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return connector.sent().filter((s) => s.conversationId === conversationId);
  }

  it("greets on install and keeps the conversation reference for proactive messages", async () => {
    const res = await post(activity("a:install-1", { type: "conversationUpdate", membersAdded: [{ id: "28:credits-bot" }] }));
    expect(res.status).toBeLessThan(300);
    const [greeting] = await sentTo("a:install-1", 1);
    expect(greeting.activity).toMatchObject({ type: "message", text: expect.stringContaining("Communications Credits") });
    const { resource } = await app.world.store.containers.conversations.item("user:a1f0c0de-0000-4000-8000-000000000001", CONTOSO_TENANT_ID).read();
    expect(resource.reference).toMatchObject({ conversation: { id: "a:install-1" }, serviceUrl: connector.url });
  });

  it("answers 'balance' with an Adaptive Card showing the API's balance", async () => {
    const res = await post(activity("a:chat-1", { type: "message", text: "balance" }));
    expect(res.status).toBeLessThan(300);
    const [reply] = await sentTo("a:chat-1", 1);
    const attachments = reply.activity.attachments as { contentType: string; content: Record<string, unknown> }[];
    expect(attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachments[0].content).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(JSON.stringify(attachments[0].content)).toContain("123.00");
  });

  it("does not show the balance to a user without an admin role", async () => {
    await post(activity("a:chat-2", { type: "message", text: "balance", from: { id: "29:diego", aadObjectId: "a1f0c0de-0000-4000-8000-000000000004", name: "Diego" } }));
    const [reply] = await sentTo("a:chat-2", 1);
    expect(reply.activity.attachments ?? []).toEqual([]);
    expect(String(reply.activity.text)).toContain("Only admins");
    expect(JSON.stringify(reply.activity)).not.toContain("123.00");
  });

  it("keeps the whole reference Teams gave; one from before whole references is deleted when read and saved whole by the next activity", async () => {
    const { conversations } = app.world.store.containers;
    const id = "user:a1f0c0de-0000-4000-8000-000000000001";
    // The shape saved before: no bot account (sends built from it were refused by Teams).
    await conversations.items.upsert({
      id,
      tenantId: CONTOSO_TENANT_ID,
      type: "installation",
      scope: "personal",
      userId: "a1f0c0de-0000-4000-8000-000000000001",
      conversationId: "a:old",
      serviceUrl: connector.url,
      locale: null,
      reference: { channelId: "msteams", serviceUrl: connector.url, conversation: { id: "a:old", tenantId: CONTOSO_TENANT_ID } },
      savedAt: new Date().toISOString(),
    });
    expect(await app.services.installations.personal(CONTOSO_TENANT_ID, "a1f0c0de-0000-4000-8000-000000000001")).toBeUndefined();
    expect((await conversations.item(id, CONTOSO_TENANT_ID).read()).statusCode).toBe(404);
    await post(activity("a:upgraded", { type: "message", text: "help", locale: "en-US" }));
    await sentTo("a:upgraded", 1);
    const saved = await app.services.installations.personal(CONTOSO_TENANT_ID, "a1f0c0de-0000-4000-8000-000000000001");
    expect(saved?.reference).toMatchObject({
      channelId: "msteams",
      serviceUrl: connector.url,
      bot: { id: "28:credits-bot" },
      user: { id: "29:megan", aadObjectId: "a1f0c0de-0000-4000-8000-000000000001" },
      conversation: { id: "a:upgraded", conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
      locale: "en-US",
    });
  });

  it("the local Bot Connector refuses what Teams refuses: no or an empty conversation type, a from that is not the bot, a malformed card", async () => {
    const send = (body: Record<string, unknown>) =>
      fetch(`${connector.url}/v3/conversations/a%3Aconnector-check/activities`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "message", text: "x", from: { id: "28:credits-bot" }, conversation: { id: "a:connector-check", conversationType: "personal" }, ...body }),
      });
    expect((await send({})).status).toBe(200);
    expect((await send({ conversation: { id: "a:connector-check", conversationType: "", name: "" } })).status).toBe(400);
    expect((await send({ conversation: { id: "a:connector-check" } })).status).toBe(400);
    expect((await send({ from: { id: "28:someone-else" } })).status).toBe(400);
    const card = (content: unknown) => ({ attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content }] });
    expect((await send(card({ type: "AdaptiveCard", version: "1.5", body: [] }))).status).toBe(200);
    expect((await send(card({ type: "AdaptiveCard", body: [] }))).status).toBe(400);
    expect((await send(card({ type: "AdaptiveCard", version: "1.5", actions: [{ type: "Action.Execute", title: "Go" }] }))).status).toBe(400);
  });
});
