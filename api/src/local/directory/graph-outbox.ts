/** What the local Graph receives to deliver: sendMail (JSON or MIME) and activity feed notifications, kept as people read them, with Graph's refusals and throttling. */
import type { IncomingMessage, ServerResponse } from "node:http";
import PostalMime from "postal-mime";
import { t, type DemoTenant, type LocalFeedItemView, type LocalMailView, type MessageId } from "@cc/common";

/** What these two paths read and keep. */
export interface GraphOutboxState {
  mails: Map<string, LocalMailView[]>;
  feed: Map<string, LocalFeedItemView[]>;
  throttled: Record<"sendMail" | "sendActivityNotification", { count: number; seconds: number }>;
  refusedMailboxes: Set<string>;
  refusedInstalls: Set<string>;
}

/** The manifest's activity types and the catalog text of their templates (appPackage/manifest.json `activities`). */
const FEED_TEXT: Record<string, MessageId> = {
  rechargeFailed: "feed.rechargeFailed",
  balanceDepleted: "feed.balanceDepleted",
  rechargePaused: "feed.rechargePaused",
  spendSpike: "feed.spendSpike",
  situationResolved: "feed.resolved",
};

/** The domain of a tenant's mailboxes: its users' (contoso.example). */
const domainOf = (tenant: DemoTenant) => tenant.users[0]?.upn.split("@")[1] ?? "";

/** POST /users/{sender}/sendMail: JSON (`message`) or MIME (base64, Content-Type text/plain); 202 with no body. */
export async function sendMail(
  state: GraphOutboxState,
  tenant: DemoTenant,
  sender: string,
  req: IncomingMessage,
  body: string,
  send: (status: number, body: unknown) => void,
  res: ServerResponse,
): Promise<void> {
  if (state.throttled.sendMail.count > 0) {
    state.throttled.sendMail.count--;
    res.writeHead(429, { "content-type": "application/json", "retry-after": String(state.throttled.sendMail.seconds) });
    return void res.end(JSON.stringify({ error: { code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit." } }));
  }
  // Exchange RBAC for Applications: the app may send only from mailboxes in its scope (here: the tenant's, not refused).
  if (!sender.toLowerCase().endsWith(`@${domainOf(tenant)}`) || state.refusedMailboxes.has(sender.toLowerCase()))
    return send(403, { error: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." } });
  let mail: LocalMailView;
  if ((req.headers["content-type"] ?? "").startsWith("text/plain")) {
    const parsed = await PostalMime.parse(Buffer.from(body, "base64").toString("utf8")).catch(() => undefined);
    if (!parsed?.to?.length) return send(400, { error: { code: "ErrorMimeContentInvalid", message: "Invalid base64 string for MIME content." } });
    const to = parsed.to.flatMap((a) => ("address" in a && a.address ? [a.address] : []));
    mail = { at: new Date().toISOString(), from: sender, to, subject: parsed.subject ?? "", html: parsed.html ?? "", text: parsed.text ?? "", format: "mime" };
  } else {
    const json = JSON.parse(body || "{}") as {
      message?: { subject?: string; body?: { contentType?: string; content?: string }; toRecipients?: { emailAddress?: { address?: string } }[] };
    };
    const message = json.message;
    const to = (message?.toRecipients ?? []).flatMap((r) => (r.emailAddress?.address ? [r.emailAddress.address] : []));
    if (!message || to.length === 0) return send(400, { error: { code: "ErrorInvalidRecipients", message: "At least one recipient is not valid." } });
    const html = message.body?.contentType?.toLowerCase() === "html" ? (message.body.content ?? "") : "";
    mail = { at: new Date().toISOString(), from: sender, to, subject: message.subject ?? "", html, text: html ? "" : (message.body?.content ?? ""), format: "json" };
  }
  state.mails.set(tenant.tenantId, [...(state.mails.get(tenant.tenantId) ?? []), mail]);
  res.writeHead(202);
  res.end();
}

/** POST /users/{id}/teamwork/sendActivityNotification: 204 when the app is installed for the user, 403 otherwise. */
export function sendActivity(state: GraphOutboxState, tenant: DemoTenant, userId: string, body: string, send: (status: number, body: unknown) => void, res: ServerResponse): void {
  if (state.throttled.sendActivityNotification.count > 0) {
    state.throttled.sendActivityNotification.count--;
    res.writeHead(429, { "content-type": "application/json", "retry-after": String(state.throttled.sendActivityNotification.seconds) });
    return void res.end(JSON.stringify({ error: { code: "TooManyRequests", message: "Too many requests." } }));
  }
  const user = tenant.users.find((u) => u.id === userId);
  if (!user) return send(404, { error: { code: "NotFound", message: "User not found" } });
  if (state.refusedInstalls.has(userId)) return send(403, { error: { code: "Forbidden", message: "The app is not installed for the recipient" } });
  const n = JSON.parse(body || "{}") as {
    topic?: { source?: string; value?: string; webUrl?: string };
    activityType?: string;
    chainId?: number;
    previewText?: { content?: string };
    templateParameters?: { name: string; value: string }[];
  };
  const textId = n.activityType ? FEED_TEXT[n.activityType] : undefined;
  if (!textId || n.topic?.source !== "text" || !n.topic.webUrl?.startsWith("https://teams.microsoft.com/l/"))
    return send(400, { error: { code: "BadRequest", message: "activityType must be declared in the app manifest, and a text topic needs a Teams deep link webUrl" } });
  const params = Object.fromEntries((n.templateParameters ?? []).map((p) => [p.name, p.value]));
  const item: LocalFeedItemView = {
    at: new Date().toISOString(),
    userId,
    activityType: n.activityType!,
    chainId: typeof n.chainId === "number" ? n.chainId : null,
    text: t(user.preferredLanguage ?? "en", textId, params),
    previewText: n.previewText?.content ?? "",
    webUrl: n.topic.webUrl,
  };
  state.feed.set(tenant.tenantId, [...(state.feed.get(tenant.tenantId) ?? []), item]);
  res.writeHead(204);
  res.end();
}
