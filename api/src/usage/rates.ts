/**
 * The pay-per-minute rate card, loaded once at startup from api/src/data/rate-card.usd.json.
 *
 * Prices are micros of the card's currency (USD). The demo tenants are USD; an account in another
 * currency cannot be rated with this card, so rating, ingestion and GET /rates answer 422
 * `currency_not_supported` for it (no conversion is guessed). A second card per currency
 * (rate-card.<ccy>.json) is the way to support one.
 */
import { readFileSync } from "node:fs";
import { refuse } from "../shared/refusal.js";
import { buildRateIndex, e164Digits, findRate, loadRateCard, type RateCard, type RateCardEntry, type RateIndex } from "./rating/rate-card.js";

export interface RateView {
  prefix: string;
  destinationName: string;
  countryCode: string;
  numberType: RateCardEntry["numberType"];
  perMinuteMicros: number;
  tollFreePerMinuteMicros: number;
  connectionFeeMicros: number;
  currency: string;
}

export class Rates {
  readonly index: RateIndex;
  private readonly countryNames = new Map<string, string>();

  constructor(readonly card: RateCard) {
    this.index = buildRateIndex(card.entries);
    // A country's name is the name of its shortest prefix ("United Kingdom", not "... - Mobile").
    const shortest = new Map<string, RateCardEntry>();
    for (const entry of card.entries) {
      const seen = shortest.get(entry.countryCode);
      if (!seen || entry.prefix.length < seen.prefix.length) shortest.set(entry.countryCode, entry);
    }
    for (const [country, entry] of shortest) this.countryNames.set(country, entry.destinationName.replace(/\s+-\s+.*$/, ""));
  }

  static load(url: URL = new URL("../data/rate-card.usd.json", import.meta.url)): Rates {
    return new Rates(loadRateCard(JSON.parse(readFileSync(url, "utf8"))));
  }

  get currency(): string {
    return this.card.currency;
  }

  find(number: string): RateCardEntry | undefined {
    return findRate(this.index, number);
  }

  countryName(countryCode: string): string {
    return this.countryNames.get(countryCode) ?? countryCode;
  }

  /** Refuse (422) rating for an account whose currency the card is not priced in. */
  requireCurrency(accountCurrency: string): void {
    if (accountCurrency !== this.card.currency) {
      throw refuse.rule("currency_not_supported", `Calls are rated in ${this.card.currency}; this account is in ${accountCurrency}, which has no rate card yet`, undefined, {
        rated: this.card.currency,
        currency: accountCurrency,
      });
    }
  }

  /** GET /api/v1/rates: 400 for something that is not a phone number, 404 when no prefix matches. */
  lookup(number: string | undefined): RateView {
    if (number === undefined || number.trim() === "") throw refuse.invalid("number", "numberMissing");
    if (!/^\+?[\d\s\-().]{1,24}$/.test(number.trim()) || !/^\d{1,15}$/.test(e164Digits(number))) {
      throw refuse.invalid("number", "e164");
    }
    const entry = this.find(number);
    if (!entry) throw refuse.notFound(`A rate for ${number.trim()}`);
    return { ...entry, currency: this.card.currency };
  }
}
