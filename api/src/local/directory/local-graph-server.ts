/**
 * The local directory: an HTTP endpoint answering the Microsoft Graph v1.0 calls the app makes
 * (users, directory roles with members, the members of one role, installing the Teams app for a
 * user, PSTN call records, groups and their transitive members, sending mail from a mailbox of the
 * tenant, activity feed notifications), with @odata.nextLink paging, in Graph's wire format and
 * with its errors (403 for a mailbox the app may not send from, 429 with Retry-After when asked to
 * throttle), so the
 * real Graph client code path runs on one machine. The tenant is taken from the bearer token
 * ("local-graph:<tenantId>"), as real Graph takes it from an app-only token. It speaks HTTPS with a
 * certificate made at start, because the Graph client only follows https links.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { generate } from "selfsigned";
import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { DEMO_TENANTS, roleDisplayName, t, type DemoTenant, type DirectoryRoleId, type LocalFeedItemView, type LocalMailView, type MessageId } from "@cc/common";
import { skuOf } from "../../directory/directory.js";
import { LOCAL_GRAPH_TOKEN_PREFIX } from "../../directory/graph-directory.js";

export { LOCAL_GRAPH_TOKEN_PREFIX };

export interface LocalGraph {
  /** Base URL for the Graph client (the version segment is the client's). */
  url: string;
  /** PEM of the self-signed certificate, to trust it for this endpoint only. */
  ca: string;
  /** Add or replace a tenant of the local directory. */
  putTenant(tenant: DemoTenant): void;
  /** Make these call records available to getPstnCalls for the tenant (Graph pstnCallLogRow JSON). */
  addPstnCalls(tenantId: string, rows: Record<string, unknown>[]): void;
  /** How many requests each path received (tests check paging). */
  requests(): string[];
  /** Users for whom the app was installed through `POST /users/{id}/teamwork/installedApps`. */
  installedApps(tenantId: string): string[];
  /** Answer the app-installation call for these users with 403 (tenant policy blocks the app). */
  refuseInstallFor(userIds: string[]): void;
  /** The mails accepted by sendMail for a tenant, oldest first, as a person reads them. */
  mails(tenantId: string): LocalMailView[];
  /** The activity feed notifications accepted for a tenant, oldest first, with the text Teams shows. */
  feedItems(tenantId: string): LocalFeedItemView[];
  /** Answer the next `count` sendMail or sendActivityNotification calls with 429 and Retry-After. */
  throttleNext(what: "sendMail" | "sendActivityNotification", count: number, retryAfterSeconds?: number): void;
  /** Mailboxes the app may not send from (403 ErrorAccessDenied), beyond those outside the tenant. */
  refuseMailbox(address: string): void;
  close(): Promise<void>;
}

export interface LocalGraphOptions {
  port?: number;
  /** Largest page a list answers (Graph's own for /users: 999; a client's smaller $top wins). */
  pageSize?: number;
  /** Page size of role members (small, so a second page is exercised). Default 1. */
  memberPageSize?: number;
  tenants?: DemoTenant[];
  /** Users whose app installation the tenant's policy refuses from the start (the demo's). */
  refusedInstalls?: readonly string[];
}

/** One closure over the directory's state (tenants, call records, installs), which every Graph path it answers shares: long on purpose. */
/** The manifest's activity types and the catalog text of their templates (appPackage/manifest.json `activities`). */
const FEED_TEXT: Record<string, MessageId> = {
  rechargeFailed: "feed.rechargeFailed",
  balanceDepleted: "feed.balanceDepleted",
  rechargePaused: "feed.rechargePaused",
  spendSpike: "feed.spendSpike",
  situationResolved: "feed.resolved",
};

export async function startLocalGraph(options: LocalGraphOptions = {}): Promise<LocalGraph> {
  const pageSize = options.pageSize ?? 999;
  const tenants = new Map((options.tenants ?? DEMO_TENANTS).map((t) => [t.tenantId, t]));
  const pstnCalls = new Map<string, Record<string, unknown>[]>();
  const seen: string[] = [];
  const installs = new Map<string, Set<string>>();
  const refusedInstalls = new Set<string>(options.refusedInstalls ?? []);
  const mails = new Map<string, LocalMailView[]>();
  const feed = new Map<string, LocalFeedItemView[]>();
  const throttled = { sendMail: { count: 0, seconds: 1 }, sendActivityNotification: { count: 0, seconds: 1 } };
  const refusedMailboxes = new Set<string>();
  let baseUrl = "";

  function page<T>(items: T[], url: URL, size = pageSize): { value: T[]; "@odata.nextLink"?: string } {
    const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
    const top = Math.min(Number(url.searchParams.get("$top") ?? size), size);
    const value = items.slice(skip, skip + top);
    if (skip + top >= items.length) return { value };
    const next = new URL(url.toString());
    next.searchParams.set("$skiptoken", String(skip + top));
    return { value, "@odata.nextLink": `${baseUrl}${next.pathname}${next.search}` };
  }

  function users(tenant: DemoTenant) {
    return tenant.users.map((u) => {
      const sku = skuOf(u.callingPlan);
      return {
        id: u.id,
        userPrincipalName: u.upn,
        displayName: u.displayName,
        usageLocation: u.usageLocation,
        department: u.department ?? null,
        assignedLicenses: sku ? [{ skuId: sku, disabledPlans: [] }] : [],
      };
    });
  }

  function directoryRoles(tenant: DemoTenant) {
    const roleIds = [...new Set(tenant.users.flatMap((u) => u.roles))] as DirectoryRoleId[];
    return roleIds.map((roleTemplateId) => ({
      id: `role-${roleTemplateId}`,
      roleTemplateId,
      displayName: roleDisplayName[roleTemplateId] ?? roleTemplateId,
      members: tenant.users.filter((u) => u.roles.includes(roleTemplateId)).map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u.id })),
    }));
  }

  /** Members of one role as Graph lists them: users, plus a service principal in Global Administrator (real tenants have some). */
  function roleMembers(tenant: DemoTenant, roleTemplateId: string) {
    const users = tenant.users
      .filter((u) => (u.roles as string[]).includes(roleTemplateId))
      .map((u) => ({
        "@odata.type": "#microsoft.graph.user",
        id: u.id,
        userPrincipalName: u.upn,
        mail: u.upn,
        displayName: u.displayName,
        preferredLanguage: u.preferredLanguage ?? (u.usageLocation === "FR" ? "fr-FR" : "en-US"),
      }));
    const others =
      roleTemplateId === "62e90394-69f5-4237-9190-012177145e10"
        ? [{ "@odata.type": "#microsoft.graph.servicePrincipal", id: `sp-${tenant.tenantId}`, displayName: "Provisioning service" }]
        : [];
    return [...others, ...users];
  }

  /** A group's members through nested groups, as Graph's transitiveMembers lists them (users and groups, each once). */
  function transitiveMembers(tenant: DemoTenant, groupId: string) {
    const groups = new Map((tenant.groups ?? []).map((g) => [g.id, g]));
    const found = new Map<string, Record<string, unknown>>();
    const visit = (id: string) => {
      for (const member of groups.get(id)?.members ?? []) {
        if (found.has(member)) continue;
        const group = groups.get(member);
        if (group) {
          found.set(member, { "@odata.type": "#microsoft.graph.group", id: group.id, displayName: group.displayName });
          visit(member);
        } else {
          const user = tenant.users.find((u) => u.id === member);
          if (user) found.set(member, { "@odata.type": "#microsoft.graph.user", id: user.id, displayName: user.displayName, userPrincipalName: user.upn });
        }
      }
    };
    visit(groupId);
    return [...found.values()];
  }

  function pstnCallsBetween(tenantId: string, path: string) {
    const match = /getPstnCalls\(fromDateTime=([^,]+),toDateTime=([^)]+)\)/.exec(decodeURIComponent(path));
    if (!match) return undefined;
    const [from, to] = [Date.parse(match[1]), Date.parse(match[2])];
    if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
    return (pstnCalls.get(tenantId) ?? [])
      .filter((r) => {
        const start = Date.parse(String(r.startDateTime));
        return start >= from && start < to;
      })
      .sort((a, b) => String(a.startDateTime).localeCompare(String(b.startDateTime)) || String(a.id).localeCompare(String(b.id)));
  }

  /** The domain of a tenant's mailboxes: its users' (contoso.example). */
  const domainOf = (tenant: DemoTenant) => tenant.users[0]?.upn.split("@")[1] ?? "";

  /** POST /users/{sender}/sendMail: JSON (`message`) or MIME (base64, Content-Type text/plain); 202 with no body. */
  async function sendMail(
    tenant: DemoTenant,
    sender: string,
    req: IncomingMessage,
    body: string,
    send: (status: number, body: unknown) => void,
    res: ServerResponse,
  ): Promise<void> {
    if (throttled.sendMail.count > 0) {
      throttled.sendMail.count--;
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(throttled.sendMail.seconds) });
      return void res.end(JSON.stringify({ error: { code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit." } }));
    }
    // Exchange RBAC for Applications: the app may send only from mailboxes in its scope (here: the tenant's, not refused).
    if (!sender.toLowerCase().endsWith(`@${domainOf(tenant)}`) || refusedMailboxes.has(sender.toLowerCase()))
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
    mails.set(tenant.tenantId, [...(mails.get(tenant.tenantId) ?? []), mail]);
    res.writeHead(202);
    res.end();
  }

  /** POST /users/{id}/teamwork/sendActivityNotification: 204 when the app is installed for the user, 403 otherwise. */
  function sendActivity(tenant: DemoTenant, userId: string, body: string, send: (status: number, body: unknown) => void, res: ServerResponse): void {
    if (throttled.sendActivityNotification.count > 0) {
      throttled.sendActivityNotification.count--;
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(throttled.sendActivityNotification.seconds) });
      return void res.end(JSON.stringify({ error: { code: "TooManyRequests", message: "Too many requests." } }));
    }
    const user = tenant.users.find((u) => u.id === userId);
    if (!user) return send(404, { error: { code: "NotFound", message: "User not found" } });
    if (refusedInstalls.has(userId)) return send(403, { error: { code: "Forbidden", message: "The app is not installed for the recipient" } });
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
    feed.set(tenant.tenantId, [...(feed.get(tenant.tenantId) ?? []), item]);
    res.writeHead(204);
    res.end();
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://local");
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    // Two calls, not a chain: restify patches ServerResponse.prototype.writeHead to return nothing.
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? "";
    const tenant = tenants.get(auth.replace(/^Bearer /, "").replace(LOCAL_GRAPH_TOKEN_PREFIX, ""));
    if (!tenant) return send(401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." } });
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ""));
    const mailFrom = /^\/users\/([^/]+)\/sendMail$/.exec(path);
    const activity = /^\/users\/([^/]+)\/teamwork\/sendActivityNotification$/.exec(path);
    if ((mailFrom || activity) && req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (mailFrom) void sendMail(tenant, mailFrom[1], req, body, send, res).catch(() => send(500, { error: { code: "generalException", message: "mail handling failed" } }));
        else sendActivity(tenant, activity![1], body, send, res);
      });
      return;
    }
    const install = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
    if (install && req.method === "POST") {
      const userId = install[1];
      if (!tenant.users.some((u) => u.id === userId)) return send(404, { error: { code: "NotFound", message: "User not found" } });
      if (refusedInstalls.has(userId)) return send(403, { error: { code: "Forbidden", message: "The app is blocked for this user by the tenant's app permission policy" } });
      const installed = installs.get(tenant.tenantId) ?? new Set<string>();
      installs.set(tenant.tenantId, installed);
      if (installed.has(userId)) return send(409, { error: { code: "Conflict", message: "App is already installed." } });
      installed.add(userId);
      res.writeHead(201);
      return void res.end();
    }
    if (req.method !== "GET") return send(405, { error: { code: "Request_BadRequest", message: "Only GET is served here" } });
    const members = /^\/directoryRoles\(roleTemplateId='([0-9a-f-]+)'\)\/members$/.exec(path);
    if (members) {
      if (!Object.keys(roleDisplayName).includes(members[1])) return send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${members[1]}' does not exist` } });
      return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects`, ...page(roleMembers(tenant, members[1]), url, options.memberPageSize ?? 1) });
    }
    const groupMembers = /^\/groups\/([^/]+)\/transitiveMembers$/.exec(path);
    if (groupMembers) {
      if (!(tenant.groups ?? []).some((g) => g.id === groupMembers[1]))
        return send(404, {
          error: { code: "Request_ResourceNotFound", message: `Resource '${groupMembers[1]}' does not exist or one of its queried reference-property objects are not present.` },
        });
      return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects`, ...page(transitiveMembers(tenant, groupMembers[1]), url, options.memberPageSize ?? 1) });
    }
    if (path === "/groups")
      return send(200, {
        "@odata.context": `${baseUrl}/v1.0/$metadata#groups(id,displayName)`,
        ...page(
          (tenant.groups ?? []).map((g) => ({ id: g.id, displayName: g.displayName })),
          url,
        ),
      });
    if (path === "/users") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#users`, ...page(users(tenant), url) });
    if (path === "/directoryRoles") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryRoles`, ...page(directoryRoles(tenant), url) });
    if (path === "/organization") return send(200, { value: [{ id: tenant.tenantId, displayName: tenant.displayName, countryLetterCode: tenant.region }] });
    if (path.startsWith("/communications/callRecords/getPstnCalls")) {
      const rows = pstnCallsBetween(tenant.tenantId, url.pathname);
      if (!rows) return send(400, { error: { code: "BadRequest", message: "fromDateTime and toDateTime are required" } });
      return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#Collection(microsoft.graph.callRecords.pstnCallLogRow)`, ...page(rows, url) });
    }
    return send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${path}' does not exist` } });
  }

  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, answer);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    ca: pems.cert,
    putTenant: (tenant) => tenants.set(tenant.tenantId, tenant),
    addPstnCalls: (tenantId, rows) => pstnCalls.set(tenantId, [...(pstnCalls.get(tenantId) ?? []), ...rows]),
    requests: () => [...seen],
    installedApps: (tenantId) => [...(installs.get(tenantId) ?? [])],
    refuseInstallFor: (userIds) => userIds.forEach((id) => refusedInstalls.add(id)),
    mails: (tenantId) => [...(mails.get(tenantId) ?? [])],
    feedItems: (tenantId) => [...(feed.get(tenantId) ?? [])],
    throttleNext: (what, count, retryAfterSeconds = 1) => void (throttled[what] = { count, seconds: retryAfterSeconds }),
    refuseMailbox: (address) => void refusedMailboxes.add(address.toLowerCase()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
