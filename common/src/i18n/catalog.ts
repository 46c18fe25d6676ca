/**
 * The message catalog: every sentence a person reads (tab, bot chat and cards, problem answers,
 * e-mails, event texts, the CLI) is an ICU message in messages/<language>/<namespace>.json, read
 * here through FormatJS. Ids are "<namespace>.<key>"; plurals, numbers, dates and money go through
 * ICU and Intl, never by hand. The tab hands the same records to react-intl's IntlProvider.
 */
import { createIntl, createIntlCache, type IntlShape } from "@formatjs/intl";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { EN, FR, NAMESPACES, type Namespace } from "./files.js";
import { LOCALE_OF, PSEUDO_LOCALE, negotiateCatalogLocale, type CatalogLocale, type Language } from "./locale.js";

type Keys<N extends Namespace> = Extract<keyof (typeof EN)[N], string>;
/** Every message id, checked at compile time against the English files. */
export type MessageId = { [N in Namespace]: `${N}.${Keys<N>}` }[Namespace];
/** Values a message may interpolate. */
export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

/** The flat records of one language: id → ICU message. */
export type Messages = Record<string, string>;

function flatten(files: Record<Namespace, Record<string, string>>): Messages {
  const flat: Messages = {};
  for (const ns of NAMESPACES) for (const [key, text] of Object.entries(files[ns])) flat[`${ns}.${key}`] = text;
  return flat;
}

const RECORDS: Record<Language, Messages> = { en: flatten(EN), fr: flatten(FR) };

/** The messages of a language, keyed by id (the pseudo-locale's are accented English ASTs). */
export function messagesFor(locale: CatalogLocale): Record<string, string | MessageFormatElement[]> {
  return locale === PSEUDO_LOCALE ? pseudoMessages() : RECORDS[locale];
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

// The pseudo-locale: each literal letter accented and the whole message bracketed, so a test can
// tell catalog text (accented) from text that bypassed the catalog (plain) on any page or card.
const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."àƀçđéƒĝĥîĵķĺɱñöƥɋŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖƤɊŔŠŢÛṼŴẊÝŽ"][i]]),
);
const accent = (text: string) => text.replace(/[a-zA-Z]/g, (c) => ACCENTED[c] ?? c);

function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: accent(element.value) };
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(element.options).map(([k, o]) => [k, { ...o, value: pseudoElements(o.value) }]));
      return { ...element, options };
    }
    if (element.type === TYPE.tag) return { ...element, children: pseudoElements(element.children) };
    return element;
  });
}

let pseudo: Record<string, MessageFormatElement[]> | undefined;
function pseudoMessages(): Record<string, MessageFormatElement[]> {
  pseudo ??= Object.fromEntries(
    Object.entries(RECORDS.en).map(([id, text]) => [
      id,
      [{ type: TYPE.literal, value: "⟦" }, ...pseudoElements(parse(text)), { type: TYPE.literal, value: "⟧" }] as MessageFormatElement[],
    ]),
  );
  return pseudo;
}
