/**
 * The local Bot Connector: an HTTP endpoint speaking the Bot Connector REST API's wire format for
 * what the bot sends (replies, proactive messages, new 1:1 conversations), recording every
 * activity so the tab's dev view and the tests can see what admins would have received.
 *
 * It refuses what Teams and Agents Playground refuse, so a test passing here means something there:
 * an activity whose conversation type is empty or unknown (the playground's 400 BadArgument
 * "Invalid input"), or missing on a conversation Teams described (every activity Teams sends names
 * the type, so a reference kept from one does too; a conversation the bot created carries none in
 * botbuilder, and Teams takes that), a `from` that is not the bot of that conversation, and an
 * Adaptive Card that is not one (no `type: "AdaptiveCard"`, no version, a body or actions that are
 * not lists, an action without a type, an Action.Execute without a verb).
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
  /** The bot's account in the conversations this connector holds (as Teams gives `28:<app id>`). */
  bot: { id: string; name: string };
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

/** The bot's account in the local world; the tests' activities name it as their recipient. */
export const LOCAL_BOT = { id: "28:credits-bot", name: "Communications Credits" };

const CONVERSATION_TYPES = new Set(["personal", "channel", "groupChat"]);

/** What the connector keeps: the chats, the activities recorded, the refusals and throttling asked for. */
interface ConnectorState {
  sent: SentActivity[];
  /** The bot account of each conversation opened through createConversation (others: LOCAL_BOT). */
  created: Map<string, string>;
  refused: Map<string, Refusal>;
  seen: string[];
  throttle: { count: number; retryAfter: number };
  every: { n: number; retryAfter: number; seen: number };
  throttledCount: number;
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** A 429 when a throttle was asked for (the next N requests, or every Nth); true when it answered. */
function throttled(state: ConnectorState, send: Send): boolean {
  const tooMany = { error: { code: "Throttled", message: "Too many requests" } };
  if (state.throttle.count > 0) {
    state.throttle.count--;
    state.throttledCount++;
    send(429, tooMany, { "retry-after": String(state.throttle.retryAfter) });
    return true;
  }
  if (state.every.n > 0 && ++state.every.seen % state.every.n === 0) {
    state.throttledCount++;
    send(429, tooMany, { "retry-after": String(state.every.retryAfter) });
    return true;
  }
  return false;
}

/** sendToConversation (POST) and updateActivity (PUT) on /v3/conversations/{id}/activities[/{activityId}]. */
function onActivity(state: ConnectorState, method: string | undefined, match: RegExpExecArray, body: Record<string, unknown>, send: Send): void {
  const conversationId = decodeURIComponent(match[1]);
  const refusal = state.refused.get(conversationId);
  if (refusal) return send(REFUSALS[refusal].status, { error: { code: REFUSALS[refusal].code, message: REFUSALS[refusal].message } });
  const invalid = invalidActivity(body, conversationId, state.created.get(conversationId));
  if (invalid) return send(400, { error: { code: "BadArgument", message: invalid } });
  if (method === "PUT" && match[2]) {
    // updateActivity: replace the card in place, as Teams does.
    const activityId = decodeURIComponent(match[2]);
    const existing = state.sent.find((s) => s.conversationId === conversationId && s.activityId === activityId);
    if (!existing) return send(404, { error: { code: "ActivityNotFoundInConversation", message: "Activity not found" } });
    existing.activity = body;
    existing.updates++;
    return send(200, { id: activityId });
  }
  const activityId = `activity-${randomUUID()}`;
  state.sent.push({ at: new Date().toISOString(), conversationId, activityId, activity: body, updates: 0 });
  send(200, { id: activityId });
}

/** createConversation: a proactive 1:1 conversation with a user; Teams answers with its id. */
function onCreateConversation(state: ConnectorState, body: Record<string, unknown>, send: Send): void {
  const members = (body.members as { id?: string }[] | undefined) ?? [];
  const bot = (body.bot as { id?: unknown } | undefined)?.id;
  if (typeof bot !== "string" || !bot || members.length === 0 || !members[0]?.id)
    return send(400, { error: { code: "BadArgument", message: "Invalid input: a bot and a member are required" } });
  const id = `a:local-${members[0].id}`;
  state.created.set(id, bot);
  // The app is in the user's chat again: sends to it are accepted from now on (a user who
  // blocked the bot still blocks it).
  if (state.refused.get(id) !== "blocked") state.refused.delete(id);
  const activityId = `activity-${randomUUID()}`;
  if (body.activity) state.sent.push({ at: new Date().toISOString(), conversationId: id, activityId, activity: body.activity as Record<string, unknown>, updates: 0 });
  send(201, { id, activityId });
}

/** One request: recorded, maybe throttled, then routed as the Bot Connector routes it. */
async function answer(state: ConnectorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const send: Send = (status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const path = (req.url ?? "").split("?")[0];
  state.seen.push(`${req.method} ${path}`);
  if (req.method !== "POST" && req.method !== "PUT") return send(405, { error: { code: "BadArgument", message: "POST or PUT only" } });
  if (throttled(state, send)) return;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return send(400, { error: { code: "BadSyntax", message: "Invalid JSON" } });
  }
  const activityMatch = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
  if (activityMatch) return onActivity(state, req.method, activityMatch, body, send);
  if (path === "/v3/conversations" && req.method === "POST") return onCreateConversation(state, body, send);
  send(404, { error: { code: "NotFound", message: path } });
}

export async function startLocalBotConnector(port = 0): Promise<LocalBotConnector> {
  const state: ConnectorState = {
    sent: [],
    created: new Map(),
    refused: new Map(),
    seen: [],
    throttle: { count: 0, retryAfter: 1 },
    every: { n: 0, retryAfter: 1, seen: 0 },
    throttledCount: 0,
  };
  const server: Server = createServer((req, res) => void answer(state, req, res).catch(() => res.end()));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bot: LOCAL_BOT,
    sent: () => [...state.sent],
    throttleNext: (count, retryAfterSeconds = 1) => void (state.throttle = { count, retryAfter: retryAfterSeconds }),
    throttleEvery: (n, retryAfterSeconds = 1) => void (state.every = { n, retryAfter: retryAfterSeconds, seen: 0 }),
    throttled: () => state.throttledCount,
    refuseConversation: (conversationId, how = "roster") => void state.refused.set(conversationId, how),
    requests: () => [...state.seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Why Teams would refuse this activity, or "" (see the top of this file). */
function invalidActivity(activity: Record<string, unknown>, conversationId: string, createdBy: string | undefined): string {
  const conversation = (activity.conversation ?? {}) as { conversationType?: unknown };
  const type = conversation.conversationType;
  if (type === undefined ? createdBy === undefined : typeof type !== "string" || !CONVERSATION_TYPES.has(type))
    return `Invalid input: conversation.conversationType ${JSON.stringify(type ?? null)} of ${conversationId}`;
  const from = (activity.from as { id?: unknown } | undefined)?.id;
  const bot = createdBy ?? LOCAL_BOT.id;
  if (from !== bot) return `Invalid input: from ${JSON.stringify(from ?? null)} is not the bot of this conversation`;
  for (const attachment of (activity.attachments as { contentType?: unknown; content?: unknown }[] | undefined) ?? []) {
    if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") continue;
    const why = invalidCard(attachment.content);
    if (why) return `Invalid Adaptive Card: ${why}`;
  }
  return "";
}

function invalidCard(content: unknown): string {
  const card = content as { type?: unknown; version?: unknown; body?: unknown; actions?: unknown } | null;
  if (!card || card.type !== "AdaptiveCard") return "type is not AdaptiveCard";
  if (typeof card.version !== "string" || !/^\d+\.\d+$/.test(card.version)) return "no version";
  if (card.body !== undefined && !Array.isArray(card.body)) return "body is not a list";
  if (card.actions !== undefined && !Array.isArray(card.actions)) return "actions is not a list";
  for (const action of (card.actions as { type?: unknown; verb?: unknown }[] | undefined) ?? []) {
    if (typeof action?.type !== "string" || !action.type.startsWith("Action.")) return "an action has no type";
    if (action.type === "Action.Execute" && (typeof action.verb !== "string" || !action.verb)) return "an Action.Execute has no verb";
  }
  return "";
}
