/**
 * Money as people type and read it, in their locale: "1,000", "$100", "75,50", "1 000,50 €".
 * Parsing never goes through floating point: the text is normalised to a plain decimal and read
 * by parseDecimalToMicros. Display shows whole cents unless asked for full precision (rates).
 */
import { numberFormat } from "./intl.js";
import { MICROS_PER_CENT, formatMicros, parseDecimalToMicros, type CurrencyCode } from "./money.js";

/** The separator the locale writes between units and cents ("." for en, "," for fr). */
export function decimalSeparator(locale: string): string {
  const part = numberFormat(locale)
    .formatToParts(1.5)
    .find((p) => p.type === "decimal");
  return part?.value ?? ".";
}

/** Why a typed amount could not be read; the tab words it in the user's language. */
export class MoneyInputError extends RangeError {
  constructor(readonly reason: "empty" | "negative" | "not_a_number" | "too_precise") {
    super(`money input: ${reason}`);
    this.name = "MoneyInputError";
  }
}

/**
 * Read an amount typed by a person into micros. Currency symbols and codes, spaces and grouping
 * separators are ignored. A lone "," or "." is the decimal separator when 1–2 or 4+ digits follow
 * it ("75,50", "0.0125"); with exactly 3 digits after it ("1,000", "1.000") the locale decides.
 * When both appear, the last one is the decimal separator ("1.234,56", "1,234.56").
 */
export function parseMoneyInput(text: string, locale = "en-US", maxFractionDigits = 6): number {
  let s = text.normalize("NFKC").trim();
  if (!s) throw new MoneyInputError("empty");
  // Currency symbols and ISO codes before or after the number.
  s = s
    .replace(/\p{Sc}/gu, "")
    .trim()
    .replace(/^[A-Za-z]{1,3}\s*/, "")
    .replace(/\s*[A-Za-z]{1,3}$/, "")
    .replace(/[\s\u00a0\u202f']/g, "");
  if (s.startsWith("-") || s.startsWith("−") || s.endsWith("-")) throw new MoneyInputError("negative");
  if (s.startsWith("+")) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) throw new MoneyInputError("not_a_number");

  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let decimal: "." | "," | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? "." : ",";
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    if (count > 1) decimal = null;
    else if (after === 3) decimal = decimalSeparator(locale) === sep ? sep : null;
    else decimal = sep;
  }
  const group = decimal === "." ? "," : decimal === "," ? "." : s.includes(",") ? "," : ".";
  const [intPart, fraction, ...rest] = decimal ? s.split(decimal) : [s];
  if (rest.length > 0 || (fraction !== undefined && fraction.includes(group))) throw new MoneyInputError("not_a_number");
  // Grouping, when used, is in threes after the first group.
  const groups = intPart.split(group);
  if (groups.length > 1 && (groups[0].length === 0 || groups[0].length > 3 || groups.slice(1).some((g) => g.length !== 3))) {
    throw new MoneyInputError("not_a_number");
  }
  const whole = groups.join("") || "0";
  if (fraction !== undefined && fraction.length === 0) return parseDecimalToMicros(whole);
  if (fraction !== undefined && fraction.length > maxFractionDigits) throw new MoneyInputError("too_precise");
  if (whole.length > 12) throw new MoneyInputError("not_a_number");
  return parseDecimalToMicros(fraction === undefined ? whole : `${whole}.${fraction}`);
}

/** Micros rounded to the nearest cent, half away from zero (what a person reads on a balance). */
export function roundToCents(micros: number): number {
  const sign = micros < 0 ? -1 : 1;
  const abs = Math.abs(micros);
  const rounded = Math.floor((abs + MICROS_PER_CENT / 2) / MICROS_PER_CENT) * MICROS_PER_CENT;
  return rounded === 0 ? 0 : sign * rounded;
}

/**
 * An amount for people in their locale: "$1,234.50", "1 234,50 $US". Whole cents by default;
 * `precise` keeps up to six fraction digits for per-minute rates ("$0.0125").
 */
export function formatMoneyLocale(micros: number, currency: CurrencyCode, locale = "en-US", precise = false): string {
  const value = precise ? micros : roundToCents(micros);
  const fmt = numberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: precise ? 6 : 2 });
  // Intl accepts a decimal string exactly (no float on the way).
  return fmt.format(formatMicros(value) as unknown as number);
}

/** A plain number in the locale for an input's initial text ("1,000.50" / "1 000,50"), cents. */
export function formatMoneyInput(micros: number, locale = "en-US"): string {
  const fmt = numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
  return fmt.format(formatMicros(roundToCents(micros)) as unknown as number);
}
