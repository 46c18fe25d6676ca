/**
 * The account of one organisation: its ledger head, settings and recharge state, and the rules
 * that decide on them. Pure functions; services do the I/O.
 */
import {
  formatMoney,
  isCardExpired,
  MICROS_PER_CENT,
  MICROS_PER_UNIT,
  type AccountNextAction,
  type AccountStatus,
  type AutoRechargeSettings,
  type CardFailureCode,
  type RechargePauseReason,
} from "@cc/common";
import { Refusal, refuse } from "../shared/refusal.js";
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
  /** How many recharge decisions were made: the next attempt is `rc-<rechargeSeq + 1>` (absent on older documents: 0). */
  rechargeSeq?: number;
  /** Recharges credited in the last 24 h (the circuit breaker's window), oldest first. */
  rechargeLog?: { attemptId: string; at: string; amountMicros: number }[];
  /** Set when the circuit breaker paused auto-recharge; cleared by resume or a change of settings. */
  rechargePaused?: { at: string; reason: RechargePauseReason } | null;
  /** When auto-recharge was last resumed: the breaker counts only recharges after it. */
  rechargeResumedAt?: string | null;
  /** The tenant's IANA time zone: named periods ("last 30 days", a budget's month) are its calendar days (absent: UTC). */
  timeZone?: string | null;
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

/**
 * The one next step an account needs, most urgent first: a card to pay with, a card to replace
 * after the bank refused it, auto-recharge to resume after its daily limits paused it, funds when
 * the balance is used up and nothing will add them, auto-recharge to turn on. Null when all is well.
 */
export function nextAction(account: AccountDoc, paymentMethod: { expMonth: number; expYear: number } | null, now: Date): AccountNextAction | null {
  if (!paymentMethod) return "add_card";
  const refused =
    account.recharge &&
    (account.recharge.status === "failed" || account.recharge.status === "retry_scheduled") &&
    (account.recharge.failureCode === "expired_card" || account.recharge.failureCode === "card_declined");
  if (refused || isCardExpired(paymentMethod, now)) return "replace_card";
  if (account.autoRecharge.enabled && account.rechargePaused) return "resume_auto_recharge";
  if (!account.autoRecharge.enabled && account.head.balanceMicros <= 0) return "add_funds";
  if (!account.autoRecharge.enabled) return "turn_on_auto_recharge";
  return null;
}

/** What a low-balance card offers to add: twice the threshold in whole units, at least the minimum purchase. */
export function suggestedTopUpMicros(thresholdMicros: number): number {
  return Math.max(MIN_PURCHASE_MICROS, Math.ceil(thresholdMicros / MICROS_PER_UNIT) * 2 * MICROS_PER_UNIT);
}

export function accountStatus(account: AccountDoc): AccountStatus {
  if (account.head.seq === 0) return "not_set_up";
  return account.head.balanceMicros <= 0 ? "depleted" : "active";
}

/**
 * A card charge: whole cents, at least the minimum, at most the configured maximum. The one
 * user-facing check of a payment amount (the edge only checks it is a whole number of micros;
 * the processor and the ledger assert their invariants).
 */
export function checkChargeAmount(amountMicros: number, maxMicros: number, currency: string, path = "amountMicros"): void {
  const facts = { amountMicros, minimumMicros: MIN_PURCHASE_MICROS, maximumMicros: maxMicros, currency };
  if (amountMicros % MICROS_PER_CENT !== 0) {
    const message = `Card payments are in whole cents: ${formatMoney(amountMicros, currency)} is not`;
    throw new Refusal(400, "whole_cents", message, [{ path, message }], facts);
  }
  if (amountMicros < MIN_PURCHASE_MICROS) throw refuse.rule("below_minimum", `The minimum payment is ${formatMoney(MIN_PURCHASE_MICROS, currency)}`, path, facts);
  if (amountMicros > maxMicros) throw refuse.rule("above_maximum", `The most one payment can be is ${formatMoney(maxMicros, currency)}`, path, facts);
}

/** Purchases are refused when the organisation's region differs from its billing country. */
export function checkCanPurchase(account: AccountDoc): void {
  if (account.region !== account.billingCountry) {
    throw refuse.rule(
      "billing_region_mismatch",
      `Purchases are not available: the organisation is in ${account.region} but its billing address is in ${account.billingCountry}`,
      undefined,
      { region: account.region, billingCountry: account.billingCountry },
    );
  }
}
