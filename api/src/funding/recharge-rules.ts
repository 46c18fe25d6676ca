/**
 * Auto-recharge rules, pure: which settings may be saved, whether a recharge is needed now and
 * under which attempt id, and when a failed one is tried again. auto-recharge.ts does the I/O.
 */
import { formatMoney, type AutoRechargeSettings, type CardFailureCode } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { checkCanPurchase, checkChargeAmount, type AccountDoc } from "../accounts/account.js";

/** Settings an admin may save: a threshold within the payment maximum; when on, a chargeable amount, a card and a purchasable region. */
export function checkAutoRecharge(settings: AutoRechargeSettings, account: AccountDoc, maxMicros: number): void {
  if (settings.thresholdMicros > maxMicros) {
    throw refuse.rule("above_maximum", `The threshold can be at most ${formatMoney(maxMicros, account.currency)}`, "thresholdMicros", { maximumMicros: maxMicros, currency: account.currency });
  }
  if (!settings.enabled) return;
  checkChargeAmount(settings.amountMicros, maxMicros, account.currency, "amountMicros");
  if (!account.paymentMethodId) throw refuse.rule("no_payment_method", "Add a payment method before turning on auto-recharge", "enabled");
  checkCanPurchase(account);
}

/** The attempt a recharge for the current crossing and settings would have: one per crossing, per settings revision. */
export function rechargeAttemptId(account: AccountDoc): string {
  return `rc-${account.head.crossings}-${account.settingsRev}`;
}

export type RechargeDecision =
  | { action: "none"; why: string }
  | { action: "start"; attemptId: string; amountMicros: number }
  | { action: "resume"; attemptId: string };

/**
 * Whether to start a recharge now. Exactly one attempt per crossing (and settings revision); never
 * two in flight; a refused card is not tried again until the settings or payment method change.
 */
export function decideRecharge(account: AccountDoc, now: string): RechargeDecision {
  const { autoRecharge, head, recharge } = account;
  if (!autoRecharge.enabled) return { action: "none", why: "auto-recharge is off" };
  if (!account.paymentMethodId) return { action: "none", why: "no payment method" };
  if (account.region !== account.billingCountry) return { action: "none", why: "billing region mismatch" };
  if (recharge?.status === "in_flight") {
    return recharge.leaseUntil !== null && recharge.leaseUntil < now ? { action: "resume", attemptId: recharge.attemptId } : { action: "none", why: "a recharge is in flight" };
  }
  if (head.balanceMicros >= autoRecharge.thresholdMicros) return { action: "none", why: "balance is at or above the threshold" };
  const attemptId = rechargeAttemptId(account);
  if (recharge?.attemptId === attemptId) {
    if (recharge.status === "retry_scheduled" && recharge.nextRetryAt !== null && recharge.nextRetryAt <= now) return { action: "resume", attemptId };
    return { action: "none", why: `attempt ${attemptId} is ${recharge.status}` };
  }
  return { action: "start", attemptId, amountMicros: autoRecharge.amountMicros };
}

/** Transient failures are retried after 1 min, 5 min, 30 min, 2 h, then given up. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];

export function nextRetryAt(tries: number, now: string, failure: CardFailureCode): string | null {
  if (failure !== "processing_error") return null;
  const delay = RETRY_DELAYS_MS[tries - 1];
  return delay === undefined ? null : new Date(Date.parse(now) + delay).toISOString();
}
