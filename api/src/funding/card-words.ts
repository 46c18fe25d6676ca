/**
 * How a card and a card refusal are said to a person, pure. The API, the cards the bot sends and
 * the tab all show these sentences (the bot and tab never make their own).
 */
import type { CardFailureCode } from "@cc/common";

export interface CardFacts {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", jcb: "JCB", diners: "Diners Club", unionpay: "UnionPay" };

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

/**
 * Why the card was refused, in a sentence that says what to do (English, or French with "fr"). The
 * expiry date is quoted only when it has passed: a bank can refuse a card as expired before the
 * printed date.
 */
export function cardRefusalSentence(code: CardFailureCode | string, card: CardFacts | undefined, asOf: Date, language: "en" | "fr" = "en"): string {
  const past = card !== undefined && expiredOn(card, asOf);
  if (language === "fr") {
    const name = card ? `La carte ${cardName(card)}` : "La carte";
    switch (code) {
      case "expired_card":
        return `${name} ${past ? `a expiré en ${cardExpiry(card!)}` : "a expiré"} : ajoutez une carte valide et définissez-la par défaut`;
      case "card_declined":
        return `${name} a été refusée par sa banque : utilisez une autre carte ou contactez la banque`;
      case "processing_error":
        return `${name} n'a pas pu être débitée à cause d'un incident chez le prestataire de paiement : rien n'a été prélevé ; réessayez dans quelques minutes`;
      default:
        return `${name} a été refusée (${code})`;
    }
  }
  const name = card ? `The card ${cardName(card)}` : "The card";
  switch (code) {
    case "expired_card":
      return `${name} ${past ? `expired in ${cardExpiry(card!)}` : "has expired"}: add a card that is valid and make it the default`;
    case "card_declined":
      return `${name} was declined by its bank: use another card or ask the bank why`;
    case "processing_error":
      return `${name} could not be charged just now because of a problem at the card processor: nothing was taken; try again in a few minutes`;
    default:
      return `${name} was refused (${code})`;
  }
}
