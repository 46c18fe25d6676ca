/**
 * The local directory: an HTTP endpoint answering the Microsoft Graph v1.0 calls the app makes
 * (users, directory roles with members, the members of one role, installing the Teams app for a
 * user, PSTN call records, groups and their transitive members), with @odata.nextLink paging, so the
 * real Graph client code path runs on one machine. The tenant is taken from the bearer token
 * ("local-graph:<tenantId>"), as real Graph takes it from an app-only token. It speaks HTTPS with a
 * certificate made at start, because the Graph client only follows https links.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { generate } from "selfsigned";
import type { AddressInfo } from "node:net";
import { DEMO_TENANTS, roleDisplayName, type DemoTenant, type DirectoryRoleId } from "@cc/common";
import { skuOf } from "./directory.js";

export const LOCAL_GRAPH_TOKEN_PREFIX = "local-graph:";

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
  close(): Promise<void>;
}

export interface LocalGraphOptions {
  port?: number;
  /** Largest page a list answers (Graph's own for /users: 999; a client's smaller $top wins). */
  pageSize?: number;
  /** Page size of role members (small, so a second page is exercised). Default 1. */
  memberPageSize?: number;
  tenants?: DemoTenant[];
}

export async function startLocalGraph(options: LocalGraphOptions = {}): Promise<LocalGraph> {
  const pageSize = options.pageSize ?? 999;
  const tenants = new Map((options.tenants ?? DEMO_TENANTS).map((t) => [t.tenantId, t]));
  const pstnCalls = new Map<string, Record<string, unknown>[]>();
  const seen: string[] = [];
  const installs = new Map<string, Set<string>>();
  const refusedInstalls = new Set<string>();
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
      return { id: u.id, userPrincipalName: u.upn, displayName: u.displayName, usageLocation: u.usageLocation, department: u.department ?? null, assignedLicenses: sku ? [{ skuId: sku, disabledPlans: [] }] : [] };
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
      .map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u.id, userPrincipalName: u.upn, displayName: u.displayName, preferredLanguage: u.usageLocation === "FR" ? "fr-FR" : "en-US" }));
    const others = roleTemplateId === "62e90394-69f5-4237-9190-012177145e10" ? [{ "@odata.type": "#microsoft.graph.servicePrincipal", id: `sp-${tenant.tenantId}`, displayName: "Provisioning service" }] : [];
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
      if (!(tenant.groups ?? []).some((g) => g.id === groupMembers[1])) return send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${groupMembers[1]}' does not exist or one of its queried reference-property objects are not present.` } });
      return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#directoryObjects`, ...page(transitiveMembers(tenant, groupMembers[1]), url, options.memberPageSize ?? 1) });
    }
    if (path === "/groups") return send(200, { "@odata.context": `${baseUrl}/v1.0/$metadata#groups(id,displayName)`, ...page((tenant.groups ?? []).map((g) => ({ id: g.id, displayName: g.displayName })), url) });
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
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] }],
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
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
