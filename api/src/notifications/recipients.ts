/**
 * Who gets an event, decided at delivery time: the users holding the roles the tenant's settings
 * give for its kind (members read through Graph, cached briefly), and the tenant's admin channels.
 */
import type { NotificationKind, NotificationSettings } from "@cc/common";
import type { RoleMember, RoleMembersReader } from "../directory/role-members.js";
import { rolesFor, type NotificationSettingsStore } from "./settings.js";

export interface EventRecipients {
  users: RoleMember[];
  channels: NotificationSettings["channels"];
}

export class Recipients {
  constructor(private readonly roleMembers: RoleMembersReader, private readonly settings: NotificationSettingsStore) {}

  async resolve(tenantId: string, kind: NotificationKind): Promise<EventRecipients> {
    const settings = await this.settings.get(tenantId);
    const perRole = await Promise.all(rolesFor(settings, kind).map((role) => this.roleMembers.members(tenantId, role)));
    const users = new Map<string, RoleMember>();
    for (const member of perRole.flat()) if (!users.has(member.id)) users.set(member.id, member);
    return { users: [...users.values()].sort((a, b) => a.upn.localeCompare(b.upn)), channels: settings.channels };
  }
}
