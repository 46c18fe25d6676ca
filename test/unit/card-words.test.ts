import { describe, expect, it } from "vitest";
import { cardName, cardRefusalSentence, expiredOn } from "../../api/src/funding/card-words.js";

const visa = { brand: "visa", last4: "0069", expMonth: 12, expYear: 2020 };

describe("how a card and its refusal are said", () => {
  it("names the brand in capitals and the last four digits", () => {
    expect(cardName(visa)).toBe("Visa •••• 0069");
    expect(cardName({ brand: "amex", last4: "0005" })).toBe("American Express •••• 0005");
  });

  it("quotes the expiry date only once it has passed", () => {
    expect(expiredOn(visa, new Date("2020-12-31T23:00:00Z"))).toBe(false);
    expect(expiredOn(visa, new Date("2021-01-01T00:00:00Z"))).toBe(true);
    expect(cardRefusalSentence("expired_card", visa, new Date("2026-12-02T00:00:00Z"))).toBe(
      "The card Visa •••• 0069 expired in 12/2020: add a card that is valid and make it the default",
    );
    expect(cardRefusalSentence("expired_card", { ...visa, expYear: 2029 }, new Date("2026-12-02T00:00:00Z"))).toBe(
      "The card Visa •••• 0069 has expired: add a card that is valid and make it the default",
    );
  });

  it("says what to do for a decline and for a processor failure, never a raw code", () => {
    const now = new Date("2026-12-02T00:00:00Z");
    expect(cardRefusalSentence("card_declined", visa, now)).toMatch(/declined by its bank: use another card/);
    expect(cardRefusalSentence("processing_error", visa, now)).toMatch(/nothing was taken; try again in a few minutes/);
    for (const code of ["card_declined", "expired_card", "processing_error"]) expect(cardRefusalSentence(code, visa, now)).not.toMatch(/_/);
  });
});
