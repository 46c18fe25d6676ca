/**
 * The notifier: the one sender of proactive messages. It claims undelivered outbox events (a lease
 * under the event's ETag, so one instance delivers an event at a time), resolves the recipients at
 * delivery time, and reaches each admin through the channels they can be reached by, each use case
 * in its own file:
 *
 * - deliver-to-user.ts: the card in the admin's 1:1 chat (`teams_chat`);
 * - deliver-to-channel.ts: the card in the tenant's admin channels (`teams_channel`);
 * - send-feed-item.ts: for urgent kinds, a ping in the activity feed of each admin the chat
 *   reached (`activity_feed`), unless the tenant turned it off; the good news that ends a
 *   situation replaces the ping (same chainId);
 * - deliver-by-email.ts: an e-mail, once, to each admin Teams could not reach (`email`);
 * - update-card-copies.ts: every copy of a card after an admin acted on one;
 * - delivery-queue.ts: when (at once for events this instance wrote, rounds for the rest).
 *
 * Each (event, recipient, channel) has a delivery record with a deterministic id
 * (delivery-record.ts): a record already terminal is never sent again, across instances and
 * restarts. The event's recipients list one line per recipient and channel (API.md v1.2).
 */
import type { NewChatVia, ProactiveMessage, ProactiveMessenger, Locale, ConversationTarget } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { NotificationChannelView, NotificationRecipientView } from "@cc/common";
import type { Logger } from "pino";
import pLimit from "p-limit";
import type { Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RoleMember, RoleMembersReader } from "../directory/role-members.js";
import type { Installations } from "./installations.js";
import type { Outbox, OutboxEvent } from "./outbox.js";
import type { Recipients } from "./recipients.js";
import type { NotificationSettingsStore } from "./settings.js";
import { Pacer } from "./pacing.js";
import { cardMessage } from "./card-message.js";
import { DeliveryQueue } from "./delivery-queue.js";
import { DeliverToUser } from "./deliver-to-user.js";
import { DeliverToChannel } from "./deliver-to-channel.js";
import { UpdateCardCopies } from "./update-card-copies.js";
import { DeliverByEmail } from "./deliver-by-email.js";
import { SendFeedItem } from "./send-feed-item.js";
import type { MailSender } from "./graph-mail.js";
import type { ActivityFeed } from "./graph-activity-feed.js";
import type { UnreachedEvents } from "./unreached.js";
import { channelOf, deliveriesOf, TERMINAL, type DeliveryDoc } from "./delivery-record.js";
import { codeOf } from "./reason-code-rules.js";

export type { DeliveryDoc } from "./delivery-record.js";

export interface NotifierOptions {
  /** The Teams app's catalog id, for Graph app installation. */
  catalogAppId: string;
  /**
   * How to create 1:1 conversations when the tenant has no conversation yet: Teams' public endpoint
   * and the bot's Teams account (`28:<BOT_ID>`), or the local Bot Connector and its bot.
   */
  defaultNewChat: NewChatVia;
  /** Deep link to the tab for card buttons, e-mail links and feed items. */
  tabUrl: string;
  /** The mailbox e-mails are sent from (NOTIFY_SENDER_MAILBOX); unset = no e-mail fallback. */
  senderMailbox?: string;
  leaseMs?: number;
  /** Rounds a recipient is tried before it is `failed`. */
  maxAttempts?: number;
  /** p-retry tries within one round. */
  retries?: number;
  minRetryMs?: number;
}

/** What reaches admins beyond Teams chats: Graph mail and the activity feed, and the tenant's settings. */
export interface NotifierReach {
  mail: MailSender;
  feed: ActivityFeed;
  settings: NotificationSettingsStore;
  /** Where a finished urgent event that reached nobody is noted for the overview. */
  unreached: UnreachedEvents;
}

export class Notifier {
  private readonly container: Container;
  private readonly pacer = new Pacer();
  private readonly queue: DeliveryQueue;
  private readonly toUser: DeliverToUser;
  private readonly toChannel: DeliverToChannel;
  private readonly copies: UpdateCardCopies;
  private readonly byEmail: DeliverByEmail;
  private readonly feedItem: SendFeedItem;
  /** Events this instance holds a lease on, to hand back when it stops (by tenant|id). */
  private readonly claimed = new Map<string, OutboxEvent>();

  constructor(
    store: Store,
    private readonly outbox: Outbox,
    private readonly recipients: Recipients,
    installations: Installations,
    roleMembers: RoleMembersReader,
    messenger: ProactiveMessenger,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: NotifierOptions,
    private readonly reach: NotifierReach,
  ) {
    this.container = store.containers.outbox;
    this.toUser = new DeliverToUser(this.container, installations, roleMembers, messenger, this.pacer, clock, logger, options);
    this.toChannel = new DeliverToChannel(this.container, installations, messenger, this.pacer, clock, logger, options);
    this.copies = new UpdateCardCopies(this.container, messenger, this.pacer, logger, options.tabUrl);
    this.byEmail = new DeliverByEmail(this.container, reach.mail, clock, logger, {
      senderMailbox: options.senderMailbox,
      tabUrl: options.tabUrl,
      maxAttempts: options.maxAttempts,
    });
    this.feedItem = new SendFeedItem(this.container, reach.feed, clock, logger, options.tabUrl);
    this.queue = new DeliveryQueue(
      (event) => this.deliverEvent(event),
      () => this.outbox.undelivered(200),
      logger,
    );
  }

  /** Deliver soon: the event just written at once, or (without one) a round. */
  nudge(event?: OutboxEvent): void {
    this.queue.nudge(event);
  }

  /** One delivery round over every due event; the number of deliveries recorded. */
  runNow(): Promise<number> {
    return this.queue.runNow();
  }

  /** Wait for the deliveries under way (tests, shutdown). */
  settle(): Promise<void> {
    return this.queue.settle();
  }

  stop(): void {
    this.queue.stop();
  }

  /**
   * After stop(), when the process will not finish what it holds: hand the leases back, so the next
   * start (or another instance) delivers those events at once instead of a lease later. A send
   * already made is not made twice: each recipient's delivery record says it was sent.
   */
  async handBack(): Promise<number> {
    const held = [...this.claimed.values()];
    this.claimed.clear();
    await Promise.all(
      held.map((event) => this.outbox.handBack(event).catch((err) => this.logger.warn({ err, eventId: event.id }, "handing an event back failed; its lease runs out instead"))),
    );
    return held.length;
  }

  /** The delivery documents of an event. */
  deliveries(tenantId: string, eventId: string): Promise<DeliveryDoc[]> {
    return deliveriesOf(this.container, tenantId, eventId);
  }

  /** Replace each sent copy of the event's card (after an admin acted on one). */
  updateCopies(event: OutboxEvent): Promise<number> {
    return this.copies.call(event);
  }

  /** The card for an event in a language, with what an admin did, if anything. */
  message(event: OutboxEvent, locale: Locale, refreshUserIds?: string[]): ProactiveMessage {
    return cardMessage(event, locale, this.options.tabUrl, refreshUserIds);
  }

  private async deliverEvent(candidate: OutboxEvent): Promise<number> {
    // Who gets it is read beside the claim (the settings and the cached directory, no side effect).
    const resolving = this.recipients.resolve(candidate.tenantId, candidate.kind);
    resolving.catch(() => undefined);
    const settings = this.reach.settings.get(candidate.tenantId);
    settings.catch(() => undefined);
    const event = await this.outbox.claim(candidate, this.options.leaseMs ?? 60_000);
    if (!event) return 0;
    const claimKey = `${event.tenantId}|${event.id}`;
    this.claimed.set(claimKey, event);
    let recorded = 0;
    try {
      const [{ users, channels }, { activityFeed }] = await Promise.all([resolving, settings]);
      const feedOn = activityFeed !== false && SendFeedItem.concerns(event);
      const refreshUserIds = users.map((u) => u.id).slice(0, 60);
      const limit = pLimit(4);
      const perUser = await Promise.all(users.map((user) => limit(() => this.reachUser(event, user, feedOn))));
      recorded += perUser.reduce((n, docs) => n + docs.length, 0);
      const channelDocs: DeliveryDoc[] = [];
      for (const channel of channels) {
        channelDocs.push(await this.toChannel.call(event, channel, refreshUserIds));
        recorded++;
      }
      const userDocs = perUser.flat();
      const done = [...userDocs, ...channelDocs].every((d) => TERMINAL.includes(d.status));
      const now = this.clock.now();
      const outcome = {
        recipients: userDocs.map(recipientView),
        channels: channelDocs.map((doc) => channelView(doc)),
        deliveredAt: done ? now.toISOString() : null,
        nextAttemptAt: done ? null : new Date(now.getTime() + 30_000).toISOString(),
      };
      await this.outbox.release(event, outcome);
      if (done) await this.reach.unreached.record(event.tenantId, { ...event, ...outcome });
    } catch (err) {
      this.logger.error({ err, eventId: event.id }, "delivering an event failed; it is tried again after its lease");
    } finally {
      this.claimed.delete(claimKey);
    }
    return recorded;
  }

  /** One admin: the chat; then the feed ping if the chat reached them, or an e-mail if Teams could not. */
  private async reachUser(event: OutboxEvent, user: RoleMember, feedOn: boolean): Promise<DeliveryDoc[]> {
    const chat = await this.toUser.call(event, user);
    if (chat.status === "sent") {
      const feed = feedOn ? await this.feedItem.call(event, user, chat.locale) : null;
      return feed ? [chat, feed] : [chat];
    }
    if (chat.status === "pending") return [chat];
    return [chat, await this.byEmail.call(event, user, chat)];
  }
}

function recipientView(doc: DeliveryDoc): NotificationRecipientView {
  const upn = doc.recipient.kind === "user" ? doc.recipient.upn : doc.recipient.name;
  return { upn, status: doc.status, channel: channelOf(doc), attempts: doc.attempts, ...codeOf({ ...doc, channel: channelOf(doc) }) };
}

function channelView(doc: DeliveryDoc): NotificationChannelView {
  const r = doc.recipient.kind === "channel" ? doc.recipient : { teamId: "", channelId: doc.conversationId ?? "", name: "" };
  return { teamId: r.teamId, channelId: r.channelId, name: r.name, status: doc.status, attempts: doc.attempts, ...codeOf(doc) };
}

export type { ConversationTarget };
