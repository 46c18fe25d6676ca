/**
 * The local Bot Connector: an HTTP endpoint speaking the Bot Connector REST API's wire format for
 * what the bot sends (replies, proactive messages, new 1:1 conversations), recording every
 * activity so the tab's dev view and the tests can see what admins would have received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export interface SentActivity {
  at: string;
  conversationId: string;
  /** The id this connector gave the activity (updates keep it). */
  activityId: string;
  activity: Record<string, unknown>;
  /** How many times the activity was replaced (updateActivity). */
  updates: number;
}

export interface LocalBotConnector {
  /** The serviceUrl activities from the local world carry. */
  url: string;
  sent(): SentActivity[];
  /** Answer the next `count` sends with 429 and Retry-After, as Teams throttles. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /** Answer every `n`th request with 429 and Retry-After from now on (0 stops), as a busy Teams does. */
  throttleEvery(n: number, retryAfterSeconds?: number): void;
  /** How many 429s this connector has answered. */
  throttled(): number;
  /**
   * Answer sends to this conversation as Teams does once the user removed the app ("roster": 403
   * BotNotInConversationRoster), blocked the bot ("blocked": 403 MessageWritesBlocked) or the chat
   * is gone ("gone": 404 ConversationNotFound), until the bot opens the conversation again
   * (createConversation after the app was installed again).
   */
  refuseConversation(conversationId: string, how?: Refusal): void;
  /** Every request received ("POST /v3/conversations", "PUT …"), for tests of retries. */
  requests(): string[];
  close(): Promise<void>;
}

export type Refusal = "roster" | "blocked" | "gone";

const REFUSALS: Record<Refusal, { status: number; code: string; message: string }> = {
  roster: { status: 403, code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." },
  blocked: { status: 403, code: "MessageWritesBlocked", message: "Thread is blocked by the user." },
  gone: { status: 404, code: "ConversationNotFound", message: "Conversation not found." },
};

export async function startLocalBotConnector(port = 0): Promise<LocalBotConnector> {
  const sent: SentActivity[] = [];
  const refused = new Map<string, Refusal>();
  const seen: string[] = [];
  let throttle = { count: 0, retryAfter: 1 };
  let every = { n: 0, retryAfter: 1, seen: 0 };
  let throttledCount = 0;

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "").split("?")[0];
    seen.push(`${req.method} ${path}`);
    if (req.method !== "POST" && req.method !== "PUT") return send(405, { error: { code: "BadArgument", message: "POST or PUT only" } });
    if (throttle.count > 0) {
      throttle.count--;
      throttledCount++;
      return send(429, { error: { code: "Throttled", message: "Too many requests" } }, { "retry-after": String(throttle.retryAfter) });
    }
    if (every.n > 0 && ++every.seen % every.n === 0) {
      throttledCount++;
      return send(429, { error: { code: "Throttled", message: "Too many requests" } }, { "retry-after": String(every.retryAfter) });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return send(400, { error: { code: "BadSyntax", message: "Invalid JSON" } });
    }
    const activityMatch = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (activityMatch) {
      const conversationId = decodeURIComponent(activityMatch[1]);
      const refusal = refused.get(conversationId);
      if (refusal) return send(REFUSALS[refusal].status, { error: { code: REFUSALS[refusal].code, message: REFUSALS[refusal].message } });
      if (req.method === "PUT" && activityMatch[2]) {
        // updateActivity: replace the card in place, as Teams does.
        const activityId = decodeURIComponent(activityMatch[2]);
        const existing = sent.find((s) => s.conversationId === conversationId && s.activityId === activityId);
        if (!existing) return send(404, { error: { code: "ActivityNotFoundInConversation", message: "Activity not found" } });
        existing.activity = body;
        existing.updates++;
        return send(200, { id: activityId });
      }
      const activityId = `activity-${randomUUID()}`;
      sent.push({ at: new Date().toISOString(), conversationId, activityId, activity: body, updates: 0 });
      return send(200, { id: activityId });
    }
    if (path === "/v3/conversations" && req.method === "POST") {
      // createConversation: a proactive 1:1 conversation with a user; Teams answers with its id.
      const members = (body.members as { id?: string }[] | undefined) ?? [];
      const id = `a:local-${members[0]?.id ?? randomUUID()}`;
      // The app is in the user's chat again: sends to it are accepted from now on (a user who
      // blocked the bot still blocks it).
      if (refused.get(id) !== "blocked") refused.delete(id);
      const activityId = `activity-${randomUUID()}`;
      if (body.activity) sent.push({ at: new Date().toISOString(), conversationId: id, activityId, activity: body.activity as Record<string, unknown>, updates: 0 });
      return send(201, { id, activityId });
    }
    return send(404, { error: { code: "NotFound", message: path } });
  }

  const server: Server = createServer((req, res) => void answer(req, res).catch(() => res.end()));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => [...sent],
    throttleNext: (count, retryAfterSeconds = 1) => (throttle = { count, retryAfter: retryAfterSeconds }),
    throttleEvery: (n, retryAfterSeconds = 1) => (every = { n, retryAfter: retryAfterSeconds, seen: 0 }),
    throttled: () => throttledCount,
    refuseConversation: (conversationId, how = "roster") => void refused.set(conversationId, how),
    requests: () => [...seen],
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
