/**
 * The pay-per-minute rate card: what a minute to (or, for toll-free, from) a number costs, found by
 * the longest E.164 prefix that matches the number.
 *
 * A rate card is data (api/src/data/rate-card.<currency>.json); this module only checks it and
 * looks numbers up. Prices are integer micros of the card's currency per minute.
 */
import { z } from "zod";

export type NumberType = "fixed" | "mobile" | "toll_free";

export interface RateCardEntry {
  /** E.164 digits without "+", e.g. "44" (UK), "447" (UK mobile), "1800" (US toll-free). */
  prefix: string;
  destinationName: string;
  /** ISO 3166-1 alpha-2 of the destination. */
  countryCode: string;
  numberType: NumberType;
  /** Price of an outbound minute to this prefix. */
  perMinuteMicros: number;
  /** Price of an inbound minute on one of our toll-free numbers in this country. */
  tollFreePerMinuteMicros: number;
  /** Charged once per call that is billed to credits. */
  connectionFeeMicros: number;
}

export interface RateCard {
  currency: string;
  effectiveFrom: string;
  entries: RateCardEntry[];
}

/** Prefix → entry; a lookup walks the number's digits from longest to shortest prefix. */
export interface RateIndex {
  byPrefix: ReadonlyMap<string, RateCardEntry>;
  longestPrefixLength: number;
}

/** E.164 allows at most 15 digits, so no prefix can be longer. */
const MAX_E164_DIGITS = 15;

const micros = z.number().int().min(0).max(100_000_000);

const rateCardEntrySchema = z.object({
  prefix: z.string().regex(/^[1-9]\d{0,14}$/, "must be E.164 digits without '+'"),
  destinationName: z.string().trim().min(1).max(128),
  countryCode: z.string().regex(/^[A-Z]{2}$/, "must be ISO 3166-1 alpha-2"),
  numberType: z.enum(["fixed", "mobile", "toll_free"]),
  perMinuteMicros: micros,
  tollFreePerMinuteMicros: micros,
  connectionFeeMicros: micros,
});

const rateCardSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
    effectiveFrom: z.iso.date(),
    entries: z.array(rateCardEntrySchema).min(1),
  })
  .superRefine((card, ctx) => {
    // Two prices for one prefix would make the lookup depend on file order.
    const seen = new Set<string>();
    card.entries.forEach((entry, index) => {
      if (seen.has(entry.prefix)) {
        ctx.addIssue({ code: "custom", path: ["entries", index, "prefix"], message: `duplicate prefix ${entry.prefix}` });
      }
      seen.add(entry.prefix);
    });
  });

/** Check a rate card read from JSON; throws a ZodError naming the bad entry. */
export function loadRateCard(json: unknown): RateCard {
  return rateCardSchema.parse(json);
}

export function buildRateIndex(entries: readonly RateCardEntry[]): RateIndex {
  const byPrefix = new Map<string, RateCardEntry>();
  let longestPrefixLength = 0;
  for (const entry of entries) {
    byPrefix.set(entry.prefix, entry);
    longestPrefixLength = Math.max(longestPrefixLength, entry.prefix.length);
  }
  return { byPrefix, longestPrefixLength };
}

/** "+44 20 7946 0000" → "442079460000"; spaces, dashes, dots and brackets are presentation only. */
export function e164Digits(number: string): string {
  return number.replace(/[\s\-().+]/g, "");
}

/**
 * The entry with the longest prefix of the number's digits, or undefined when none matches
 * (or the number is not a phone number at all). At most `longestPrefixLength` map lookups.
 */
export function findRate(index: RateIndex, number: string): RateCardEntry | undefined {
  const digits = e164Digits(number);
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  const longest = Math.min(digits.length, index.longestPrefixLength, MAX_E164_DIGITS);
  for (let length = longest; length > 0; length -= 1) {
    const entry = index.byPrefix.get(digits.slice(0, length));
    if (entry) return entry;
  }
  return undefined;
}
