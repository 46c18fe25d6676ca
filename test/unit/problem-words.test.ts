/**
 * Every problem the API answers is said from the catalog, in English and French: each code the
 * source throws is known to problem-words.ts, has words in both languages, and in the
 * pseudo-locale every letter of its title and detail is the catalog's (accented and bracketed).
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { messagesFor } from "@cc/common";
import { PROBLEM_CODES } from "../../api/src/http/problem-words.js";
import { problemFor } from "../../api/src/http/problem.js";
import { Refusal } from "../../api/src/shared/refusal.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "local" || name === "dev" ? [] : sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The codes refusals are made with across api/src (Refusal(…, "code"), refuse.rule/card/conflict("code"), code: "…" tables). */
function thrownCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sources("api/src")) {
    if (file.includes("payments")) continue; // the card processor's own codes become card_declined, expired_card or processing_error
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/new Refusal\(\d{3}, "([a-z_]+)"|refuse\.(?:rule|card|conflict)\(\s*"([a-z_]+)"|super\(\d{3}, "([a-z_]+)"/g)) codes.add(m[1] ?? m[2] ?? m[3]);
    if (file.endsWith("body.ts")) for (const m of text.matchAll(/code: "([a-z_]+)"/g)) codes.add(m[1]);
  }
  for (const code of ["invalid_input", "forbidden", "not_found", "internal_error", "method_not_allowed"]) codes.add(code);
  return codes;
}

/** Facts that pick every variant a code has, and the money a refusal carries. */
const FACTS: Record<string, Record<string, string | number>> = {
  below_minimum: { minimumMicros: 50_000_000, currency: "USD" },
  above_maximum: { maximumMicros: 10_000_000_000, currency: "USD", what: "threshold" },
  whole_cents: { amountMicros: 50_005_000, currency: "USD" },
  billing_region_mismatch: { region: "FR", billingCountry: "US" },
  expired_card: { card: "Visa •••• 0069", past: "yes", expiry: "12/2020" },
  card_declined: { card: "Visa •••• 0002" },
  processing_error: { card: "Visa •••• 0119" },
  daily_limit_below_amount: { limitMicros: 100_000_000, amountMicros: 200_000_000, currency: "EUR" },
  invalid_limit: { maximum: 100 },
  invalid_cap: { currency: "USD" },
  invalid_token: { why: "verify", reason: '"exp" claim timestamp check failed' },
  rate_limited: { who: "user", retryAfterSeconds: 3 },
  body_too_large: { limitMib: 5 },
  too_deep: { maximum: 64 },
  currency_not_supported: { rated: "USD", currency: "EUR" },
  duplicate_payment_method: { card: "Visa •••• 4242" },
};

const statusOf = (code: string) => (code === "not_found" ? 404 : code === "forbidden" ? 403 : code.includes("card") || code === "processing_error" ? 402 : 422);

describe("problem answers in words", () => {
  it("knows every code the API refuses with", () => {
    const unknown = [...thrownCodes()].filter((code) => !(PROBLEM_CODES as readonly string[]).includes(code));
    expect(unknown).toEqual([]);
  });

  it("has English and French words for every problem code and every status title", () => {
    for (const language of ["en", "fr"] as const) {
      const messages = messagesFor(language);
      for (const code of PROBLEM_CODES) expect(messages[`problems.${code}`], `${language} ${code}`).toMatch(/\p{L}{2,}/u); // words, not a missing entry
    }
  });

  it("says every problem code from the catalog: in the pseudo-locale no letter is left plain", () => {
    for (const code of PROBLEM_CODES) {
      const problem = problemFor(new Refusal(statusOf(code) as 422, code, "ENGLISH FALLBACK", [], FACTS[code] ?? {}), "en-XA");
      for (const text of [problem.title, problem.detail ?? ""]) {
        // Values (amounts, card names, a library's reason) are not words: take them out, then every letter must be accented.
        const words = text.replace(/\$[\d,.]+|€[\d,.]+|[\d,.]+\s?(?:\$US|€)|Visa •••• \d{4}|"exp" claim timestamp check failed|France|United States|US Dollar|Euro|\d+/g, "");
        expect(text.startsWith("⟦"), `${code}: ${text}`).toBe(true);
        expect(words, `${code}: ${text}`).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it("says amounts to the cent in the caller's language, and only the refused amount more precisely", () => {
    expect(problemFor(new Refusal(422, "below_minimum", "x", [], FACTS.below_minimum), "fr").detail).toMatch(/^Le paiement minimum est de 50,00\s\$US$/);
    expect(problemFor(new Refusal(400, "whole_cents", "x", [], FACTS.whole_cents), "en").detail).toBe("Card payments are in whole cents: $50.005 is not");
    expect(problemFor(new Refusal(429, "rate_limited", "x", [], { who: "user", retryAfterSeconds: 1 }), "en").detail).toBe(
      "You have sent too many requests. Please try again in 1 second.",
    );
    expect(problemFor(new Refusal(429, "rate_limited", "x", [], { who: "user", retryAfterSeconds: 2 }), "de, fr;q=0.9").detail).toBe(
      "Vous avez envoyé trop de requêtes. Réessayez dans 2 secondes.",
    );
  });
});
