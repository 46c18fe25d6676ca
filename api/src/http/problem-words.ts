/**
 * The words of a problem answer, from the message catalog (namespace "problems"): a refusal is
 * made with its code and facts (amounts in micros with their currency, which variant, a card's
 * name); here those facts become the sentence in the caller's language. The English text a
 * refusal is thrown with stays for logs only.
 */
import { formatAmount, formatRate, intlFor, t, type MessageId, type MessageValues } from "@cc/common";

type Facts = Record<string, string | number>;

/** Every problem code the API answers with; each has words in every language (test/unit/problem-words.test.ts). */
export const PROBLEM_CODES = [
  "below_minimum",
  "above_maximum",
  "whole_cents",
  "no_payment_method",
  "billing_region_mismatch",
  "expired_card",
  "card_declined",
  "processing_error",
  "nothing_to_retry",
  "daily_limit_below_amount",
  "invalid_limit",
  "invalid_cap",
  "forbidden",
  "missing_token",
  "invalid_token",
  "tenant_not_allowed",
  "not_found",
  "method_not_allowed",
  "idempotency_key_reused",
  "idempotency_key_in_use",
  "contention",
  "rate_limited",
  "body_too_large",
  "invalid_json",
  "corrupt_body",
  "unsupported_encoding",
  "unsupported_charset",
  "unsupported_media_type",
  "invalid_body",
  "invalid_activity",
  "unauthenticated_activity",
  "invalid_path",
  "too_deep",
  "not_drawn",
  "currency_not_supported",
  "duplicate_payment_method",
  "payment_method_in_use",
  "invalid_input",
  "internal_error",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

const TITLED = new Set([400, 401, 402, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503]);

export function titleFor(status: number, locale: string): string {
  return t(locale, (TITLED.has(status) ? `problems.title.${status}` : "problems.title.other") as MessageId);
}

/** The facts as the message reads them: each `<name>Micros` also as `<name>`, an amount in the account's currency. */
/** What a message's choices read when a refusal was made without that fact: the general words, never the message id. */
const DEFAULTS: MessageValues = { what: "other", when: "other", why: "other", permission: "other", who: "other", past: "unknown", card: "none", count: 0, fields: "", reason: "" };

function valuesOf(code: string, facts: Facts, locale: string): MessageValues {
  const values: MessageValues = { ...DEFAULTS, ...facts };
  const currency = String(facts.currency ?? "USD");
  for (const [key, value] of Object.entries(facts)) {
    if (!key.endsWith("Micros") || typeof value !== "number") continue;
    // The one amount said to more than the cent: the one refused for not being whole cents.
    values[key.slice(0, -"Micros".length)] = code === "whole_cents" && key === "amountMicros" ? formatRate(locale, value, currency) : formatAmount(locale, value, currency);
  }
  // Countries in words, in the reader's language ("France", not "FR").
  for (const key of ["region", "billingCountry"]) {
    const country = facts[key];
    if (typeof country === "string" && /^[A-Z]{2}$/.test(country)) values[key] = intlFor(locale).formatDisplayName(country, { type: "region" }) ?? country;
  }
  if (code === "currency_not_supported")
    for (const key of ["rated", "currency"]) values[key] = intlFor(locale).formatDisplayName(String(facts[key]), { type: "currency" }) ?? String(facts[key]);
  if (code === "invalid_cap") values.zero = formatAmount(locale, 0, currency);
  return values;
}

/** The detail in the caller's language; `fallback` (the thrown English text) only for a code the catalog does not know. */
export function detailFor(code: string, fallback: string, facts: Facts, locale: string): string {
  // A card refusal the processor named in a way this API does not know is still said in words.
  const key = (PROBLEM_CODES as readonly string[]).includes(code) ? code : facts.card !== undefined ? "card_refused" : undefined;
  if (!key) return fallback;
  return t(locale, `problems.${key}` as MessageId, valuesOf(code, facts, locale)).replace(/\s+/g, " ");
}
