/**
 * The notification events, one discriminated union: each kind with its typed facts. Events carry
 * facts (amounts in micros with their currency, reasons as codes, names), never sentences: the
 * cards, e-mails, the feed and the tab word them through the message catalog (namespace
 * "events"). Numbers a reader is offered (a suggested top-up) are computed by the API and carried
 * here. Written by the outbox (api/src/notifications/outbox.ts), read by the notifier and the bot's
 * cards; a `switch (event.kind)` over it ends with `assertNever` so a new kind cannot be forgotten.
 */
import type { CardFailureCode, RechargePauseReason } from "./api.js";
import { NOTIFICATION_KINDS, type NotificationKind } from "./notifications.js";
import type { CurrencyCode } from "./money.js";

export interface RechargeSucceededFacts {
  amountMicros: number;
  currency: CurrencyCode;
  balanceAfterMicros: number;
  /** The card as people name it ("Visa •••• 4242"), null when it was removed meanwhile. */
  paymentMethod: string | null;
  /** The dip this recharge restored, when balance alerts were held for it (notifications/held-alerts.ts). */
  dip?: { lowestMicros: number; at: string; kinds: string[] };
}

export interface RechargeFailedFacts {
  amountMicros: number;
  currency: CurrencyCode;
  /** Why the card was refused, as a code the catalog words (events.cardFailure.*). */
  reason: CardFailureCode;
  /** The card processor's own text, for support (not shown to people). */
  processorMessage?: string;
  /** When it is tried again by itself, or null when it is not. */
  willRetryAt: string | null;
  balanceMicros: number;
  paymentMethod: string | null;
  /** The card's expiry ("12/2020") when it has passed: a bank may refuse a card as expired before the printed date. */
  expiredIn?: string | null;
}

export interface RechargePausedFacts {
  reason: RechargePauseReason;
  currency: CurrencyCode;
  /** The recharge that would have passed the limit. */
  amountMicros: number;
  /** The limit passed: a count of recharges (max_recharges_per_day) or an amount (max_amount_per_day). */
  limitCount?: number;
  limitMicros?: number;
}

export interface BalanceFacts {
  currency: CurrencyCode;
  balanceAfterMicros: number;
  thresholdMicros: number;
  entryId: string;
  /** What the card's "Add funds" offers, computed by the API (accounts/account.ts suggestedTopUpMicros). */
  suggestedTopUpMicros?: number;
  /** Whether auto-recharge was on: the card does not offer to turn it on then. */
  autoRechargeEnabled?: boolean;
  /** The low-balance threshold crossed, when it is set as a percentage of the recharge amount. */
  percentOfRecharge?: number;
}

export interface BudgetThresholdFacts {
  department: string;
  /** "2026-12" */
  month: string;
  /** 80 or 100 (percent of the monthly budget). */
  level: number;
  spentMicros: number;
  monthlyMicros: number;
  /** At 100 %: "block" refuses the department's calls charged to credits, "warn" only tells. */
  mode: "block" | "warn";
  currency: CurrencyCode;
}

export interface FundsAddedFacts {
  amountMicros: number;
  currency: CurrencyCode;
  balanceAfterMicros: number;
  /** Who added them: the admin's upn, or a system job's id. */
  by: string;
}

export interface CardExpiringFacts {
  paymentMethod: string;
  expMonth: number;
  expYear: number;
  /** True once its month is over (calls that need a recharge will fail), false while it only expires soon. */
  expired?: boolean;
}

export interface SpendSpikeFacts {
  /** The user who spent it, or null for a destination's spike. */
  upn: string | null;
  userId?: string | null;
  /** The destination's ISO country code (the "Block this destination" button) and its name, or null for a user's spike. */
  destinationCountry: string | null;
  destinationName: string | null;
  /** Spent in the last hour, and the usual spend an hour. */
  amountMicros: number;
  baselineMicros: number;
  currency: CurrencyCode;
}

/** Each kind's facts. */
export interface NotificationFacts {
  recharge_succeeded: RechargeSucceededFacts;
  recharge_failed: RechargeFailedFacts;
  recharge_paused: RechargePausedFacts;
  balance_low: BalanceFacts;
  balance_depleted: BalanceFacts;
  funds_added: FundsAddedFacts;
  card_expiring: CardExpiringFacts;
  spend_spike: SpendSpikeFacts;
  budget_threshold: BudgetThresholdFacts;
}

/** One notification event: its kind and that kind's facts. */
export type NotificationEvent = { [K in NotificationKind]: { kind: K; data: NotificationFacts[K] } }[NotificationKind];

/** An event as the outbox keeps it and the notifier hands it to a renderer. */
export type StoredNotificationEvent = NotificationEvent & { id: string; at: string };

/** The end of an exhaustive switch: a kind added to the union and not handled is a compile error here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/**
 * An event as the API lists it (GET /api/v1/notifications: `{ kind, data }` with untyped data),
 * narrowed to the union when its kind is one this build knows; the tab reads its facts this way.
 */
export function asNotificationEvent<T extends { kind: string; data: unknown }>(view: T): (T & NotificationEvent) | undefined {
  return (NOTIFICATION_KINDS as readonly string[]).includes(view.kind) ? (view as T & NotificationEvent) : undefined;
}
