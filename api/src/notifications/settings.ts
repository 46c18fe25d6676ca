/**
 * Per-tenant notification settings: which directory roles get which kinds of event (default: every
 * notified role for every kind, DESIGN.md §1), and the admin channels that also get every event.
 * One document per tenant in `state`, changed under its ETag and audited.
 */
import type { Container } from "@azure/cosmos";
import { DirectoryRole, NOTIFICATION_KINDS, NOTIFIED_ROLES, hasPermission, type NotificationKind, type NotificationSettings } from "@cc/common";
import { readDoc, replaceIfMatch, createDoc, type Store } from "../store/cosmos.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";

interface SettingsDoc extends NotificationSettings {
  id: "notification-settings";
  tenantId: string;
  _etag?: string;
}

const ID = "notification-settings" as const;

/** Who may change where notifications go: billing admins and Teams administrators. */
export function canManageNotifications(roles: readonly string[]): boolean {
  return hasPermission(roles, "billing") || roles.includes(DirectoryRole.TeamsAdministrator) || roles.includes(DirectoryRole.TeamsCommunicationsAdministrator);
}

export function rolesFor(settings: NotificationSettings, kind: NotificationKind): readonly string[] {
  return settings.kinds[kind]?.roles ?? NOTIFIED_ROLES;
}

/** The settings as they act: every kind with the roles told of it (the default for a kind not set). */
export function effectiveSettings(settings: NotificationSettings): NotificationSettings {
  return {
    kinds: Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, { roles: rolesFor(settings, kind) }])),
    channels: settings.channels,
    lowBalanceThresholds: settings.lowBalanceThresholds ?? [],
    activityFeed: settings.activityFeed !== false,
  };
}

function settingsOf(doc: SettingsDoc): NotificationSettings {
  return {
    kinds: doc.kinds,
    channels: doc.channels,
    ...(doc.lowBalanceThresholds ? { lowBalanceThresholds: doc.lowBalanceThresholds } : {}),
    ...(doc.activityFeed === false ? { activityFeed: false } : {}),
  };
}

export class NotificationSettingsStore {
  private readonly state: Container;

  constructor(
    store: Store,
    private readonly audit: AuditLog,
  ) {
    this.state = store.containers.state;
  }

  async get(tenantId: string): Promise<NotificationSettings> {
    const doc = await readDoc<SettingsDoc>(this.state, tenantId, ID);
    return doc ? settingsOf(doc) : { kinds: {}, channels: [] };
  }

  /** Replace the settings (PUT), audited with before and after; thresholds left out stay as they are. */
  async put(tenantId: string, actor: Actor, settings: NotificationSettings): Promise<NotificationSettings> {
    return this.change(tenantId, actor, (current) => ({
      ...settings,
      ...(settings.lowBalanceThresholds === undefined && current.lowBalanceThresholds ? { lowBalanceThresholds: current.lowBalanceThresholds } : {}),
    }));
  }

  async addChannel(tenantId: string, actor: Actor, channel: NotificationSettings["channels"][number]): Promise<NotificationSettings> {
    return this.change(tenantId, actor, (s) => ({ ...s, channels: [...s.channels.filter((c) => c.channelId !== channel.channelId), channel] }));
  }

  async removeChannel(tenantId: string, actor: Actor, channelId: string): Promise<NotificationSettings> {
    return this.change(tenantId, actor, (s) => ({ ...s, channels: s.channels.filter((c) => c.channelId !== channelId) }));
  }

  private async change(tenantId: string, actor: Actor, next: (current: NotificationSettings) => NotificationSettings): Promise<NotificationSettings> {
    for (;;) {
      const doc = await readDoc<SettingsDoc>(this.state, tenantId, ID);
      const before: NotificationSettings = doc ? settingsOf(doc) : { kinds: {}, channels: [] };
      const after = next(before);
      // A PUT without activityFeed keeps the tenant's choice (clients older than the field send none).
      const activityFeed = after.activityFeed ?? before.activityFeed;
      const written: SettingsDoc = {
        id: ID,
        tenantId,
        kinds: after.kinds,
        channels: after.channels,
        ...(after.lowBalanceThresholds ? { lowBalanceThresholds: after.lowBalanceThresholds } : {}),
        ...(activityFeed === false ? { activityFeed: false } : {}),
      };
      const ok = doc?._etag ? (await replaceIfMatch(this.state, written, doc._etag)) !== undefined : (await createDoc(this.state, written)).created;
      if (!ok) continue;
      await this.audit.record(tenantId, actor, "notifications.configured", before, after);
      return after;
    }
  }
}
