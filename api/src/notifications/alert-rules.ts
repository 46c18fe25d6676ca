/**
 * Alerts people trust (issue 22, item 4). Pure rules over values:
 * - an alert that a recharge already under way (or about to start) will resolve is held until the
 *   recharge ends, then either dropped into the recharge's own card ("dipped to zero and was
 *   restored by a recharge of $100.00") or released when the recharge failed;
 * - several low-balance thresholds (a percentage of the recharge amount, or an amount): each
 *   crossing is told once per descent (a debit that takes the balance from at-or-above a threshold
 *   to below it; the balance must rise above it again for the next one), and when one debit crosses
 *   several at once only the highest crossed is told (issue 22: one card, naming the first line the
 *   balance fell through; the lower ones it passed in the same change are not told again until the
 *   balance rises above them).
 */
import type { AccountDoc } from "../accounts/account.js";
import type { LowBalanceThreshold } from "@cc/common";
import { decideRecharge } from "../funding/recharge-rules.js";

export type { LowBalanceThreshold };

/** At most this many thresholds per tenant. */
export const MAX_LOW_BALANCE_THRESHOLDS = 5;

/** How long an alert waits for the recharge that should resolve it; past that it is told anyway (a crashed recharge never silences it). */
export const HOLD_MS = 120_000;

export interface ResolvedThreshold {
  /** "percent:25" or "amount:50000000": stable, for the event id and the card. */
  key: string;
  micros: number;
  percentOfRecharge?: number;
}

/** The thresholds in micros of the account's currency; a percentage needs a recharge amount to mean anything. */
export function resolveThresholds(thresholds: readonly LowBalanceThreshold[], rechargeAmountMicros: number): ResolvedThreshold[] {
  const resolved: ResolvedThreshold[] = [];
  for (const t of thresholds) {
    if ("percentOfRecharge" in t) {
      if (rechargeAmountMicros <= 0) continue;
      resolved.push({ key: `percent:${t.percentOfRecharge}`, micros: Math.round((rechargeAmountMicros * t.percentOfRecharge) / 100), percentOfRecharge: t.percentOfRecharge });
    } else {
      resolved.push({ key: `amount:${t.amountMicros}`, micros: t.amountMicros });
    }
  }
  return resolved;
}

/**
 * The threshold a balance change crosses downwards (before ≥ T > after), the highest when it crosses
 * several; undefined when it crosses none (a credit, or a debit that stays on one side of each).
 */
export function thresholdCrossed(beforeMicros: number, afterMicros: number, thresholds: readonly ResolvedThreshold[]): ResolvedThreshold | undefined {
  if (afterMicros >= beforeMicros) return undefined;
  const crossed = thresholds.filter((t) => beforeMicros >= t.micros && afterMicros < t.micros);
  return crossed.sort((a, b) => b.micros - a.micros)[0];
}

/**
 * Will a recharge already running, or one this posting starts, restore the balance? Then an alert
 * about the balance waits for it. Not when auto-recharge is off, paused, waiting for a new card or
 * settings, waiting for a retry, or would be paused by the daily breaker.
 */
export function rechargeWillResolve(account: AccountDoc, now: string, maxChargeMicros: number): boolean {
  if (account.recharge?.status === "in_flight" && account.autoRecharge.enabled) return true;
  const decision = decideRecharge(account, now, maxChargeMicros);
  return decision.action === "start" || decision.action === "resume";
}

/**
 * What each threshold means today, in the order given: its amount in micros of the account's
 * currency (the same figure `resolveThresholds` alerts at), or null for a percentage while there is
 * no recharge amount to take it of.
 */
export function thresholdAmountsToday(thresholds: readonly LowBalanceThreshold[], rechargeAmountMicros: number): (number | null)[] {
  return thresholds.map((t) => resolveThresholds([t], rechargeAmountMicros)[0]?.micros ?? null);
}
