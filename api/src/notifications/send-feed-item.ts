/**
 * Ping an admin who has the app in their Teams activity feed (channel `activity_feed`) for the
 * urgent kinds: recharge failed, balance at zero, auto-recharge paused, spending spike. The card
 * in their chat stays the place to act; the feed item is the ping, linking to the tab's page.
 *
 * Each situation has one chain per tenant ("recharge", "balance", a spike's own): when it is over
 * (a recharge succeeded after a failure; funds added, or a recharge, after zero) a notification
 * with the same chainId replaces the earlier one, for the admins who got it. A record per event
 * and user (`delivery:<event>:<user>:feed`) keeps a round from pinging twice; a duplicate after a
 * crash would carry the same chainId and replace the first in the feed.
 */
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { assertNever, type NotificationEvent, type NotificationKind } from "@cc/common";
import type { Locale } from "@cc/bot";
import { readDoc } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RoleMember } from "../directory/role-members.js";
import type { OutboxEvent } from "./outbox.js";
import { chainIdOf, type ActivityFeed, type ActivityNotification } from "./graph-activity-feed.js";
import { eventWords, PAGE_OF, tabDeepLink } from "./email-message.js";
import { messageOf, pendingToUser, statusOf, TERMINAL, type DeliveryDoc } from "./delivery-record.js";

/** The manifest's activity type for each urgent kind (appPackage/manifest.json `activities`). */
export const ACTIVITY_TYPE: Partial<Record<NotificationKind, string>> = {
  recharge_failed: "rechargeFailed",
  balance_depleted: "balanceDepleted",
  recharge_paused: "rechargePaused",
  spend_spike: "spendSpike",
};
export const RESOLVED_ACTIVITY_TYPE = "situationResolved";

/** What the chain rules read of an event: its id, kind and facts. */
export type SituationEvent = NotificationEvent & { id: string };

/** The chains an event opens (urgent kinds) or closes (the good news that ends them). */
export function situationsOf(event: SituationEvent): { opens: string | null; closes: string[] } {
  switch (event.kind) {
    case "recharge_failed":
    case "recharge_paused":
      return { opens: "recharge", closes: [] };
    case "balance_depleted":
      return { opens: "balance", closes: [] };
    case "spend_spike":
      return { opens: `spike:${event.id}`, closes: [] };
    case "recharge_succeeded":
      return { opens: null, closes: ["recharge", ...(event.data.balanceAfterMicros > 0 ? ["balance"] : [])] };
    case "funds_added":
      return { opens: null, closes: event.data.balanceAfterMicros > 0 ? ["balance"] : [] };
    case "balance_low":
    case "card_expiring":
    case "budget_threshold":
      return { opens: null, closes: [] };
    default:
      return assertNever(event);
  }
}

interface ChainDoc {
  id: string;
  tenantId: string;
  type: "feed-chain";
  situation: string;
  userId: string;
  chainId: number;
  open: boolean;
  eventId: string;
  updatedAt: string;
}

export class SendFeedItem {
  constructor(
    private readonly deliveries: Container,
    private readonly feed: ActivityFeed,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly tabUrl: string,
  ) {}

  /** Whether this event pings or un-pings the feed at all. */
  static concerns(event: SituationEvent): boolean {
    const { opens, closes } = situationsOf(event);
    return opens !== null || closes.length > 0;
  }

  /** The feed record for this admin, or null when there is nothing to ping them about. */
  async call(event: OutboxEvent, user: RoleMember, locale: Locale): Promise<DeliveryDoc | null> {
    const { opens, closes } = situationsOf(event);
    const id = `delivery:${event.id}:${user.id}:feed`;
    const existing = await readDoc<DeliveryDoc>(this.deliveries, event.tenantId, id);
    if (existing && TERMINAL.includes(existing.status)) return existing;
    const chainKey = (situation: string) => `feedchain:${situation}:${user.id}`;
    let situation = opens;
    if (!situation) {
      // Good news replaces an earlier ping only where one is open.
      const open = (await Promise.all(closes.map((s) => readDoc<ChainDoc>(this.deliveries, event.tenantId, chainKey(s))))).find((c) => c?.open);
      if (!open) return null;
      situation = open.situation;
    }
    const chainId = chainIdOf(event.tenantId, situation);
    const base = pendingToUser(id, event, user, "activity_feed", { attempts: (existing?.attempts ?? 0) + 1, locale, updatedAt: this.clock.now().toISOString() });
    let result: DeliveryDoc;
    try {
      await this.feed.send(event.tenantId, this.notification(event, user.id, locale, chainId, opens === null));
      result = {
        ...base,
        status: "sent",
        reason: opens ? `urgent: ${event.kind} (chain ${chainId})` : `replaces the ${situation} ping (chain ${chainId})`,
        updatedAt: this.clock.now().toISOString(),
      };
      const chain: ChainDoc = {
        id: chainKey(situation),
        tenantId: event.tenantId,
        type: "feed-chain",
        situation,
        userId: user.id,
        chainId,
        open: opens !== null,
        eventId: event.id,
        updatedAt: result.updatedAt,
      };
      await this.deliveries.items.upsert(chain);
    } catch (error) {
      const status = statusOf(error);
      this.logger.warn({ err: error, deliveryId: id, status }, "an activity feed notification was not sent");
      const retry = (status === undefined || status === 429 || status >= 500) && base.attempts < 5;
      // 403: the app is not installed for the user, or the tenant did not consent to TeamsActivity.Send.
      result = {
        ...base,
        status: retry ? "pending" : "failed",
        reasonCode: status === 403 ? "forbidden" : !retry ? "failed" : status === 429 ? "throttled" : undefined,
        reason: messageOf(error),
        updatedAt: this.clock.now().toISOString(),
      };
    }
    await this.deliveries.items.upsert(result);
    return result;
  }

  notification(event: SituationEvent, userId: string, locale: Locale, chainId: number, resolves: boolean): ActivityNotification {
    const { say, money, cardFailure, pauseReason, spender } = eventWords(locale);
    const webUrl = tabDeepLink(this.tabUrl, PAGE_OF[event.kind]);
    const topicText = say("feed.topic");
    const item = (activityType: string, previewText: string, templateParameters: Record<string, string>): ActivityNotification => ({
      userId,
      activityType,
      topicText,
      webUrl,
      chainId,
      previewText,
      templateParameters,
    });
    switch (event.kind) {
      case "recharge_succeeded":
      case "funds_added":
        if (!resolves) break;
        return item(RESOLVED_ACTIVITY_TYPE, say("feed.preview.resolved"), {
          what:
            event.kind === "recharge_succeeded"
              ? say("feed.resolved.recharge", { amount: money(event.data.amountMicros, event.data.currency) })
              : say("feed.resolved.balance", { amount: money(event.data.balanceAfterMicros, event.data.currency) }),
        });
      case "recharge_failed":
        return item(ACTIVITY_TYPE.recharge_failed!, say("feed.preview.rechargeFailed"), {
          amount: money(event.data.amountMicros, event.data.currency),
          reason: cardFailure(event.data.reason),
        });
      case "recharge_paused":
        return item(ACTIVITY_TYPE.recharge_paused!, say("feed.preview.rechargePaused"), { reason: pauseReason(event.data) });
      case "balance_depleted":
        return item(ACTIVITY_TYPE.balance_depleted!, say("feed.preview.balanceDepleted"), {});
      case "spend_spike":
        return item(ACTIVITY_TYPE.spend_spike!, say("feed.preview.spendSpike"), { amount: money(event.data.amountMicros, event.data.currency), who: spender(event.data) });
      case "balance_low":
      case "card_expiring":
      case "budget_threshold":
        break;
      default:
        return assertNever(event);
    }
    throw new Error(`${event.kind} is not an urgent kind`);
  }
}
