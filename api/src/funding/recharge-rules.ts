/**
 * Auto-recharge rules, pure: which settings may be saved, whether a recharge is needed now, of how
 * much and under which attempt id, when the circuit breaker pauses it, and when a failed one is
 * tried again. auto-recharge/ does the I/O (one use case a file).
 *
 * Invariants (test/unit/recharge-rules.property.test.ts checks them over random sequences):
 *  - a recharge restores: it charges the smallest whole multiple of the recharge amount that brings
 *    the balance to at least the threshold (one payment, capped by the per-payment maximum);
 *  - one attempt per decision: the attempt id is `rc-<n>`, n the account's decision counter, claimed
 *    on the account with If-Match, so never two in flight and never two for one decision;
 *  - a declined or expired card stops the chain until the payment method or settings change;
 *  - in any rolling 24 h (counted from the last resume) at most `maxRechargesPerDay` recharges and
 *    `maxAmountPerDayMicros` recharged; a recharge that would exceed either pauses auto-recharge.
 */
import { formatMoney, type AutoRechargeSettings, type AutoRechargeView, type CardFailureCode, type RechargePauseReason } from "@cc/common";
import { Refusal, refuse } from "../shared/refusal.js";
import { checkCanPurchase, checkChargeAmount, type AccountDoc, type RechargeState } from "../accounts/account.js";

export const DEFAULT_MAX_RECHARGES_PER_DAY = 5;
/** Default daily amount limit: this many times the recharge amount. */
export const DEFAULT_DAILY_AMOUNT_FACTOR = 10;
export const MAX_RECHARGES_PER_DAY_LIMIT = 100;
const DAY_MS = 86_400_000;

export interface BreakerLimits {
  maxRechargesPerDay: number;
  maxAmountPerDayMicros: number;
}

/** The effective daily limits of the settings (defaults filled in). */
export function breakerLimits(settings: AutoRechargeSettings): BreakerLimits {
  return {
    maxRechargesPerDay: settings.maxRechargesPerDay ?? DEFAULT_MAX_RECHARGES_PER_DAY,
    maxAmountPerDayMicros: settings.maxAmountPerDayMicros ?? DEFAULT_DAILY_AMOUNT_FACTOR * settings.amountMicros,
  };
}

export function autoRechargeView(account: AccountDoc): AutoRechargeView {
  const { enabled, amountMicros, thresholdMicros } = account.autoRecharge;
  return { enabled, amountMicros, thresholdMicros, ...breakerLimits(account.autoRecharge), paused: account.rechargePaused ?? null };
}

/** Settings an admin may save: a threshold within the payment maximum; when on, a chargeable amount, a card, a purchasable region and limits that allow one recharge. */
export function checkAutoRecharge(settings: AutoRechargeSettings, account: AccountDoc, maxMicros: number): void {
  if (settings.thresholdMicros > maxMicros) {
    throw refuse.rule("above_maximum", `The threshold can be at most ${formatMoney(maxMicros, account.currency)}`, "thresholdMicros", {
      maximumMicros: maxMicros,
      currency: account.currency,
      what: "threshold",
    });
  }
  const count = settings.maxRechargesPerDay;
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAX_RECHARGES_PER_DAY_LIMIT)) {
    throw refuse.rule("invalid_limit", `The number of recharges per day must be a whole number from 1 to ${MAX_RECHARGES_PER_DAY_LIMIT}`, "maxRechargesPerDay", {
      maximum: MAX_RECHARGES_PER_DAY_LIMIT,
    });
  }
  if (!settings.enabled) return;
  checkChargeAmount(settings.amountMicros, maxMicros, account.currency, "amountMicros");
  const { maxAmountPerDayMicros } = breakerLimits(settings);
  if (maxAmountPerDayMicros < settings.amountMicros) {
    throw refuse.rule(
      "daily_limit_below_amount",
      `The daily recharge limit (${formatMoney(maxAmountPerDayMicros, account.currency)}) must be at least the recharge amount (${formatMoney(settings.amountMicros, account.currency)})`,
      "maxAmountPerDayMicros",
      {
        limitMicros: maxAmountPerDayMicros,
        amountMicros: settings.amountMicros,
        currency: account.currency,
      },
    );
  }
  if (!account.paymentMethodId) throw refuse.rule("no_payment_method", "Add a payment method before turning on auto-recharge", "enabled", { when: "auto_recharge" });
  checkCanPurchase(account);
}

/**
 * What one recharge charges: the recharge amount, or the smallest whole multiple of it that brings
 * the balance to at least the threshold, capped by the per-payment maximum (then the next decision
 * follows at once).
 */
export function rechargeAmount(balanceMicros: number, thresholdMicros: number, amountMicros: number, maxChargeMicros: number): number {
  const needed = Math.max(1, Math.ceil((thresholdMicros - balanceMicros) / amountMicros));
  const mostInOnePayment = Math.max(1, Math.floor(maxChargeMicros / amountMicros));
  return Math.min(needed, mostInOnePayment) * amountMicros;
}

/** Recharges counted by the breaker now: credited in the last 24 h and after the last resume. */
export function breakerWindow(account: AccountDoc, now: string): { count: number; amountMicros: number } {
  const since = Math.max(Date.parse(now) - DAY_MS, account.rechargeResumedAt ? Date.parse(account.rechargeResumedAt) : 0);
  const counted = (account.rechargeLog ?? []).filter((r) => Date.parse(r.at) > since);
  return { count: counted.length, amountMicros: counted.reduce((s, r) => s + r.amountMicros, 0) };
}

/** The breaker's log after a credited recharge: entries older than 24 h dropped. */
export function logRecharge(account: AccountDoc, entry: { attemptId: string; at: string; amountMicros: number }): NonNullable<AccountDoc["rechargeLog"]> {
  const since = Date.parse(entry.at) - DAY_MS;
  const kept = (account.rechargeLog ?? []).filter((r) => Date.parse(r.at) > since && r.attemptId !== entry.attemptId);
  return [...kept, entry];
}

export type RechargeDecision =
  | { action: "none"; why: string }
  | { action: "start"; attemptId: string; seq: number; amountMicros: number }
  | { action: "resume"; attemptId: string }
  | { action: "pause"; reason: RechargePauseReason; seq: number; amountMicros: number; window: { count: number; amountMicros: number } };

/**
 * Whether to start a recharge now. Exactly one attempt per decision; never two in flight; a
 * refused card is not tried again until the settings or payment method change; a recharge the
 * daily limits do not allow pauses auto-recharge instead.
 */
export function decideRecharge(account: AccountDoc, now: string, maxChargeMicros: number): RechargeDecision {
  const { autoRecharge, head, recharge } = account;
  if (!autoRecharge.enabled) return { action: "none", why: "auto-recharge is off" };
  if (!account.paymentMethodId) return { action: "none", why: "no payment method" };
  if (account.region !== account.billingCountry) return { action: "none", why: "billing region mismatch" };
  if (recharge?.status === "in_flight") {
    return recharge.leaseUntil !== null && recharge.leaseUntil < now ? { action: "resume", attemptId: recharge.attemptId } : { action: "none", why: "a recharge is in flight" };
  }
  if (account.rechargePaused) return { action: "none", why: "paused by the circuit breaker" };
  if (head.balanceMicros >= autoRecharge.thresholdMicros) return { action: "none", why: "balance is at or above the threshold" };
  if (recharge && recharge.settingsRev === account.settingsRev) {
    if (recharge.status === "retry_scheduled") {
      return recharge.nextRetryAt !== null && recharge.nextRetryAt <= now
        ? { action: "resume", attemptId: recharge.attemptId }
        : { action: "none", why: `attempt ${recharge.attemptId} waits for its retry` };
    }
    if (recharge.status === "failed") return { action: "none", why: `attempt ${recharge.attemptId} failed: waiting for a new payment method or settings` };
  }
  const seq = (account.rechargeSeq ?? 0) + 1;
  const amountMicros = rechargeAmount(head.balanceMicros, autoRecharge.thresholdMicros, autoRecharge.amountMicros, maxChargeMicros);
  const limits = breakerLimits(autoRecharge);
  const window = breakerWindow(account, now);
  if (window.count + 1 > limits.maxRechargesPerDay) return { action: "pause", reason: "max_recharges_per_day", seq, amountMicros, window };
  if (window.amountMicros + amountMicros > limits.maxAmountPerDayMicros) return { action: "pause", reason: "max_amount_per_day", seq, amountMicros, window };
  return { action: "start", attemptId: `rc-${seq}`, seq, amountMicros };
}

/**
 * The attempt "Retry now" runs: the current failed (or waiting) attempt, at once, as a new try with
 * a new processor key and the current payment method. Anything else is 409 nothing_to_retry.
 */
export function retryNowClaim(account: AccountDoc, tenantId: string, now: string, leaseMs: number): RechargeState {
  const { recharge } = account;
  const nothing = (why: string, reason: string) => new Refusal(409, "nothing_to_retry", `There is no recharge to retry: ${why}`, [], { why: reason });
  if (!recharge) throw nothing("no recharge was attempted yet", "never");
  if (recharge.status === "in_flight") throw nothing("a recharge is already under way", "in_flight");
  if (recharge.status === "succeeded") throw nothing("the last recharge succeeded", "succeeded");
  if (!account.autoRecharge.enabled) throw nothing("auto-recharge is off", "off");
  if (!account.paymentMethodId) throw nothing("there is no payment method", "no_card");
  if (account.head.balanceMicros >= account.autoRecharge.thresholdMicros) throw nothing("the balance is back at or above the threshold", "above_threshold");
  if (account.rechargePaused) throw nothing("auto-recharge is paused by its daily limits: resume it first", "paused");
  const limits = breakerLimits(account.autoRecharge);
  const window = breakerWindow(account, now);
  if (window.count + 1 > limits.maxRechargesPerDay || window.amountMicros + recharge.amountMicros > limits.maxAmountPerDayMicros) {
    throw nothing("it would pass the daily recharge limits: change them or wait", "limits");
  }
  const tries = recharge.tries + 1;
  return {
    ...recharge,
    settingsRev: account.settingsRev,
    status: "in_flight",
    tries,
    tryKey: `${tenantId}:recharge:${recharge.attemptId}:try${tries}`,
    nextRetryAt: null,
    leaseUntil: new Date(Date.parse(now) + leaseMs).toISOString(),
    updatedAt: now,
  };
}

/** Transient failures are retried after 1 min, 5 min, 30 min, 2 h, then given up. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];

export function nextRetryAt(tries: number, now: string, failure: CardFailureCode): string | null {
  if (failure !== "processing_error") return null;
  const delay = RETRY_DELAYS_MS[tries - 1];
  return delay === undefined ? null : new Date(Date.parse(now) + delay).toISOString();
}
