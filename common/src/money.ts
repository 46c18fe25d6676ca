/** Money is an integer number of micros (1 unit of currency = 1,000,000 micros) beside an ISO 4217 code. */
import { numberFormat } from "./intl.js";

export const MICROS_PER_UNIT = 1_000_000;
/** Card payments move whole cents only. */
export const MICROS_PER_CENT = 10_000;

export type CurrencyCode = string;

export interface Money {
  amountMicros: number;
  currency: CurrencyCode;
}

/** Parse a decimal string such as "50" or "12.34" into micros without touching floating point. */
export function parseDecimalToMicros(text: string): number {
  const match = /^(-)?(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${text}`);
  const [, sign, whole, fraction = ""] = match;
  const micros = Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(6, "0"));
  return sign ? -micros : micros;
}

/** Render micros as a plain decimal string with at least two fraction digits ("50.00", "0.0125"). */
export function formatMicros(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  let fraction = String(abs % MICROS_PER_UNIT)
    .padStart(6, "0")
    .replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Render micros for people: "$1,234.50" (en-US) without ever converting the amount to a float first. */
export function formatMoney(micros: number, currency: CurrencyCode, locale = "en-US"): string {
  const fmt = numberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 6 });
  // Intl accepts a decimal string exactly; this keeps sub-cent rates precise.
  return fmt.format(formatMicros(micros) as unknown as number);
}
