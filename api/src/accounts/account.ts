/**
 * The account of one organisation: its ledger head, settings and recharge state, and the rules
 * that decide on them. Pure functions; services do the I/O.
 */
import { MICROS_PER_CENT, MICROS_PER_UNIT, type AccountStatus, type AutoRechargeSettings, type CardFailureCode } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { EMPTY_HEAD, type LedgerHead } from "../ledger/entries.js";

/** The seed's minimum purchase: 50 in the account's currency. */
export const MIN_PURCHASE_MICROS = 50 * MICROS_PER_UNIT;

export interface RechargeState {
  attemptId: string;
  crossing: number;
  settingsRev: number;
  status: "in_flight" | "retry_scheduled" | "failed" | "succeeded";
  amountMicros: number;
  tries: number;
  /** The processor idempotency key of the try in flight, so a crashed try is asked again, never charged twice. */
  tryKey: string;
  failureCode: CardFailureCode | null;
  nextRetryAt: string | null;
  /** An in-flight attempt whose lease has passed was abandoned by a crashed instance. */
  leaseUntil: string | null;
  updatedAt: string;
}

export interface AccountDoc {
  id: "account";
  tenantId: string;
  currency: string;
  region: string;
  billingCountry: string;
  head: LedgerHead;
  autoRecharge: AutoRechargeSettings;
  paymentMethodId: string | null;
  /** Bumped whenever auto-recharge settings or the payment method change: a refused card is tried again only after that. */
  settingsRev: number;
  recharge: RechargeState | null;
  createdAt: string;
  _etag?: string;
}

export function newAccount(init: { tenantId: string; currency: string; region: string; billingCountry: string; at: string }): AccountDoc {
  return {
    id: "account",
    tenantId: init.tenantId,
    currency: init.currency,
    region: init.region,
    billingCountry: init.billingCountry,
    head: EMPTY_HEAD,
    autoRecharge: { enabled: false, amountMicros: 0, thresholdMicros: 0 },
    paymentMethodId: null,
    settingsRev: 0,
    recharge: null,
    createdAt: init.at,
  };
}

export function accountStatus(account: AccountDoc): AccountStatus {
  if (account.head.seq === 0) return "not_set_up";
  return account.head.balanceMicros <= 0 ? "depleted" : "active";
}

/** A card charge: at least the minimum, whole cents, at most the configured maximum. */
export function checkChargeAmount(amountMicros: number, maxMicros: number, path = "amountMicros"): void {
  if (!Number.isSafeInteger(amountMicros)) throw refuse.invalid(path, "must be a whole number of micros");
  if (amountMicros % MICROS_PER_CENT !== 0) throw refuse.invalid(path, "card payments move whole cents: use a multiple of 10000 micros");
  if (amountMicros < MIN_PURCHASE_MICROS) throw refuse.rule("below_minimum", `the minimum is ${MIN_PURCHASE_MICROS} micros (50.00)`, path);
  if (amountMicros > maxMicros) throw refuse.rule("above_maximum", `the maximum for one payment is ${maxMicros} micros`, path);
}

/** Purchases are refused when the organisation's region differs from its billing country. */
export function checkCanPurchase(account: AccountDoc): void {
  if (account.region !== account.billingCountry) {
    throw refuse.rule(
      "billing_region_mismatch",
      `Purchases are not available: the organisation is in ${account.region} but its billing address is in ${account.billingCountry}`,
    );
  }
}

export function checkAutoRecharge(settings: AutoRechargeSettings, account: AccountDoc, maxMicros: number): void {
  if (!Number.isSafeInteger(settings.thresholdMicros) || settings.thresholdMicros < 0) {
    throw refuse.invalid("thresholdMicros", "must be a whole number of micros, 0 or more");
  }
  if (settings.thresholdMicros > maxMicros) throw refuse.rule("above_maximum", `the threshold may be at most ${maxMicros} micros`, "thresholdMicros");
  if (!settings.enabled) return;
  checkChargeAmount(settings.amountMicros, maxMicros, "amountMicros");
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
