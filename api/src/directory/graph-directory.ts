/**
 * The directory read through the Microsoft Graph client (app-only): /users and the members of
 * each activated directory role. Cached briefly per tenant: notifications and the users page ask
 * often, the directory changes rarely.
 */
import { Client, type AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import { callingPlanOf, type Directory, type DirectoryUser } from "./directory.js";

/**
 * The bearer token the local directory (local/directory/local-graph-server.ts) reads a tenant from,
 * sent when no Graph client credentials are configured.
 */
export const LOCAL_GRAPH_TOKEN_PREFIX = "local-graph:";

export interface GraphPage<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation?: string | null;
  department?: string | null;
  assignedLicenses?: { skuId: string }[];
}

interface GraphRole {
  id: string;
  roleTemplateId: string;
  members?: { id: string }[];
}

/** Builds one Graph client per tenant (app-only tokens are per tenant). */
export type GraphClientFactory = (tenantId: string) => Client;

export interface GraphEndpoint {
  /** Unset = https://graph.microsoft.com. */
  baseUrl?: string;
  /** Extra CA to trust for this endpoint only (the local directory's self-signed certificate). */
  ca?: string;
  tokenFor(tenantId: string): Promise<string>;
}

export function graphClientFactory(endpoint: GraphEndpoint): GraphClientFactory {
  const baseUrl = endpoint.baseUrl?.replace(/\/?$/, "/");
  const customHosts = baseUrl ? new Set([new URL(baseUrl).hostname]) : undefined;
  const fetchOptions = endpoint.ca ? ({ dispatcher: new Agent({ connect: { ca: endpoint.ca } }) } as RequestInit) : undefined;
  return (tenantId) => {
    const authProvider: AuthenticationProvider = { getAccessToken: () => endpoint.tokenFor(tenantId) };
    return Client.initWithMiddleware({ authProvider, baseUrl, customHosts, fetchOptions });
  };
}

/** Follow @odata.nextLink to the end. */
export async function readAllPages<T>(client: Client, path: string): Promise<T[]> {
  const items: T[] = [];
  let page = (await client.api(path).get()) as GraphPage<T>;
  items.push(...page.value);
  while (page["@odata.nextLink"]) {
    page = (await client.api(page["@odata.nextLink"]).get()) as GraphPage<T>;
    items.push(...page.value);
  }
  return items;
}

export class GraphDirectory implements Directory {
  private cache = new Map<string, { at: number; users: Promise<DirectoryUser[]> }>();

  constructor(
    private readonly clientFor: GraphClientFactory,
    private readonly ttlMs = 30_000,
  ) {}

  users(tenantId: string): Promise<DirectoryUser[]> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.users;
    const users = this.load(tenantId);
    this.cache.set(tenantId, { at: Date.now(), users });
    users.catch(() => this.cache.delete(tenantId));
    return users;
  }

  private async load(tenantId: string): Promise<DirectoryUser[]> {
    const client = this.clientFor(tenantId);
    const [users, roles] = await Promise.all([
      readAllPages<GraphUser>(client, "/users?$select=id,userPrincipalName,displayName,usageLocation,department,assignedLicenses&$top=999"),
      readAllPages<GraphRole>(client, "/directoryRoles?$select=id,roleTemplateId&$expand=members($select=id)"),
    ]);
    const rolesByUser = new Map<string, string[]>();
    for (const role of roles) {
      for (const member of role.members ?? []) rolesByUser.set(member.id, [...(rolesByUser.get(member.id) ?? []), role.roleTemplateId]);
    }
    return users.map((u) => ({
      id: u.id,
      upn: u.userPrincipalName,
      displayName: u.displayName,
      usageLocation: u.usageLocation ?? "",
      roles: rolesByUser.get(u.id) ?? [],
      callingPlan: callingPlanOf((u.assignedLicenses ?? []).map((l) => l.skuId)),
      department: u.department?.trim() || null,
    }));
  }
}
