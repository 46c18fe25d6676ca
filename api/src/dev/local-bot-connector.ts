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
  activity: Record<string, unknown>;
}

export interface LocalBotConnector {
  /** The serviceUrl activities from the local world carry. */
  url: string;
  sent(): SentActivity[];
  /** Answer the next `count` sends with 429 and Retry-After, as Teams throttles. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startLocalBotConnector(port = 0): Promise<LocalBotConnector> {
  const sent: SentActivity[] = [];
  let throttle = { count: 0, retryAfter: 1 };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST") return send(405, { error: { code: "BadArgument", message: "POST only" } });
    if (throttle.count > 0) {
      throttle.count--;
      return send(429, { error: { code: "Throttled", message: "Too many requests" } }, { "retry-after": String(throttle.retryAfter) });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return send(400, { error: { code: "BadSyntax", message: "Invalid JSON" } });
    }
    const activityMatch = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (activityMatch) {
      sent.push({ at: new Date().toISOString(), conversationId: decodeURIComponent(activityMatch[1]), activity: body });
      return send(200, { id: `activity-${randomUUID()}` });
    }
    if (path === "/v3/conversations") {
      // A proactive 1:1 conversation with a user: Teams answers with its id.
      const id = `a:local-${randomUUID()}`;
      if (body.activity) sent.push({ at: new Date().toISOString(), conversationId: id, activity: body.activity as Record<string, unknown> });
      return send(201, { id, activityId: `activity-${randomUUID()}` });
    }
    return send(404, { error: { code: "NotFound", message: path } });
  }

  const server: Server = createServer((req, res) => void answer(req, res).catch(() => res.end()));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => [...sent],
    throttleNext: (count, retryAfterSeconds = 1) => (throttle = { count, retryAfter: retryAfterSeconds }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
