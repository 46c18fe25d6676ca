import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MoneyInputError, formatMoneyInput, formatMoneyLocale, parseMoneyInput, roundToCents } from "@cc/common";

describe("money typed by people, in their locale", () => {
  const cases: [string, string, number][] = [
    ["1,000", "en-US", 1_000_000_000],
    ["$100", "en-US", 100_000_000],
    ["75,50", "en-US", 75_500_000],
    ["75,50", "fr-FR", 75_500_000],
    ["1.000", "fr-FR", 1_000_000_000],
    ["1 000,50 €", "fr-FR", 1_000_500_000],
    ["1\u202f000,50", "fr-FR", 1_000_500_000],
    ["1,234.56", "en-US", 1_234_560_000],
    ["1.234,56", "en-US", 1_234_560_000],
    ["USD 60.50", "en-US", 60_500_000],
    ["0.0125", "en-US", 12_500],
    ["50", "fr-FR", 50_000_000],
    ["50.", "en-US", 50_000_000],
  ];
  for (const [text, locale, micros] of cases) {
    it(`reads "${text}" (${locale}) as ${micros} micros`, () => expect(parseMoneyInput(text, locale)).toBe(micros));
  }

  for (const [text, reason] of [
    ["", "empty"],
    ["-5", "negative"],
    ["abc", "not_a_number"],
    ["1,00,0", "not_a_number"],
    ["1.2.3,4", "not_a_number"],
    ["0.1234567", "too_precise"],
  ] as const) {
    it(`refuses "${text}" (${reason})`, () => {
      expect(() => parseMoneyInput(text, "en-US")).toThrowError(MoneyInputError);
      try {
        parseMoneyInput(text, "en-US");
      } catch (e) {
        expect((e as MoneyInputError).reason).toBe(reason);
      }
    });
  }

  it("reads back what it writes for an input, in both locales", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom("en-US", "fr-FR"), (cents, locale) => {
        const micros = cents * 10_000;
        expect(parseMoneyInput(formatMoneyInput(micros, locale), locale)).toBe(micros);
        expect(parseMoneyInput(formatMoneyLocale(micros, "USD", locale), locale)).toBe(micros);
      }),
    );
  });

  it("shows whole cents: no -$62.032", () => {
    expect(formatMoneyLocale(-62_032_000, "USD", "en-US")).toBe("-$62.03");
    expect(formatMoneyLocale(-62_035_000, "USD", "en-US")).toBe("-$62.04");
    expect(formatMoneyLocale(1_234_500_000, "USD", "fr-FR").replace(/\s/g, " ")).toBe("1 234,50 $US");
    expect(formatMoneyLocale(12_500, "USD", "en-US", true)).toBe("$0.0125");
    expect(roundToCents(-4_000)).toBe(0);
  });
});
