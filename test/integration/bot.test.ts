/**
 * The bot through the real botbuilder CloudAdapter: activities POSTed to /api/messages as the
 * Bot Connector sends them, replies sent over HTTP to a local Bot Connector-compatible endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { startLocalBotConnector, type LocalBotConnector } from "../../api/src/dev/local-bot-connector.js";

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
});
