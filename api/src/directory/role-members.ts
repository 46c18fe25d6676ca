/**
 * Who holds a directory role, read through the Microsoft Graph client at delivery time
 * (`/directoryRoles(roleTemplateId='{id}')/members`, every page), users only: groups and service
 * principals get no chat. Cached briefly per tenant and role: one event asks for up to 16 roles,
 * and a burst of events asks the same questions.
 *
 * Also installs the Teams app for a user (`POST /users/{id}/teamwork/installedApps`, permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All), so a recipient who never opened the app can be told.
 */
import { readAllPages, type GraphClientFactory } from "./graph-directory.js";

export interface RoleMember {
  id: string;
  upn: string;
  displayName: string;
  /** Graph `preferredLanguage` ("fr-FR"), when the directory has one. */
  preferredLanguage: string | null;
  /** Graph `mail` (the primary SMTP address), when the directory has one; e-mails go there, else to the upn. */
  mail?: string | null;
  /** The notified roles this member holds (set by Recipients): the e-mail says why the reader gets it. */
  roleIds?: string[];
}

interface GraphDirectoryObject {
  "@odata.type"?: string;
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  preferredLanguage?: string | null;
  mail?: string | null;
}

export type AppInstallOutcome = "installed" | "already_installed" | "refused";

export interface RoleMembersReader {
  members(tenantId: string, roleTemplateId: string): Promise<RoleMember[]>;
  installApp(tenantId: string, userId: string, catalogAppId: string): Promise<{ outcome: AppInstallOutcome; reason?: string }>;
}

export class GraphRoleMembers implements RoleMembersReader {
  private readonly cache = new Map<string, { at: number; members: Promise<RoleMember[]> }>();

  constructor(
    private readonly clientFor: GraphClientFactory,
    private readonly ttlMs = 30_000,
  ) {}

  members(tenantId: string, roleTemplateId: string): Promise<RoleMember[]> {
    const key = `${tenantId}|${roleTemplateId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.members;
    const members = this.load(tenantId, roleTemplateId);
    this.cache.set(key, { at: Date.now(), members });
    members.catch(() => this.cache.delete(key));
    return members;
  }

  private async load(tenantId: string, roleTemplateId: string): Promise<RoleMember[]> {
    const client = this.clientFor(tenantId);
    let objects: GraphDirectoryObject[];
    try {
      objects = await readAllPages<GraphDirectoryObject>(
        client,
        `/directoryRoles(roleTemplateId='${roleTemplateId}')/members?$select=id,userPrincipalName,displayName,preferredLanguage,mail`,
      );
    } catch (error) {
      // A role nobody was ever given is not activated in the tenant: Graph answers 404, i.e. no members.
      if (statusOf(error) === 404) return [];
      throw error;
    }
    return objects
      .filter((o) => o["@odata.type"] === "#microsoft.graph.user" && o.userPrincipalName)
      .map((o) => ({ id: o.id, upn: o.userPrincipalName ?? "", displayName: o.displayName ?? "", preferredLanguage: o.preferredLanguage ?? null, mail: o.mail ?? null }));
  }

  async installApp(tenantId: string, userId: string, catalogAppId: string): Promise<{ outcome: AppInstallOutcome; reason?: string }> {
    try {
      await this.clientFor(tenantId)
        .api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`)
        .post({ "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}` });
      return { outcome: "installed" };
    } catch (error) {
      const status = statusOf(error);
      if (status === 409) return { outcome: "already_installed" };
      if (status === 403 || status === 404) return { outcome: "refused", reason: `app_install_refused: ${messageOf(error)}` };
      throw error;
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
