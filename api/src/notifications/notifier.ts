/**
 * The notifier: the one sender of proactive messages. It claims undelivered outbox events (a lease
 * under the event's ETag, so one instance delivers an event at a time), resolves the recipients at
 * delivery time, and records one delivery document per (event, recipient) with a deterministic id
 * (`delivery:<event id>:<user id | conv:<conversation id>>`): a recipient already `sent` or
 * `not_installed` is never sent again, across instances and restarts.
 *
 * To reach a user: continue their personal conversation when there is one; otherwise install the
 * app for them through Graph (409 = it already is) and create the 1:1 conversation; a refused
 * install is `not_installed`. Teams' limits: 429 waits Retry-After; 412, 502, 504 and network
 * errors are retried with back-off and jitter (p-retry); sends are paced per conversation (7/s,
 * 60 per 30 s) and per tenant (30/s) (pacing.ts); a 403 or 404 on a send removes the
 * installation. The pacing is per instance: N instances may reach N times the tenant rate, which
 * Teams then throttles with 429s that are honoured.
 *
 * Latency: the instance that writes an event delivers it at once (the outbox tells it in-process),
 * up to MAX_DIRECT events at a time and the next ones as those finish, tenants side by side; the
 * polling round is for events other instances wrote, retries and crash recovery.
 */
import pRetry from "p-retry";
import { ConnectorError, isWholeReference, localeOf, notificationSummary, renderNotificationCard, type ConversationRef, type Locale, type NewChatVia, type ProactiveMessage, type ProactiveMessenger, type ConversationTarget } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { DeliveryStatus, NotificationChannelView, NotificationRecipientView } from "@cc/common";
import type { Logger } from "pino";
import { queryAll, readDoc, type Store } from "../store/cosmos.js";
import { storeId } from "../shared/store-ids.js";
import type { Clock } from "../shared/clock.js";
import type { RoleMember, RoleMembersReader } from "../directory/role-members.js";
import type { Installations } from "./installations.js";
import type { Outbox, OutboxEvent } from "./outbox.js";
import type { Recipients } from "./recipients.js";
import { Pacer } from "./pacing.js";

export interface DeliveryDoc {
  id: string;
  tenantId: string;
  type: "delivery";
  eventId: string;
  recipient: { kind: "user"; userId: string; upn: string } | { kind: "channel"; conversationId: string; teamId: string; channelId: string; name: string };
  status: DeliveryStatus;
  reason?: string;
  attempts: number;
  locale: Locale;
  activityId?: string;
  conversationId?: string;
  serviceUrl?: string;
  /** The reference the card was sent with: card updates go through it as it is. */
  reference?: ConversationRef;
  updatedAt: string;
}

export interface NotifierOptions {
  /** The Teams app's catalog id, for Graph app installation. */
  catalogAppId: string;
  /**
   * How to create 1:1 conversations when the tenant has no conversation yet: Teams' public endpoint
   * and the bot's Teams account (`28:<BOT_ID>`), or the local Bot Connector and its bot.
   */
  defaultNewChat: NewChatVia;
  /** Deep link to the tab for card buttons. */
  tabUrl: string;
  leaseMs?: number;
  /** Rounds a recipient is tried before it is `failed`. */
  maxAttempts?: number;
  /** p-retry tries within one round. */
  retries?: number;
  minRetryMs?: number;
}

const TERMINAL: DeliveryStatus[] = ["sent", "not_installed", "failed"];
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);
/** Events this instance delivers at once, side by side; more wait in memory for a free slot. */
const MAX_DIRECT = 32;
/** Beyond this many waiting, an event is left to the next polling round (it is in the store). */
const MAX_WAITING = 2_000;
const GONE_CODES = new Set(["BotNotInConversationRoster", "MessageWritesBlocked", "ConversationNotFound", "ConversationBlockedByUser"]);

export class Notifier {
  private readonly container: Container;
  private readonly pacer = new Pacer();
  private running: Promise<number> | null = null;
  /** Events this instance is delivering right after they were written (by tenant|id). */
  private readonly inFlight = new Map<string, Promise<number>>();
  /** Events written by this instance waiting for a free slot, oldest first (by tenant|id). */
  private readonly waiting = new Map<string, OutboxEvent>();
  private again = false;
  private stopped = false;
  /** Events this instance holds a lease on, to hand back when it stops (by tenant|id). */
  private readonly claimed = new Map<string, OutboxEvent>();

  constructor(
    store: Store,
    private readonly outbox: Outbox,
    private readonly recipients: Recipients,
    private readonly installations: Installations,
    private readonly roleMembers: RoleMembersReader,
    private readonly messenger: ProactiveMessenger,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: NotifierOptions,
  ) {
    this.container = store.containers.outbox;
  }

  /**
   * Deliver soon. With the event just written: deliver that one now, beside any round under way
   * (its lease keeps other instances and rounds off it), or as soon as one of the MAX_DIRECT
   * deliveries under way ends. Without: a round, coalescing bursts.
   */
  nudge(event?: OutboxEvent): void {
    if (this.stopped) return;
    if (event) {
      const key = `${event.tenantId}|${event.id}`;
      if (this.inFlight.has(key) || this.waiting.has(key)) return;
      if (this.inFlight.size < MAX_DIRECT) return this.start(key, event);
      // A burst beyond what this instance delivers at once waits its turn here, or for a round.
      if (this.waiting.size < MAX_WAITING) this.waiting.set(key, event);
      else this.nudge();
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runNow().catch((err) => this.logger.error({ err }, "notification delivery round failed"));
  }

  private start(key: string, event: OutboxEvent): void {
    const delivering = this.deliverEvent(event)
      .catch((err) => {
        this.logger.error({ err, eventId: event.id }, "delivering a new event failed; the next round retries it");
        return 0;
      })
      .finally(() => {
        this.inFlight.delete(key);
        const [next] = this.waiting;
        if (next && !this.stopped) {
          this.waiting.delete(next[0]);
          this.start(next[0], next[1]);
        }
      });
    this.inFlight.set(key, delivering);
  }

  /** One delivery round over every due event; the number of deliveries recorded. */
  async runNow(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        const due = (await this.outbox.undelivered(200)).filter((e) => !this.inFlight.has(`${e.tenantId}|${e.id}`) && !this.waiting.has(`${e.tenantId}|${e.id}`));
        const counts = await mapAll(due, 16, (event) => this.deliverEvent(event));
        total += counts.reduce((a, b) => a + b, 0);
      } while (this.again && !this.stopped);
      return total;
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Wait for the round under way (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.running || this.inFlight.size > 0) await Promise.all([this.running?.catch(() => undefined), ...this.inFlight.values()]);
  }

  stop(): void {
    this.stopped = true;
    // Events still waiting are in the store: a round (here or on another instance) delivers them.
    this.waiting.clear();
  }

  /**
   * After stop(), when the process will not finish what it holds: hand the leases back, so the next
   * start (or another instance) delivers those events at once instead of a lease later. A send
   * already made is not made twice: each recipient's delivery record says it was sent.
   */
  async handBack(): Promise<number> {
    const held = [...this.claimed.values()];
    this.claimed.clear();
    await Promise.all(held.map((event) => this.outbox.handBack(event).catch((err) => this.logger.warn({ err, eventId: event.id }, "handing an event back failed; its lease runs out instead"))));
    return held.length;
  }

  /** The delivery documents of an event (card actions update every copy). */
  async deliveries(tenantId: string, eventId: string): Promise<DeliveryDoc[]> {
    return queryAll<DeliveryDoc>(this.container, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'delivery' AND c.eventId = @eventId", { "@eventId": eventId });
  }

  /** Replace each sent copy of the event's card (after an admin acted on one). */
  async updateCopies(event: OutboxEvent): Promise<number> {
    const sent = (await this.deliveries(event.tenantId, event.id)).filter((d) => d.status === "sent" && d.activityId);
    const copies = sent.filter((d) => isWholeReference(d.reference));
    // A card sent before whole references has none to update it through: it stays as it was.
    if (copies.length < sent.length) this.logger.warn({ eventId: event.id, skipped: sent.length - copies.length }, "card copies sent before whole conversation references are not updated");
    let updated = 0;
    await mapAll(copies, 8, async (copy) => {
      const target: ConversationTarget = { tenantId: event.tenantId, reference: copy.reference! };
      try {
        await this.paced(event.tenantId, target.reference.conversation.id, () => this.messenger.update(target, copy.activityId ?? "", this.message(event, copy.locale, copy.recipient.kind === "channel" ? [] : undefined)));
        updated++;
      } catch (err) {
        this.logger.warn({ err, eventId: event.id, deliveryId: copy.id }, "updating a card copy failed");
      }
    });
    return updated;
  }

  /** The card for an event in a language, with what an admin did, if anything. */
  message(event: OutboxEvent, locale: Locale, refreshUserIds?: string[]): ProactiveMessage {
    const outcome = event.action ? { by: event.action.by, verb: event.action.verb, ok: event.action.ok, message: event.action.message, amountMicros: event.action.amountMicros, currency: event.action.currency, at: event.action.at } : null;
    return { card: renderNotificationCard(event, { locale, tabUrl: this.options.tabUrl, outcome, refreshUserIds }), summary: notificationSummary(event, locale) };
  }

  private async deliverEvent(candidate: OutboxEvent): Promise<number> {
    // Who gets it is read beside the claim (the settings and the cached directory, no side effect).
    const resolving = this.recipients.resolve(candidate.tenantId, candidate.kind);
    resolving.catch(() => undefined);
    const event = await this.outbox.claim(candidate, this.options.leaseMs ?? 60_000);
    if (!event) return 0;
    const claimKey = `${event.tenantId}|${event.id}`;
    this.claimed.set(claimKey, event);
    let recorded = 0;
    try {
      const { users, channels } = await resolving;
      const refreshUserIds = users.map((u) => u.id).slice(0, 60);
      const userResults = await mapAll(users, 4, async (user) => {
        const doc = await this.deliverToUser(event, user);
        recorded++;
        return { upn: user.upn, status: doc.status, attempts: doc.attempts, ...(doc.reason ? { reason: doc.reason } : {}) } satisfies NotificationRecipientView;
      });
      const channelResults: NotificationChannelView[] = [];
      for (const channel of channels) {
        const doc = await this.deliverToChannel(event, channel, refreshUserIds);
        recorded++;
        channelResults.push({ ...channel, status: doc.status, attempts: doc.attempts, ...(doc.reason ? { reason: doc.reason } : {}) });
      }
      const done = [...userResults, ...channelResults].every((r) => TERMINAL.includes(r.status));
      const now = this.clock.now();
      await this.outbox.release(event, {
        recipients: userResults,
        channels: channelResults,
        deliveredAt: done ? now.toISOString() : null,
        nextAttemptAt: done ? null : new Date(now.getTime() + 30_000).toISOString(),
      });
    } catch (err) {
      this.logger.error({ err, eventId: event.id }, "delivering an event failed; it is tried again after its lease");
    } finally {
      this.claimed.delete(claimKey);
    }
    return recorded;
  }

  private async deliverToUser(event: OutboxEvent, user: RoleMember): Promise<DeliveryDoc> {
    const id = `delivery:${event.id}:${user.id}`;
    const [existing, stored] = await Promise.all([readDoc<DeliveryDoc>(this.container, event.tenantId, id), this.installations.personal(event.tenantId, user.id)]);
    if (existing && TERMINAL.includes(existing.status)) return existing;
    let installation = stored;
    const locale = localeOf(installation?.locale ?? user.preferredLanguage);
    const base: DeliveryDoc = { id, tenantId: event.tenantId, type: "delivery", eventId: event.id, recipient: { kind: "user", userId: user.id, upn: user.upn }, status: "pending", attempts: (existing?.attempts ?? 0) + 1, locale, updatedAt: this.clock.now().toISOString() };
    const message = this.message(event, locale);
    /** Why the stored chat could not be used (a 403/404 on a send), told with the final outcome. */
    let gone = "";
    const result = await this.attempt(base, async () => {
      if (installation) {
        const target: ConversationTarget = { tenantId: event.tenantId, reference: installation.reference };
        try {
          const { activityId } = await this.paced(event.tenantId, installation.conversationId, () => this.messenger.send(target, message));
          return { status: "sent", activityId, conversationId: installation.conversationId, serviceUrl: installation.reference.serviceUrl, reference: installation.reference };
        } catch (error) {
          if (!isGone(error)) throw error;
          // The app left this chat (or the chat is gone): forget it and reach the user afresh below.
          gone = `${(error as ConnectorError).code}: the app was removed from this chat`;
          await this.installations.remove(event.tenantId, installation.id);
          installation = undefined;
        }
      }
      // Installed for the user (409 from Graph) → open the 1:1 chat; not installed → install, then open it.
      const install = await this.roleMembers.installApp(event.tenantId, user.id, this.options.catalogAppId);
      if (install.outcome === "refused") return { status: "not_installed", reason: [gone, install.reason ?? "app_install_refused"].filter(Boolean).join("; ") };
      const via = (await this.installations.newChatVia(event.tenantId)) ?? this.options.defaultNewChat;
      let created: { reference: ConversationRef; activityId: string };
      try {
        created = await this.paced(event.tenantId, `new:${user.id}`, () => this.messenger.createPersonal(via, event.tenantId, user.id, message));
      } catch (error) {
        // The user blocked the bot: a new chat is refused too. Stop trying this recipient.
        if (isGone(error)) return { status: "not_installed", reason: `${(error as ConnectorError).code}: the user does not accept messages from the app` };
        throw error;
      }
      const { reference } = created;
      await this.installations.save({ tenantId: event.tenantId, scope: "personal", userId: user.id, conversationId: reference.conversation.id, serviceUrl: reference.serviceUrl, locale: user.preferredLanguage, reference });
      return { status: "sent", activityId: created.activityId, conversationId: reference.conversation.id, serviceUrl: reference.serviceUrl, reference };
    });
    await this.container.items.upsert(result);
    return result;
  }

  private async deliverToChannel(event: OutboxEvent, channel: { teamId: string; channelId: string; name: string }, refreshUserIds: string[]): Promise<DeliveryDoc> {
    const conversationId = channel.channelId;
    const id = storeId(`delivery:${event.id}:conv:${conversationId}`); // a channel id an admin typed
    const [existing, installation] = await Promise.all([readDoc<DeliveryDoc>(this.container, event.tenantId, id), this.installations.byConversation(event.tenantId, conversationId)]);
    if (existing && TERMINAL.includes(existing.status)) return existing;
    const locale = localeOf(installation?.locale);
    const base: DeliveryDoc = { id, tenantId: event.tenantId, type: "delivery", eventId: event.id, recipient: { kind: "channel", conversationId, teamId: channel.teamId, channelId: channel.channelId, name: channel.name }, status: "pending", attempts: (existing?.attempts ?? 0) + 1, locale, updatedAt: this.clock.now().toISOString() };
    const result = await this.attempt(base, async () => {
      if (!installation) return { status: "not_installed", reason: "the app is not installed in this channel's team" };
      const target: ConversationTarget = { tenantId: event.tenantId, reference: installation.reference };
      try {
        const { activityId } = await this.paced(event.tenantId, conversationId, () => this.messenger.send(target, this.message(event, locale, refreshUserIds)));
        return { status: "sent", activityId, conversationId, serviceUrl: installation.reference.serviceUrl, reference: installation.reference };
      } catch (error) {
        if (isGone(error)) {
          await this.installations.remove(event.tenantId, installation.id);
          return { status: "not_installed", reason: `${(error as ConnectorError).code}: the app was removed from this team` };
        }
        throw error;
      }
    });
    await this.container.items.upsert(result);
    return result;
  }

  /** Run one delivery with retries; a transient failure left after them stays pending until maxAttempts rounds. */
  private async attempt(base: DeliveryDoc, run: () => Promise<Partial<DeliveryDoc>>): Promise<DeliveryDoc> {
    try {
      const outcome = await pRetry(run, {
        retries: this.options.retries ?? 4,
        minTimeout: this.options.minRetryMs ?? 200,
        maxTimeout: 10_000,
        randomize: true,
        shouldRetry: ({ error }) => isTransient(error),
        onFailedAttempt: async ({ error }) => {
          // Teams said when: wait that long (the back-off still applies after).
          if (error instanceof ConnectorError && error.status === 429 && error.retryAfterMs) await new Promise((r) => setTimeout(r, Math.min(error.retryAfterMs ?? 0, 60_000)));
        },
      });
      return { ...base, ...outcome, updatedAt: this.clock.now().toISOString() } as DeliveryDoc;
    } catch (error) {
      const reason = error instanceof ConnectorError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
      const giveUp = !isTransient(error) || base.attempts >= (this.options.maxAttempts ?? 5);
      this.logger.warn({ err: error, deliveryId: base.id, attempts: base.attempts, giveUp }, "a notification could not be delivered");
      return { ...base, status: giveUp ? "failed" : "pending", reason, updatedAt: this.clock.now().toISOString() };
    }
  }

  private paced<T>(tenantId: string, conversationId: string, send: () => Promise<T>): Promise<T> {
    return this.pacer.paced(tenantId, conversationId, send);
  }
}

function isGone(error: unknown): boolean {
  return error instanceof ConnectorError && (error.status === 403 || error.status === 404 || GONE_CODES.has(error.code));
}

function isTransient(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.status === undefined || RETRYABLE.has(error.status);
  // Graph client errors (app install) and network failures without a status.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status !== "number" || RETRYABLE.has(status);
}

export type { ConversationTarget };

/** `fn` over `items` with at most `limit` in flight, results in order. */
async function mapAll<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}
