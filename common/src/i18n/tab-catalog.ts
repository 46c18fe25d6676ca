/**
 * The tab's part of the catalog: the namespaces it says (tab-files.ts), in both languages and the
 * pseudo-locale, for react-intl. The same files the API and the bot read, without the server's
 * namespaces (problem answers, cards, bot chat, CLI), which the tab's bundle does not carry.
 */
import type { MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { PSEUDO_LOCALE, type CatalogLocale, type Language } from "./locale.js";
import { flatten, pseudoLocalize, type Messages } from "./records.js";
import { TAB_EN, TAB_FR } from "./tab-files.js";
import type { MessageId } from "./catalog.js";

/** A message id the tab may say: one of its namespaces'. */
export type TabMessageId = Extract<MessageId, `${keyof typeof TAB_EN}.${string}`>;

let records: Record<Language, Messages> | undefined;
let pseudo: Record<string, MessageFormatElement[]> | undefined;

/** The tab's messages in a locale, keyed by id (the pseudo-locale's are accented English ASTs). */
export function tabMessagesFor(locale: CatalogLocale): Record<string, string | MessageFormatElement[]> {
  records ??= { en: flatten(TAB_EN), fr: flatten(TAB_FR) };
  return locale === PSEUDO_LOCALE ? (pseudo ??= pseudoLocalize(records.en)) : records[locale];
}
export { TAB_NAMESPACES } from "./tab-files.js";
