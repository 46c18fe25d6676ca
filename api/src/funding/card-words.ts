/**
 * How a card and a card refusal are said to a person, pure: the card's name (brands are proper
 * names) and the facts a refusal is worded from through the message catalog.
 */
import { t, type CardFailureCode, type MessageId } from "@cc/common";

export interface CardFacts {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
};

/** "Visa •••• 4242". */
export function cardName(card: Pick<CardFacts, "brand" | "last4">): string {
  const brand = BRANDS[card.brand.toLowerCase()] ?? card.brand.charAt(0).toUpperCase() + card.brand.slice(1);
  return `${brand} •••• ${card.last4}`;
}

/** "12/2020". */
export function cardExpiry(card: Pick<CardFacts, "expMonth" | "expYear">): string {
  return `${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

/** True when the card's expiry month is over on `asOf`. */
export function expiredOn(card: Pick<CardFacts, "expMonth" | "expYear">, asOf: Date): boolean {
  return card.expYear * 12 + card.expMonth < asOf.getUTCFullYear() * 12 + asOf.getUTCMonth() + 1;
}

/** The facts a card refusal is said from (problems.expired_card, card_declined, processing_error in the catalog). */
export function cardRefusalFacts(card: CardFacts | undefined, asOf: Date): Record<string, string> {
  if (!card) return { card: "none", past: "unknown" };
  // The expiry date is quoted only when it has passed: a bank can refuse a card as expired before the printed date.
  return { card: cardName(card), past: expiredOn(card, asOf) ? "yes" : "no", expiry: cardExpiry(card) };
}

const REFUSAL_CODES: readonly string[] = ["expired_card", "card_declined", "processing_error"];

/** Why the card was refused, in a sentence that says what to do, in the reader's language (the catalog's words). */
export function cardRefusalSentence(code: CardFailureCode | string, card: CardFacts | undefined, asOf: Date, locale = "en"): string {
  const id = (REFUSAL_CODES.includes(code) ? `problems.${code}` : "problems.card_refused") as MessageId;
  return t(locale, id, cardRefusalFacts(card, asOf));
}
