/**
 * How the bot says amounts and times: through the message catalog's formatter (common/src/i18n),
 * in the reader's locale. Amounts to the cent from micros; the words themselves are in the catalog
 * (namespaces "cards" and "bot").
 */
import { formatAmount, intlFor, negotiateCatalogLocale, t } from "@cc/common";
import type { Locale } from "../types.js";

/** The reader's catalog locale for a Teams locale, a Graph preferred language or an Accept-Language (common's one negotiation). */
export const localeOf = (tag: string | readonly string[] | null | undefined): Locale => negotiateCatalogLocale(tag);

export const money = (micros: number, currency: string, locale: Locale) => formatAmount(locale, micros, currency);

export function when(at: string, locale: Locale): string {
  return t(locale, "cards.when", { at: intlFor(locale).formatDate(new Date(at), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) });
}

export function day(at: string, locale: Locale): string {
  return intlFor(locale).formatDate(new Date(at), { dateStyle: "medium", timeZone: "UTC" });
}
