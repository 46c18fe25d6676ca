/**
 * One language negotiation for the whole product: `/me`, problem answers, the bot, cards and
 * e-mails all ask here. Accept-Language is read with its q-values (negotiator), and the best
 * supported language is chosen with the ECMA-402 lookup algorithm (@formatjs/intl-localematcher).
 */
import Negotiator from "negotiator";
import { match } from "@formatjs/intl-localematcher";

/** The languages the product speaks, English first (the default). */
export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
/** The pseudo-locale: English with every letter accented and bracketed, to find text that bypasses the catalog. */
export const PSEUDO_LOCALE = "en-XA";
export type CatalogLocale = Language | typeof PSEUDO_LOCALE;

/** The full BCP 47 tag for number and date formats ("fr" → "fr-FR"). */
export const LOCALE_OF: Record<Language, string> = { en: "en-US", fr: "fr-FR" };

/** The caller's languages, best first, from an Accept-Language header (q-values honoured). */
export function requestedLanguages(acceptLanguage: string | null | undefined): string[] {
  if (!acceptLanguage) return [];
  return new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages().filter((tag) => tag !== "*");
}

/**
 * The supported language for what the caller asked: an Accept-Language header, a list of tags
 * best first, or one tag (a Teams locale such as "fr-FR", a Graph preferredLanguage).
 * The pseudo-locale is honoured only when asked for by name.
 */
export function negotiateLanguage(asked: string | readonly string[] | null | undefined): Language {
  const tags = typeof asked === "string" ? (asked.includes(",") || asked.includes(";") ? requestedLanguages(asked) : [asked]) : [...(asked ?? [])];
  const valid = tags.map((tag) => tag.trim()).filter((tag) => tag && isWellFormed(tag));
  if (valid.length === 0) return "en";
  return match(valid, [...LANGUAGES], "en", { algorithm: "lookup" }) as Language;
}

/** The catalog locale for what the caller asked, the pseudo-locale included. */
export function negotiateCatalogLocale(asked: string | readonly string[] | null | undefined): CatalogLocale {
  const tags = typeof asked === "string" ? requestedLanguages(asked.includes(",") ? asked : `${asked}`) : [...(asked ?? [])];
  if (tags[0]?.toLowerCase() === PSEUDO_LOCALE.toLowerCase()) return PSEUDO_LOCALE;
  return negotiateLanguage(asked);
}

function isWellFormed(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
