/**
 * Runway, recommended auto-recharge settings and the card-expiry warning, pure: values in, values
 * out. forecast.ts reads the daily rollups and the account.
 *
 * The basis is the last 30 complete UTC days (today is not over), from the first of them with any
 * usage; days without usage after it count as zero spend. Under 7 days of basis the figures are
 * null and `reason` says why.
 */
import { formatMoney, MICROS_PER_UNIT, type ForecastView, type RecommendationView } from "@cc/common";
import { MIN_PURCHASE_MICROS } from "./account.js";

export const BASIS_DAYS = 30;
export const MIN_BASIS_DAYS = 7;
/** The time a refused recharge can take to be fixed: the threshold covers this many days of high spend. */
export const FIX_DAYS = 3;
/** The recharge amount covers about this many days of average spend. */
export const AMOUNT_DAYS = 14;
const DAY_MS = 86_400_000;

/** Spend charged to credits per UTC day ("YYYY-MM-DD"). */
export type DailySpend = ReadonlyMap<string, number>;

/** The days of the window, oldest first: the 30 complete UTC days before `now`. */
export function basisWindow(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: BASIS_DAYS }, (_, i) => new Date(today - (BASIS_DAYS - i) * DAY_MS).toISOString().slice(0, 10));
}

/** The daily spends the figures come from: from the first day with usage in the window to yesterday. */
export function basisSpends(spend: DailySpend, now: Date): number[] {
  const days = basisWindow(now);
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
}

export function forecast(input: ForecastInput): ForecastView {
  const spends = basisSpends(input.spend, input.now);
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

export function recommend(input: { currency: string; spend: DailySpend; now: Date; maxChargeMicros: number }): RecommendationView {
  const spends = basisSpends(input.spend, input.now);
  const { currency } = input;
  const rule = { minBasisDays: MIN_BASIS_DAYS, fixDays: FIX_DAYS, amountDays: AMOUNT_DAYS, minPurchaseMicros: MIN_PURCHASE_MICROS };
  if (spends.length < MIN_BASIS_DAYS) {
    return {
      currency,
      thresholdMicros: null,
      amountMicros: null,
      basis: { days: spends.length, p95DailySpendMicros: null, avgDailySpendMicros: null },
      rule,
      why: `Only ${spends.length} of the ${MIN_BASIS_DAYS} days of usage a recommendation needs: watch a week or more of calls first`,
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
    why:
      `Over the last ${spends.length} days a busy day (95th percentile) cost ${formatMoney(high, currency)} and an average day ${formatMoney(avg, currency)}: ` +
      `a threshold of ${formatMoney(thresholdMicros, currency)} keeps ${FIX_DAYS} busy days of calls while a refused card is fixed, ` +
      `and a recharge of ${formatMoney(amountMicros, currency)} lasts about ${AMOUNT_DAYS} days (both in whole units, at least ${formatMoney(MIN_PURCHASE_MICROS, currency)}).`,
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

/** The sentence of a `card_expiring` event, in English or French. */
export function cardExpiringSentence(name: string, expiry: string, expired: boolean, language: "en" | "fr" = "en"): string {
  if (language === "fr") {
    return expired
      ? `La carte par défaut ${name} a expiré en ${expiry} : la recharge automatique et l'ajout de fonds seront refusés tant qu'une carte valide n'est pas ajoutée et définie par défaut`
      : `La carte par défaut ${name} expire fin ${expiry}, avant la prochaine recharge prévue ou dans moins de 30 jours : ajoutez une nouvelle carte et définissez-la par défaut pour que les appels continuent`;
  }
  return expired
    ? `The default card ${name} expired in ${expiry}: auto-recharge and added funds will be refused until you add a valid card and make it the default`
    : `The default card ${name} expires at the end of ${expiry}, before the next expected recharge or within 30 days: add a new card and make it the default to keep calls running`;
}
