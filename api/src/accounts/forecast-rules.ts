/**
 * Runway, recommended auto-recharge settings and the card-expiry warning, pure: values in, values
 * out. forecast.ts reads the daily rollups and the account.
 *
 * The basis is the last 30 complete calendar days in the tenant's time zone (today is not over;
 * UTC when it has none), from the first of them with any usage; days without usage after it count as zero spend. Under 7 days of basis the figures are
 * null and `reason` says why.
 */
import { formatAmount, MICROS_PER_UNIT, t, type ForecastView, type RecommendationView } from "@cc/common";
import { MIN_PURCHASE_MICROS } from "./account.js";
import { completeLocalDaysBefore } from "../usage/local-day-rules.js";

export const BASIS_DAYS = 30;
export const MIN_BASIS_DAYS = 7;
/** The time a refused recharge can take to be fixed: the threshold covers this many days of high spend. */
export const FIX_DAYS = 3;
/** The recharge amount covers about this many days of average spend. */
export const AMOUNT_DAYS = 14;
const DAY_MS = 86_400_000;

/** Spend charged to credits per calendar day of the tenant's zone ("YYYY-MM-DD"). */
export type DailySpend = ReadonlyMap<string, number>;

/** The days of the window, oldest first: the 30 complete calendar days before `now` in `timeZone`. */
export function basisWindow(now: Date, timeZone = "UTC"): string[] {
  return completeLocalDaysBefore(now, timeZone, BASIS_DAYS).days;
}

/** The daily spends the figures come from: from the first day with usage in the window to yesterday. */
export function basisSpends(spend: DailySpend, now: Date, timeZone = "UTC"): number[] {
  const days = basisWindow(now, timeZone);
  const first = days.findIndex((d) => spend.has(d));
  return first < 0 ? [] : days.slice(first).map((d) => spend.get(d) ?? 0);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** 95th percentile, nearest rank. */
export function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
}

export interface ForecastInput {
  currency: string;
  balanceMicros: number;
  /** On and not paused by the breaker. */
  autoRechargeActive: boolean;
  thresholdMicros: number;
  amountMicros: number;
  spend: DailySpend;
  now: Date;
  /** The tenant's zone: the days `spend` is keyed by (UTC when absent). */
  timeZone?: string;
}

export function forecast(input: ForecastInput): ForecastView {
  const spends = basisSpends(input.spend, input.now, input.timeZone);
  const empty = { currency: input.currency, basisDays: spends.length, dailySpendMicros: null, runwayDays: null, depletesAt: null, nextRechargeAt: null, rechargesPerMonth: null };
  if (spends.length < MIN_BASIS_DAYS) return { ...empty, reason: `Only ${spends.length} of the ${MIN_BASIS_DAYS} days of usage a forecast needs` };
  const daily = Math.round(spends.reduce((s, x) => s + x, 0) / spends.length);
  if (daily <= 0) return { ...empty, dailySpendMicros: 0, reason: `No calls were charged to the balance in the last ${spends.length} days` };
  const at = (days: number) => new Date(input.now.getTime() + days * DAY_MS).toISOString();
  const runwayDays = round1(Math.max(0, input.balanceMicros) / daily);
  if (!input.autoRechargeActive) {
    return { ...empty, dailySpendMicros: daily, runwayDays, depletesAt: at(Math.max(0, input.balanceMicros) / daily) };
  }
  const untilRecharge = Math.max(0, input.balanceMicros - input.thresholdMicros) / daily;
  return { ...empty, dailySpendMicros: daily, runwayDays, nextRechargeAt: at(untilRecharge), rechargesPerMonth: round1((BASIS_DAYS * daily) / input.amountMicros) };
}

const wholeUnitsUp = (micros: number) => Math.ceil(micros / MICROS_PER_UNIT) * MICROS_PER_UNIT;

/** `locale`: the reader's language for `why` (the catalog's words.recommendation.*), amounts to the cent. */
export function recommend(input: { currency: string; spend: DailySpend; now: Date; maxChargeMicros: number; locale?: string; timeZone?: string }): RecommendationView {
  const spends = basisSpends(input.spend, input.now, input.timeZone);
  const { currency } = input;
  const locale = input.locale ?? "en";
  const m = (micros: number) => formatAmount(locale, micros, currency);
  const rule = { minBasisDays: MIN_BASIS_DAYS, fixDays: FIX_DAYS, amountDays: AMOUNT_DAYS, minPurchaseMicros: MIN_PURCHASE_MICROS };
  if (spends.length < MIN_BASIS_DAYS) {
    return {
      currency,
      thresholdMicros: null,
      amountMicros: null,
      basis: { days: spends.length, p95DailySpendMicros: null, avgDailySpendMicros: null },
      rule,
      why: t(locale, "words.recommendation.notEnough", { days: spends.length, needed: MIN_BASIS_DAYS }),
    };
  }
  const avg = Math.round(spends.reduce((s, x) => s + x, 0) / spends.length);
  const high = p95(spends);
  const clamp = (micros: number) => Math.min(input.maxChargeMicros, Math.max(MIN_PURCHASE_MICROS, wholeUnitsUp(micros)));
  const thresholdMicros = clamp(high * FIX_DAYS);
  const amountMicros = clamp(avg * AMOUNT_DAYS);
  return {
    currency,
    thresholdMicros,
    amountMicros,
    basis: { days: spends.length, p95DailySpendMicros: high, avgDailySpendMicros: avg },
    rule,
    why: t(locale, "words.recommendation.why", {
      days: spends.length,
      high: m(high),
      avg: m(avg),
      threshold: m(thresholdMicros),
      fixDays: FIX_DAYS,
      amount: m(amountMicros),
      amountDays: AMOUNT_DAYS,
      minimum: m(MIN_PURCHASE_MICROS),
    }),
  };
}

/** A card works until the end of its expiry month: this is the first instant it no longer does. */
export function cardExpiresAt(card: { expMonth: number; expYear: number }): Date {
  return new Date(Date.UTC(card.expYear, card.expMonth, 1));
}

/** Warn when the card stops working within 30 days or before the next expected recharge. */
export function cardExpiresSoon(card: { expMonth: number; expYear: number }, now: Date, nextRechargeAt: string | null): boolean {
  const end = cardExpiresAt(card).getTime();
  return end <= now.getTime() + 30 * DAY_MS || (nextRechargeAt !== null && end <= Date.parse(nextRechargeAt));
}
