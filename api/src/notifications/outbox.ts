/**
 * The outbox: events for the notifier, written in the same store as the change that caused them.
 * An event's id is its kind plus its cause, so whoever sees the cause first writes it and every
 * later writer gets 409: one event per cause, however many instances notice it.
 *
 * The notifier claims an event with a lease written under the event's ETag (one instance at a
 * time delivers it) and records each recipient's delivery in a document of its own
 * (`delivery:<event>:<recipient>`, see notifier.ts), which is what GET /api/v1/notifications shows.
 */
import type { Container } from "@azure/cosmos";
import type {
  DeliveryStatus,
  NotificationChannelView,
  NotificationEvent,
  NotificationFacts,
  NotificationKind,
  NotificationRecipientView,
  NotificationView,
  Page,
} from "@cc/common";
import { codeOf, type StoredLine } from "./reason-code-rules.js";
import { createDoc, queryAll, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import { refuse } from "../shared/refusal.js";
import type { Clock } from "../shared/clock.js";
import type { Recipients } from "./recipients.js";

export interface CardActionRecord {
  verb: string;
  byUserId: string;
  by: string;
  ok: boolean;
  message?: string;
  amountMicros?: number;
  currency?: string;
  at: string;
}

/** An event as stored: its kind and typed facts (common/src/events.ts), and its delivery state. */
export type OutboxEvent = NotificationEvent & OutboxRecord;

export interface OutboxRecord {
  id: string;
  tenantId: string;
  at: string;
  /** The recipients as last known (resolved at emit time, then at delivery), with their delivery status. */
  recipients: StoredLine<NotificationRecipientView>[];
  channels: StoredLine<NotificationChannelView>[];
  /** Set when every recipient was reached or given up on. */
  deliveredAt: string | null;
  /** A delivering instance's lease (ISO time), null when nobody holds it. */
  leaseUntil?: string | null;
  /** When a recipient still pending should be tried again. */
  nextAttemptAt?: string | null;
  /** What an admin did from one of its cards (shown on every copy). */
  action?: CardActionRecord | null;
  /**
   * Held while a recharge under way should resolve it (held-alerts.ts): not delivered before
   * `nextAttemptAt` (the hold's end); resolved into the recharge's card, or released when it failed.
   */
  held?: { reason: "recharge_under_way"; until: string; resolvedBy?: string; releasedAt?: string } | null;
  /** at + id: one field to order and page by (a two-field ORDER BY needs a composite index). */
  sortKey: string;
  _etag?: string;
}

export class Outbox {
  private readonly events: Container;
  private readonly listeners: ((event: OutboxEvent) => void)[] = [];

  constructor(
    store: Store,
    private readonly recipients: Recipients,
    private readonly clock: Clock,
  ) {
    this.events = store.containers.outbox;
  }

  /** Called after an event is written by this instance (the notifier delivers it at once). */
  onEmitted(listener: (event: OutboxEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Tell the listeners (the notifier) about an event changed elsewhere, e.g. a held alert released. */
  wake(event: OutboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Write the event once per cause; its recipients (as known now) are the members of the roles notified of its kind.
   * `holdUntil`: held for a recharge under way (not delivered before then unless released).
   */
  async emit<K extends NotificationKind>(tenantId: string, kind: K, cause: string, data: NotificationFacts[K], options: { holdUntil?: string } = {}): Promise<void> {
    const id = `${kind}:${cause}`;
    // Who is shown as pending; the notifier reads the directory again when it delivers, so a
    // directory hiccup here must not lose the event (it would be the posting's effect failing).
    const { users, channels } = await this.recipients.resolve(tenantId, kind).catch(() => ({ users: [], channels: [] }));
    const at = this.clock.now().toISOString();
    const event = {
      id,
      tenantId,
      kind,
      at,
      sortKey: `${at}|${id}`,
      data,
      recipients: users.map((u) => ({ upn: u.upn, status: "pending", channel: "teams_chat", attempts: 0 })),
      channels: channels.map((c) => ({ ...c, status: "pending" as DeliveryStatus, attempts: 0 })),
      deliveredAt: null,
      leaseUntil: null,
      nextAttemptAt: options.holdUntil ?? null,
      action: null,
      ...(options.holdUntil ? { held: { reason: "recharge_under_way" as const, until: options.holdUntil } } : {}),
    } as OutboxEvent;
    const written = await createDoc(this.events, event);
    // The written document carries its ETag: the notifier claims it without reading it again.
    if (written.created) for (const listener of this.listeners) listener(written.doc);
  }

  async read(tenantId: string, id: string): Promise<OutboxEvent | undefined> {
    return readDoc<OutboxEvent>(this.events, tenantId, id);
  }

  /**
   * Take the event for `leaseMs` unless another instance holds it or it is done; the claimed
   * document (with its ETag) or undefined. A candidate with an ETag (just written, or from the
   * poll's query) is claimed under that ETag without a read: if the event changed since, the
   * replace fails and the stored document is read and judged instead.
   */
  async claim(candidate: OutboxEvent, leaseMs: number): Promise<OutboxEvent | undefined> {
    if (candidate._etag) {
      const claimed = await this.claimAsOf(candidate, leaseMs);
      if (claimed) return claimed;
    }
    const event = await this.read(candidate.tenantId, candidate.id);
    return event ? this.claimAsOf(event, leaseMs) : undefined;
  }

  private async claimAsOf(event: OutboxEvent, leaseMs: number): Promise<OutboxEvent | undefined> {
    const now = this.clock.now();
    if (!event._etag || event.deliveredAt !== null) return undefined;
    if (event.leaseUntil && event.leaseUntil > now.toISOString()) return undefined;
    if (event.nextAttemptAt && event.nextAttemptAt > now.toISOString()) return undefined;
    return replaceIfMatch(this.events, { ...event, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() }, event._etag);
  }

  /** Give a claimed event back before its lease runs out (a stopping instance), so the next round need not wait for it. */
  async handBack(claimed: OutboxEvent): Promise<void> {
    if (claimed._etag) await replaceIfMatch(this.events, { ...claimed, leaseUntil: null }, claimed._etag);
  }

  /** Save what a delivery round found, under the claim's ETag; false when the lease was lost. */
  async release(claimed: OutboxEvent, change: Partial<Pick<OutboxEvent, "recipients" | "channels" | "deliveredAt" | "nextAttemptAt">>): Promise<boolean> {
    if (!claimed._etag) return false;
    // Unchanged since the claim (the usual case): one write.
    if (await replaceIfMatch(this.events, { ...claimed, ...change, leaseUntil: null }, claimed._etag)) return true;
    const latest = await this.read(claimed.tenantId, claimed.id);
    if (!latest?._etag) return false;
    // The action field may have been written by a card action meanwhile: keep the latest document's.
    const saved = await replaceIfMatch(this.events, { ...latest, ...change, leaseUntil: null }, latest._etag);
    return saved !== undefined;
  }

  /** Record what an admin did from a card; the first successful action wins. */
  async recordAction(tenantId: string, id: string, action: CardActionRecord): Promise<OutboxEvent | undefined> {
    for (;;) {
      const event = await this.read(tenantId, id);
      if (!event?._etag) return undefined;
      if (event.action?.ok) return event;
      const saved = await replaceIfMatch(this.events, { ...event, action }, event._etag);
      if (saved) return saved;
    }
  }

  /** Newest first, paged by sortKey. */
  async page(tenantId: string, limit: number, cursor: string | undefined): Promise<Page<NotificationView>> {
    const before = cursor === undefined ? "\uffff" : decodeCursor(cursor);
    const events = await queryAll<OutboxEvent>(
      this.events,
      tenantId,
      `SELECT TOP ${limit + 1} * FROM c WHERE c.tenantId = @tenantId AND c.sortKey < @before ORDER BY c.sortKey DESC`,
      { "@before": before },
    );
    const items = events.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toNotificationView), next: events.length > limit && last ? Buffer.from(last.sortKey).toString("base64url") : null };
  }

  /** Events not yet delivered whose next attempt is due, oldest first, across tenants (the notifier's poll). */
  async undelivered(limit: number): Promise<OutboxEvent[]> {
    const now = this.clock.now().toISOString();
    const events = await queryAll<OutboxEvent>(this.events, undefined, `SELECT TOP ${limit} * FROM c WHERE c.deliveredAt = null AND c.sortKey > '' ORDER BY c.sortKey ASC`);
    return events.filter((e) => !e.nextAttemptAt || e.nextAttemptAt <= now);
  }
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[^|]+\|.+$/.test(key)) throw refuse.invalid("cursor", "cursor");
  return key;
}

export function toNotificationView(event: OutboxEvent): NotificationView {
  return {
    id: event.id,
    kind: event.kind,
    at: event.at,
    tenantId: event.tenantId,
    data: event.data as unknown as Record<string, unknown>,
    recipients: event.recipients.map((line) => ({ upn: line.upn, status: line.status, channel: line.channel ?? null, ...codeOf(line), attempts: line.attempts ?? 0 })),
    channels: (event.channels ?? [])
      .filter((c) => typeof c === "object")
      .map((line) => ({
        teamId: line.teamId,
        channelId: line.channelId,
        name: line.name,
        status: line.status,
        ...codeOf({ ...line, channel: "teams_channel" }),
        attempts: line.attempts ?? 0,
      })),
  };
}
