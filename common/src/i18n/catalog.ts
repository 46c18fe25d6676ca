/**
 * The message catalog: every sentence a person reads (tab, bot chat and cards, problem answers,
 * e-mails, event texts, the CLI) is an ICU message in messages/<language>/<namespace>.json, read
 * here through FormatJS. Ids are "<namespace>.<key>"; plurals, numbers, dates and money go through
 * ICU and Intl, never by hand. The tab hands its part of the same records (tab-catalog.ts) to
 * react-intl's IntlProvider.
 */
import { createIntl, createIntlCache, type IntlShape } from "@formatjs/intl";
import type { MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { EN, FR, type Namespace } from "./files.js";
import { flatten, pseudoLocalize, type Messages } from "./records.js";
import { LOCALE_OF, PSEUDO_LOCALE, negotiateCatalogLocale, type CatalogLocale, type Language } from "./locale.js";

type Keys<N extends Namespace> = Extract<keyof (typeof EN)[N], string>;
/** Every message id, checked at compile time against the English files. */
export type MessageId = { [N in Namespace]: `${N}.${Keys<N>}` }[Namespace];
/** Values a message may interpolate. */
export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

const RECORDS: Record<Language, Messages> = { en: flatten(EN), fr: flatten(FR) };

let pseudo: Record<string, MessageFormatElement[]> | undefined;

/** The messages of a language, keyed by id (the pseudo-locale's are accented English ASTs). */
export function messagesFor(locale: CatalogLocale): Record<string, string | MessageFormatElement[]> {
  return locale === PSEUDO_LOCALE ? (pseudo ??= pseudoLocalize(RECORDS.en)) : RECORDS[locale];
}

/** The ids whose message exists in one language and not the other (a test keeps this empty). */
export function missingMessages(): { en: string[]; fr: string[] } {
  return {
    en: Object.keys(RECORDS.fr).filter((id) => !(id in RECORDS.en)),
    fr: Object.keys(RECORDS.en).filter((id) => !(id in RECORDS.fr)),
  };
}

const cache = createIntlCache();
const intls = new Map<CatalogLocale, IntlShape>();

/** The FormatJS formatter for a locale: messages, numbers, dates, plurals, lists. */
export function intlFor(asked: string | readonly string[] | null | undefined): IntlShape {
  const locale = negotiateCatalogLocale(asked);
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl(
      {
        locale: locale === PSEUDO_LOCALE ? LOCALE_OF.en : LOCALE_OF[locale],
        defaultLocale: LOCALE_OF.en,
        messages: messagesFor(locale) as Record<string, string>,
        // A missing message is a bug the parity test catches; at run time say the id, never crash.
        onError: () => {},
      },
      cache,
    );
    intls.set(locale, intl);
  }
  return intl;
}

/** One message in the caller's language. */
export function t(asked: string | readonly string[] | null | undefined, id: MessageId, values?: MessageValues): string {
  return intlFor(asked).formatMessage({ id }, values as Record<string, string | number | Date | boolean | null | undefined>) as string;
}
