/**
 * Entra groups through the Microsoft Graph client: the tenant's groups (for the guard's exception
 * picker) and whether a user is a member of a group, nested groups included
 * (`GET /groups/{id}/transitiveMembers`, every page, users only). Asked at call time by the call
 * guard, so the answer is cached a short while per tenant and group (lru-cache, 60 s): a membership
 * change in Entra takes effect within a minute, and a burst of calls asks Graph once.
 */
import { LRUCache } from "lru-cache";
import { readAllPages, type GraphClientFactory } from "./graph-directory.js";

export interface DirectoryGroup {
  id: string;
  displayName: string;
}

export interface GroupMembersReader {
  /** The ids of the users in the group, directly or through nested groups. */
  userIds(tenantId: string, groupId: string): Promise<ReadonlySet<string>>;
  groups(tenantId: string): Promise<DirectoryGroup[]>;
}

interface GraphDirectoryObject {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
}

export const GROUP_MEMBERS_TTL_MS = 60_000;

export class GraphGroupMembers implements GroupMembersReader {
  private readonly members: LRUCache<string, ReadonlySet<string>>;

  constructor(
    private readonly clientFor: GraphClientFactory,
    ttlMs = GROUP_MEMBERS_TTL_MS,
  ) {
    this.members = new LRUCache<string, ReadonlySet<string>>({
      max: 2_000,
      ttl: ttlMs,
      // One Graph read per tenant and group at a time; concurrent askers wait for it.
      fetchMethod: async (key) => {
        const [tenantId, groupId] = key.split("|");
        const objects = await readAllPages<GraphDirectoryObject>(this.clientFor(tenantId), `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id`).catch(
          (error: unknown) => {
            // A group deleted since the exception was saved has no members.
            if ((error as { statusCode?: number }).statusCode === 404) return [];
            throw error;
          },
        );
        return new Set(objects.filter((o) => o["@odata.type"] === "#microsoft.graph.user").map((o) => o.id));
      },
    });
  }

  async userIds(tenantId: string, groupId: string): Promise<ReadonlySet<string>> {
    return (await this.members.fetch(`${tenantId}|${groupId}`)) ?? new Set();
  }

  async groups(tenantId: string): Promise<DirectoryGroup[]> {
    const objects = await readAllPages<GraphDirectoryObject>(this.clientFor(tenantId), "/groups?$select=id,displayName");
    return objects.map((g) => ({ id: g.id, displayName: g.displayName ?? g.id })).sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
}
