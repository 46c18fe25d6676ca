/**
 * Who gets an event, decided at delivery time: the users holding the roles the tenant's settings
 * give for its kind (members read through Graph), and the tenant's admin channels.
 *
 * The members of every role a tenant was asked about are kept together, per tenant: fresh for
 * FRESH_MS; after that, for up to MAX_STALE_MS, the last answer is used at once while one
 * background lookup refreshes all of the tenant's roles, so a notification never waits on Graph
 * once its tenant was seen. Older than that, or a role never asked about, is read before answering.
 */
import type { NotificationKind, NotificationSettings } from "@cc/common";
import type { RoleMember, RoleMembersReader } from "../directory/role-members.js";
import { rolesFor, type NotificationSettingsStore } from "./settings.js";

export interface EventRecipients {
  users: RoleMember[];
  channels: NotificationSettings["channels"];
}

const FRESH_MS = 30_000;
const MAX_STALE_MS = 5 * 60_000;

interface TenantMembers {
  at: number;
  byRole: Map<string, RoleMember[]>;
  refreshing: Promise<void> | null;
}

export class Recipients {
  private readonly cache = new Map<string, TenantMembers>();

  constructor(
    private readonly roleMembers: RoleMembersReader,
    private readonly settings: NotificationSettingsStore,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(tenantId: string, kind: NotificationKind): Promise<EventRecipients> {
    const settings = await this.settings.get(tenantId);
    const roles = rolesFor(settings, kind);
    const perRole = await this.membersOf(tenantId, roles);
    const users = new Map<string, RoleMember>();
    perRole.forEach((members, i) => {
      for (const member of members) {
        const known = users.get(member.id);
        users.set(member.id, { ...member, roleIds: [...(known?.roleIds ?? []), roles[i]] });
      }
    });
    return { users: [...users.values()].sort((a, b) => a.upn.localeCompare(b.upn)), channels: settings.channels };
  }

  private async membersOf(tenantId: string, roles: readonly string[]): Promise<RoleMember[][]> {
    let entry = this.cache.get(tenantId);
    const age = entry ? this.now() - entry.at : Infinity;
    const known = entry !== undefined && roles.every((role) => entry?.byRole.has(role));
    if (!entry || !known || age >= MAX_STALE_MS) {
      entry = await this.load(tenantId, [...new Set([...(entry && age < MAX_STALE_MS ? entry.byRole.keys() : []), ...roles])]);
    } else if (age >= FRESH_MS && !entry.refreshing) {
      const stale = entry;
      stale.refreshing = this.load(tenantId, [...stale.byRole.keys()])
        .then(() => undefined)
        // The directory did not answer: keep the last answer, ask again next time.
        .catch(() => undefined)
        .finally(() => (stale.refreshing = null));
    }
    const byRole = entry.byRole;
    return roles.map((role) => byRole.get(role) ?? []);
  }

  /** Read the members of `roles` (each every page) and keep them as the tenant's answer. */
  private async load(tenantId: string, roles: string[]): Promise<TenantMembers> {
    const at = this.now();
    const lists = await Promise.all(roles.map((role) => this.roleMembers.members(tenantId, role)));
    const entry: TenantMembers = { at, byRole: new Map(roles.map((role, i) => [role, lists[i]])), refreshing: null };
    const current = this.cache.get(tenantId);
    // A slower lookup started earlier must not replace a newer answer.
    if (!current || current.at <= at) this.cache.set(tenantId, entry);
    return entry;
  }
}
