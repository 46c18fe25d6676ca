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
import { DEMO_TENANTS, roleDisplayName, type DemoTenant, type LocalFeedItemView, type LocalMailView } from "@cc/common";
import { sendActivity, sendMail, type GraphOutboxState } from "./graph-outbox.js";
import { directoryRoles, graphUsers, page, roleMembers, transitiveMembers } from "./graph-views.js";
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

/** The directory's state (tenants, call records, installs, what it received), which every Graph path it answers shares. */
interface GraphState extends GraphOutboxState {
  options: LocalGraphOptions;
  pageSize: number;
  tenants: Map<string, DemoTenant>;
  pstnCalls: Map<string, Record<string, unknown>[]>;
  seen: string[];
  installs: Map<string, Set<string>>;
  baseUrl: string;
}

type Send = (status: number, body: unknown) => void;

/** Call records whose start falls in getPstnCalls(fromDateTime=…,toDateTime=…), in start order; undefined when the range is missing. */
function pstnCallsBetween(pstnCalls: Map<string, Record<string, unknown>[]>, tenantId: string, path: string) {
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

/** POST /users/{id}/teamwork/installedApps: 201, 404 for a stranger, 403 where the tenant's policy blocks the app, 409 when installed already. */
function installApp(state: GraphState, tenant: DemoTenant, userId: string, res: ServerResponse, send: Send): void {
  if (!tenant.users.some((u) => u.id === userId)) return send(404, { error: { code: "NotFound", message: "User not found" } });
  if (state.refusedInstalls.has(userId)) return send(403, { error: { code: "Forbidden", message: "The app is blocked for this user by the tenant's app permission policy" } });
  const installed = state.installs.get(tenant.tenantId) ?? new Set<string>();
  state.installs.set(tenant.tenantId, installed);
  if (installed.has(userId)) return send(409, { error: { code: "Conflict", message: "App is already installed." } });
  installed.add(userId);
  res.writeHead(201);
  res.end();
}

/** The POSTs: sendMail and sendActivityNotification (their bodies read first), installing the app for a user; false for any other path. */
function answerPost(state: GraphState, tenant: DemoTenant, path: string, req: IncomingMessage, res: ServerResponse, send: Send): boolean {
  const mailFrom = /^\/users\/([^/]+)\/sendMail$/.exec(path);
  const activity = /^\/users\/([^/]+)\/teamwork\/sendActivityNotification$/.exec(path);
  if (mailFrom || activity) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (mailFrom)
        void sendMail(state, tenant, mailFrom[1], req, body, send, res).catch(() => send(500, { error: { code: "generalException", message: "mail handling failed" } }));
      else sendActivity(state, tenant, activity![1], body, send, res);
    });
    return true;
  }
  const install = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
  if (!install) return false;
  installApp(state, tenant, install[1], res, send);
  return true;
}

/** The reads: role and group members, groups, users, roles, the organization, call records. */
function answerGet(state: GraphState, tenant: DemoTenant, path: string, url: URL, send: Send): void {
  const { baseUrl, options, pageSize } = state;
  const members = /^\/directoryRoles\(roleTemplateId='([0-9a-f-]+)'\)\/members$/.exec(path);
  if (members) {
    if (!Object.keys(roleDisplayName).includes(members[1])) return send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${members[1]}' does not exist` } });
    return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects`, ...page(roleMembers(tenant, members[1]), url, options.memberPageSize ?? 1, baseUrl) });
  }
  const groupMembers = /^\/groups\/([^/]+)\/transitiveMembers$/.exec(path);
  if (groupMembers) {
    if (!(tenant.groups ?? []).some((g) => g.id === groupMembers[1]))
      return send(404, {
        error: { code: "Request_ResourceNotFound", message: `Resource '${groupMembers[1]}' does not exist or one of its queried reference-property objects are not present.` },
      });
    return send(200, {
      "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects`,
      ...page(transitiveMembers(tenant, groupMembers[1]), url, options.memberPageSize ?? 1, baseUrl),
    });
  }
  const groups = (tenant.groups ?? []).map((g) => ({ id: g.id, displayName: g.displayName }));
  if (path === "/groups") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#groups(id,displayName)`, ...page(groups, url, pageSize, baseUrl) });
  if (path === "/users") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#users`, ...page(graphUsers(tenant), url, pageSize, baseUrl) });
  if (path === "/directoryRoles") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryRoles`, ...page(directoryRoles(tenant), url, pageSize, baseUrl) });
  if (path === "/organization") return send(200, { value: [{ id: tenant.tenantId, displayName: tenant.displayName, countryLetterCode: tenant.region }] });
  if (path.startsWith("/communications/callRecords/getPstnCalls")) {
    const rows = pstnCallsBetween(state.pstnCalls, tenant.tenantId, url.pathname);
    if (!rows) return send(400, { error: { code: "BadRequest", message: "fromDateTime and toDateTime are required" } });
    return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#Collection(microsoft.graph.callRecords.pstnCallLogRow)`, ...page(rows, url, pageSize, baseUrl) });
  }
  send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${path}' does not exist` } });
}

/** One request: recorded, its tenant from the bearer token, then a POST or a GET. */
function answer(state: GraphState, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://local");
  state.seen.push(`${req.method} ${url.pathname}${url.search}`);
  // Two calls, not a chain: restify patches ServerResponse.prototype.writeHead to return nothing.
  const send: Send = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const auth = req.headers.authorization ?? "";
  const tenant = state.tenants.get(auth.replace(/^Bearer /, "").replace(LOCAL_GRAPH_TOKEN_PREFIX, ""));
  if (!tenant) return send(401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." } });
  const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ""));
  if (req.method === "POST" && answerPost(state, tenant, path, req, res, send)) return;
  if (req.method !== "GET") return send(405, { error: { code: "Request_BadRequest", message: "Only GET is served here" } });
  answerGet(state, tenant, path, url, send);
}

export async function startLocalGraph(options: LocalGraphOptions = {}): Promise<LocalGraph> {
  const state: GraphState = {
    options,
    pageSize: options.pageSize ?? 999,
    tenants: new Map((options.tenants ?? DEMO_TENANTS).map((t) => [t.tenantId, t])),
    pstnCalls: new Map(),
    seen: [],
    installs: new Map(),
    refusedInstalls: new Set<string>(options.refusedInstalls ?? []),
    mails: new Map(),
    feed: new Map(),
    throttled: { sendMail: { count: 0, seconds: 1 }, sendActivityNotification: { count: 0, seconds: 1 } },
    refusedMailboxes: new Set(),
    baseUrl: "",
  };
  const { tenants, pstnCalls, seen, installs, refusedInstalls, mails, feed, throttled, refusedMailboxes } = state;
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
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => answer(state, req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  state.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: state.baseUrl,
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
