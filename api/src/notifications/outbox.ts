/**
 * The outbox: events for the notifier, written in the same store as the change that caused them.
 * An event's id is its kind plus its cause, so whoever sees the cause first writes it and every
 * later writer gets 409: one event per cause, however many instances notice it.
 */
import type { Container } from "@azure/cosmos";
import { hasPermission, type NotificationKind, type NotificationView, type Page } from "@cc/common";
import { createDoc, queryAll, type Store } from "../store/cosmos.js";
import type { Directory } from "../directory/directory.js";
import { refuse } from "../shared/refusal.js";
import type { Clock } from "../shared/clock.js";

export interface OutboxEvent {
  id: string;
  tenantId: string;
  kind: NotificationKind;
  at: string;
  /** What the card shows: amounts in micros with their currency, reasons, the balance after. */
  data: Record<string, unknown>;
  recipients: { upn: string; userId: string; status: "pending" | "sent" | "failed" }[];
  channels: string[];
  /** Set when every recipient was reached or given up on. */
  deliveredAt: string | null;
  /** at + id: one field to order and page by (a two-field ORDER BY needs a composite index). */
  sortKey: string;
}

export class Outbox {
  private readonly events: Container;

  constructor(store: Store, private readonly directory: Directory, private readonly clock: Clock) {
    this.events = store.containers.outbox;
  }

  /** Write the event once per cause; its recipients are the tenant's admins in the notified roles. */
  async emit(tenantId: string, kind: NotificationKind, cause: string, data: Record<string, unknown>): Promise<void> {
    const admins = (await this.directory.users(tenantId)).filter((u) => hasPermission(u.roles, "read"));
    const at = this.clock.now().toISOString();
    const id = `${kind}:${cause}`;
    const event: OutboxEvent = {
      id,
      tenantId,
      kind,
      at,
      sortKey: `${at}|${id}`,
      data,
      recipients: admins.map((u) => ({ upn: u.upn, userId: u.id, status: "pending" })),
      channels: ["teams"],
      deliveredAt: null,
    };
    await createDoc(this.events, event);
  }

  /** Newest first, paged by sortKey. */
  async page(tenantId: string, limit: number, cursor: string | undefined): Promise<Page<NotificationView>> {
    const before = cursor === undefined ? "\uffff" : decodeCursor(cursor);
    const events = await queryAll<OutboxEvent>(this.events, tenantId, `SELECT TOP ${limit + 1} * FROM c WHERE c.tenantId = @tenantId AND c.sortKey < @before ORDER BY c.sortKey DESC`, { "@before": before });
    const items = events.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toNotificationView), next: events.length > limit && last ? Buffer.from(last.sortKey).toString("base64url") : null };
  }

  /** Events not yet delivered, oldest first, across tenants (the notifier's poll). */
  async undelivered(limit: number): Promise<OutboxEvent[]> {
    return queryAll<OutboxEvent>(this.events, undefined, `SELECT TOP ${limit} * FROM c WHERE c.deliveredAt = null ORDER BY c.at ASC`);
  }
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[^|]+\|.+$/.test(key)) throw refuse.invalid("cursor", "is not a cursor this API gave");
  return key;
}

export function toNotificationView(event: OutboxEvent): NotificationView {
  return {
    id: event.id,
    kind: event.kind,
    at: event.at,
    tenantId: event.tenantId,
    data: event.data,
    recipients: event.recipients.map(({ upn, status }) => ({ upn, status })),
    channels: event.channels,
  };
}
