/**
 * Rating a PSTN call: who pays for it (a subscription, a calling-plan pool, the credits balance)
 * and how much, as pure functions over values.
 *
 * One classification (`classifyCall`) decides who pays; `rateCall` prices a finished call from it
 * and `authorizeCall` admits or refuses a call about to start from it, so the two cannot disagree.
 *
 * Invariants (tested in test/unit/rating.test.ts):
 *  - chargeMicros is a non-negative integer; it is 0 unless chargedTo is "credits";
 *  - calls are billed per started minute: billedMinutes = ceil(duration / 60), 0 s → 0;
 *  - a call wholly paid by credits costs billedMinutes × rate + connection fee (no fee for 0 min);
 *  - poolUse.minutes never exceeds what the pool had left, nor the call's billed minutes;
 *  - emergency calls are never charged and never refused.
 */
import type { CallingPlan, ChargedTo, PstnCallLogRow } from "@cc/common";
import { CONFERENCING_DIAL_OUT_ZONE, poolBucketFor, type CallScope, type PoolBucket } from "./plans.js";
import { isEmergencyCall, isEmergencyNumber, directionOf, isConferenceDialOut, TOLL_FREE_INVENTORY } from "./call-types.js";
import type { RateCardEntry } from "./rate-card.js";

/** What rating needs to know about the user a call belongs to (the organiser for conference calls). */
export interface RatingUser {
  callingPlan: CallingPlan;
  /** Holds a Communications Credits license, i.e. may draw on the balance. */
  licensed: boolean;
  /** ISO 3166-1 alpha-2; "domestic" means a destination in this country. */
  usageLocation: string;
}

export interface PoolRemainingMinutes {
  domestic: number;
  international: number;
}

/** Billing is per started minute: 61 s is 2 minutes, 0 s is nothing. Integer-only. */
export function billedMinutesOf(durationSeconds: number): number {
  return Math.floor((durationSeconds + 59) / 60);
}

/** What kind of call it is, in the terms the money rules are written in. */
export type CallKind =
  { kind: "emergency" } | { kind: "toll_free_inbound" } | { kind: "inbound" } | { kind: "conference_dial_out"; inZone: boolean } | { kind: "outbound"; scope: CallScope };

/** Who pays for the call's minutes. */
export type Funding =
  | { payer: "included" }
  /** Paid from the balance; `price` says which rate of the entry applies. */
  | { payer: "credits"; price: "outbound" | "toll_free"; licenseRequired: boolean }
  /** A calling-plan pool pays as far as it goes; the overflow is paid from credits. */
  | { payer: "pool"; bucket: PoolBucket };

export type ClassificationRefusal = "unknown_destination" | "unknown_call_type";

export type Classification =
  { ok: true; call: CallKind; funding: Funding; destinationCountry: string; rate: RateCardEntry | undefined } | { ok: false; reason: ClassificationRefusal };

export interface CallFacts {
  callType: string;
  /** The dialed number: the outside party when outbound, our number when inbound. */
  calleeNumber: string;
  /** The user's number type from Graph, e.g. "Toll free"; absent when authorizing. */
  inventoryType?: string | null;
  /** The rate-card entry of calleeNumber, if any. */
  rate: RateCardEntry | undefined;
  user: RatingUser | null;
  /** Home country when the user is unknown or has no usage location. */
  tenantCountry: string;
}

export function classifyCall(facts: CallFacts): Classification {
  const callType = facts.callType.trim().toLowerCase();
  const { rate, user } = facts;
  const home = user?.usageLocation || facts.tenantCountry;

  if (isEmergencyCall(callType, facts.calleeNumber)) {
    // A short code reaches the local service: its digits match some country's prefix ("+911"
    // looks like India), which says nothing about where the call went.
    const destinationCountry = isEmergencyNumber(facts.calleeNumber) ? home : (rate?.countryCode ?? home);
    return { ok: true, call: { kind: "emergency" }, funding: { payer: "included" }, destinationCountry, rate };
  }

  const direction = directionOf(callType);
  if (direction === undefined) return { ok: false, reason: "unknown_call_type" };

  if (direction === "inbound") {
    const tollFree = TOLL_FREE_INVENTORY.test(facts.inventoryType ?? "") || rate?.numberType === "toll_free";
    if (!tollFree) return { ok: true, call: { kind: "inbound" }, funding: { payer: "included" }, destinationCountry: rate?.countryCode ?? "", rate };
    if (!rate) return { ok: false, reason: "unknown_destination" };
    // The organisation pays for its toll-free numbers; the caller is outside it, so no user license applies.
    return {
      ok: true,
      call: { kind: "toll_free_inbound" },
      funding: { payer: "credits", price: "toll_free", licenseRequired: false },
      destinationCountry: rate.countryCode,
      rate,
    };
  }

  if (!rate) return { ok: false, reason: "unknown_destination" };
  const destinationCountry = rate.countryCode;

  if (isConferenceDialOut(callType)) {
    const inZone = CONFERENCING_DIAL_OUT_ZONE.has(destinationCountry);
    const funding: Funding = inZone ? { payer: "included" } : { payer: "credits", price: "outbound", licenseRequired: true };
    return { ok: true, call: { kind: "conference_dial_out", inZone }, funding, destinationCountry, rate };
  }

  const scope: CallScope = destinationCountry === home ? "domestic" : "international";
  const bucket = poolBucketFor(user?.callingPlan ?? "none", scope);
  const funding: Funding = bucket ? { payer: "pool", bucket } : { payer: "credits", price: "outbound", licenseRequired: true };
  return { ok: true, call: { kind: "outbound", scope }, funding, destinationCountry, rate };
}

// ---------------------------------------------------------------------------------------------
// Rating a finished call
// ---------------------------------------------------------------------------------------------

export interface RateCallInput {
  record: PstnCallLogRow;
  user: RatingUser | null;
  rate: RateCardEntry | undefined;
  tenantCountry: string;
  /** What the user's pools have left this month (in the user's usage location). */
  poolRemainingMinutes: PoolRemainingMinutes;
}

export interface RatedCall {
  ok: true;
  chargedTo: ChargedTo;
  /** Debited from the balance. */
  chargeMicros: number;
  /** What credits would have been charged had the user been licensed; equals chargeMicros otherwise. */
  wouldChargeMicros: number;
  billedMinutes: number;
  /** Minutes taken from a calling-plan pool; null when no pool was drawn on. */
  poolUse: { bucket: PoolBucket; minutes: number } | null;
  /** Price of a minute beyond what a plan or subscription includes; 0 for included calls. */
  perMinuteMicros: number;
  /** The connection fee in wouldChargeMicros (0 when none applies). */
  connectionFeeMicros: number;
  destinationCountry: string;
  flags: string[];
}

export type RatingDecision = RatedCall | { ok: false; reason: ClassificationRefusal };

export function rateCall(input: RateCallInput): RatingDecision {
  const { record, user } = input;
  const classification = classifyCall({
    callType: record.callType,
    calleeNumber: record.calleeNumber,
    inventoryType: record.inventoryType,
    rate: input.rate,
    user,
    tenantCountry: input.tenantCountry,
  });
  if (!classification.ok) return classification;

  const billedMinutes = billedMinutesOf(record.duration);
  const { funding, destinationCountry, rate } = classification;
  const base = { billedMinutes, destinationCountry };

  if (funding.payer === "included") {
    const flags = classification.call.kind === "emergency" ? ["emergency"] : [];
    return { ok: true, ...base, chargedTo: "included", chargeMicros: 0, wouldChargeMicros: 0, poolUse: null, perMinuteMicros: 0, connectionFeeMicros: 0, flags };
  }
  // classifyCall refuses every paid call without a rate.
  if (!rate) return { ok: false, reason: "unknown_destination" };

  if (funding.payer === "credits") {
    return chargeToCredits(base, creditsPriceOf(funding.price, rate), rate.connectionFeeMicros, funding.licenseRequired, user, []);
  }

  const remaining = Math.max(0, Math.floor(input.poolRemainingMinutes[funding.bucket]));
  const poolMinutes = Math.min(billedMinutes, remaining);
  const overflowMinutes = billedMinutes - poolMinutes;

  if (overflowMinutes === 0) {
    return {
      ok: true,
      ...base,
      chargedTo: "plan",
      chargeMicros: 0,
      wouldChargeMicros: 0,
      poolUse: { bucket: funding.bucket, minutes: poolMinutes },
      perMinuteMicros: rate.perMinuteMicros,
      connectionFeeMicros: 0,
      flags: [],
    };
  }
  if (poolMinutes === 0) {
    // The pool was already empty: the whole call is an ordinary credits call.
    return chargeToCredits(base, rate.perMinuteMicros, rate.connectionFeeMicros, true, user, ["pool_exhausted"]);
  }

  // Overflow: the pool pays what it had left, credits pay the remaining minutes. The connection
  // fee is not charged: the call was set up under the plan, and a plan call carries no fee.
  const wouldChargeMicros = overflowMinutes * rate.perMinuteMicros;
  const licensed = user?.licensed === true;
  return {
    ok: true,
    ...base,
    // An unlicensed overflow was still partly a plan call; "plan" keeps that visible in reports.
    chargedTo: licensed ? "credits" : "plan",
    chargeMicros: licensed ? wouldChargeMicros : 0,
    wouldChargeMicros,
    poolUse: { bucket: funding.bucket, minutes: poolMinutes },
    perMinuteMicros: rate.perMinuteMicros,
    connectionFeeMicros: 0,
    flags: licensed ? ["pool_overflow"] : ["pool_overflow", "unlicensed"],
  };
}

function creditsPriceOf(price: "outbound" | "toll_free", rate: RateCardEntry): number {
  return price === "toll_free" ? rate.tollFreePerMinuteMicros : rate.perMinuteMicros;
}

/**
 * A call wholly paid from credits. An unlicensed (or unknown) user cannot draw on the balance:
 * authorizeCall should have refused the call, so it is recorded as charged to nobody and flagged.
 */
function chargeToCredits(
  base: { billedMinutes: number; destinationCountry: string },
  perMinuteMicros: number,
  rateConnectionFeeMicros: number,
  licenseRequired: boolean,
  user: RatingUser | null,
  flags: string[],
): RatedCall {
  // A call that never connected a minute is not a connection worth a fee.
  const connectionFeeMicros = base.billedMinutes > 0 ? rateConnectionFeeMicros : 0;
  const wouldChargeMicros = base.billedMinutes * perMinuteMicros + connectionFeeMicros;
  const mayDraw = !licenseRequired || user?.licensed === true;
  return {
    ok: true,
    ...base,
    chargedTo: mayDraw ? "credits" : "none",
    chargeMicros: mayDraw ? wouldChargeMicros : 0,
    wouldChargeMicros,
    poolUse: null,
    perMinuteMicros,
    connectionFeeMicros,
    flags: mayDraw ? flags : [...flags, "unlicensed"],
  };
}

// ---------------------------------------------------------------------------------------------
// Authorizing a call about to start
// ---------------------------------------------------------------------------------------------

/** Why a call may not start; the toll-fraud guard (guard/) adds domestic_only and user_cap_reached. */
export type AuthorizationRefusal = "no_license" | "insufficient_balance" | "destination_blocked" | "domestic_only" | "user_cap_reached" | "department_budget_reached";

export interface AuthorizeCallInput {
  user: RatingUser | null;
  callType: string;
  /** The number being dialed (outbound) or our number being called (inbound). */
  number: string;
  rate: RateCardEntry | undefined;
  balanceMicros: number;
  poolRemainingMinutes: PoolRemainingMinutes;
  /** Home country when the user is unknown or has no usage location. */
  tenantCountry?: string;
  inventoryType?: string | null;
}

export interface CallAuthorization {
  allowed: boolean;
  reason?: AuthorizationRefusal;
  /** What a minute of this call costs the balance from its start; 0 when a plan or subscription covers it. */
  perMinuteMicros: number;
}

export function authorizeCall(input: AuthorizeCallInput): CallAuthorization {
  const classification = classifyCall({
    callType: input.callType,
    calleeNumber: input.number,
    inventoryType: input.inventoryType,
    rate: input.rate,
    user: input.user,
    tenantCountry: input.tenantCountry ?? "",
  });
  // A destination we cannot price (or a call we cannot place) is not connected.
  if (!classification.ok) return { allowed: false, reason: "destination_blocked", perMinuteMicros: 0 };

  const { funding, rate } = classification;
  if (funding.payer === "included") return { allowed: true, perMinuteMicros: 0 };
  if (!rate) return { allowed: false, reason: "destination_blocked", perMinuteMicros: 0 };

  // A pool with a minute left admits the call; minutes past the pool are rated as overflow later.
  if (funding.payer === "pool" && input.poolRemainingMinutes[funding.bucket] >= 1) return { allowed: true, perMinuteMicros: 0 };

  const credits = funding.payer === "credits" ? funding : { price: "outbound" as const, licenseRequired: true };
  const perMinuteMicros = creditsPriceOf(credits.price, rate);
  if (credits.licenseRequired && input.user?.licensed !== true) return { allowed: false, reason: "no_license", perMinuteMicros };
  if (input.balanceMicros <= 0) return { allowed: false, reason: "insufficient_balance", perMinuteMicros };
  return { allowed: true, perMinuteMicros };
}
