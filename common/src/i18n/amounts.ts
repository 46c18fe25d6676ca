/**
 * Money for people, through the catalog's formatter: integer micros rounded to the cent and said
 * in the reader's locale with the account's currency ("$49.96", "49,96 $US"). Only rates per
 * minute (labelled as rates) keep more digits.
 */
import { formatMicros, type CurrencyCode } from "../money.js";
import { roundToCents } from "../money-locale.js";
import { intlFor } from "./catalog.js";

export function formatAmount(locale: string | readonly string[] | null | undefined, micros: number, currency: CurrencyCode): string {
  // Intl reads a decimal string exactly: no float on the way.
  return intlFor(locale).formatNumber(formatMicros(roundToCents(micros)) as unknown as number, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A per-minute rate, which may show sub-cent digits ("$0.0125"); say it beside a "per minute" label. */
export function formatRate(locale: string | readonly string[] | null | undefined, micros: number, currency: CurrencyCode): string {
  return intlFor(locale).formatNumber(formatMicros(micros) as unknown as number, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 6 });
}
