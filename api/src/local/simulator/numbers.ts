/**
 * Realistic E.164 numbers for the simulator, drawn from the rate card's own prefixes so that every
 * generated number is priced by the entry it was drawn from (checked by longest-prefix lookup).
 */
import type { NumberType, RateCardEntry } from "../../usage/rating/rate-card.js";
import type { Rates } from "../../usage/rates.js";
import type { Prng } from "./prng.js";

/** Total E.164 digits (country code included) of an ordinary number per country; 12 elsewhere. */
const E164_LENGTH: Record<string, number> = {
  US: 11,
  CA: 11,
  PR: 11,
  DO: 11,
  JM: 11,
  GB: 12,
  FR: 11,
  DE: 12,
  IT: 12,
  ES: 11,
  NL: 11,
  BE: 11,
  AT: 12,
  CH: 11,
  IE: 12,
  SE: 11,
  NO: 10,
  DK: 10,
  FI: 12,
  PT: 12,
  PL: 11,
  CZ: 12,
  SK: 12,
  GR: 12,
  HU: 11,
  RO: 11,
  BG: 12,
  HR: 11,
  SI: 11,
  EE: 11,
  LV: 11,
  LT: 11,
  LU: 11,
  IS: 10,
  RU: 11,
  KZ: 11,
  TR: 12,
  UA: 12,
  IL: 12,
  AE: 12,
  SA: 12,
  QA: 11,
  EG: 12,
  ZA: 11,
  NG: 13,
  KE: 12,
  MA: 12,
  IN: 12,
  CN: 13,
  JP: 12,
  KR: 12,
  TW: 12,
  HK: 11,
  SG: 10,
  MY: 11,
  TH: 11,
  ID: 12,
  PH: 12,
  VN: 11,
  PK: 12,
  BD: 13,
  LK: 11,
  AU: 11,
  NZ: 11,
  BR: 13,
  MX: 12,
  AR: 12,
  CL: 11,
  CO: 12,
  PE: 11,
  CR: 11,
  PA: 11,
};

/** North American geographic numbers: real US area codes (prefix "1" alone would hit Canada or toll-free). */
const US_AREA_CODES = [
  "206",
  "212",
  "213",
  "214",
  "303",
  "305",
  "312",
  "404",
  "415",
  "425",
  "469",
  "503",
  "512",
  "602",
  "617",
  "646",
  "702",
  "713",
  "718",
  "801",
  "858",
  "917",
  "919",
];

export class NumberBook {
  private readonly byCountry = new Map<string, Map<NumberType, RateCardEntry[]>>();

  constructor(private readonly rates: Rates) {
    for (const entry of rates.card.entries) {
      const types = this.byCountry.get(entry.countryCode) ?? new Map<NumberType, RateCardEntry[]>();
      types.set(entry.numberType, [...(types.get(entry.numberType) ?? []), entry]);
      this.byCountry.set(entry.countryCode, types);
    }
  }

  has(country: string, type: NumberType): boolean {
    return (this.byCountry.get(country)?.get(type)?.length ?? 0) > 0;
  }

  countryName(country: string): string {
    return this.rates.countryName(country);
  }

  /**
   * A number in `country` of `type` (falling back to fixed when the card has no such prefix there),
   * or undefined when the card has no prefix for the country at all.
   */
  number(rng: Prng, country: string, type: NumberType): string | undefined {
    const types = this.byCountry.get(country);
    const entries = types?.get(type) ?? types?.get("fixed");
    if (!entries || entries.length === 0) return undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      const entry = rng.pick(entries);
      const digits =
        entry.countryCode === "US" && entry.numberType === "fixed" && entry.prefix === "1"
          ? `1${rng.pick(US_AREA_CODES)}${rng.int(2, 9)}${this.digits(rng, 6)}`
          : this.complete(rng, entry);
      // Longest-prefix match must land on the entry drawn from ("44" + "7…" would be a UK mobile).
      if (this.rates.find(`+${digits}`)?.prefix === entry.prefix) return `+${digits}`;
    }
    return undefined;
  }

  private complete(rng: Prng, entry: RateCardEntry): string {
    const length = Math.min(15, Math.max(E164_LENGTH[entry.countryCode] ?? 12, entry.prefix.length + 4));
    const rest = length - entry.prefix.length;
    // A subscriber part rarely starts with 0 or 1 (trunk and service codes).
    return `${entry.prefix}${rng.int(2, 9)}${this.digits(rng, rest - 1)}`;
  }

  private digits(rng: Prng, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += rng.int(0, 9);
    return s;
  }
}
