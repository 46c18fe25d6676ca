/**
 * Asks the bot for its usage card as megan would in Teams (`usage 30d`, a 1:1 chat, through the
 * local Bot Connector) and answers the card the bot sent back.
 */
import { expect } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import type { LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";

const MEGAN = "a1f0c0de-0000-4000-8000-000000000001";

export async function botUsageCard(appUrl: string, connector: LocalBotConnector, timestamp: string): Promise<Record<string, unknown>> {
  const conversationId = `a:usage-${Math.random()}`;
  await fetch(`${appUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "message",
      text: "usage 30d",
      channelId: "msteams",
      serviceUrl: connector.url,
      id: `act-${Math.random()}`,
      timestamp,
      locale: "en-US",
      from: { id: "29:megan", aadObjectId: MEGAN, name: "Megan Bowen" },
      recipient: { id: "28:credits-bot", name: "Credits" },
      conversation: { id: conversationId, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
      channelData: { tenant: { id: CONTOSO_TENANT_ID } },
    }),
  });
  for (let i = 0; i < 200 && !connector.sent().some((s) => s.conversationId === conversationId); i++) await new Promise((r) => setTimeout(r, 20));
  const reply = connector.sent().find((s) => s.conversationId === conversationId);
  const attachments = (reply?.activity.attachments ?? []) as { content: Record<string, unknown> }[];
  expect(attachments.length, JSON.stringify(reply?.activity)).toBe(1);
  return attachments[0].content;
}
