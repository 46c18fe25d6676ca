/**
 * The tab's words: the catalog's "tab" namespace (common/src/i18n/messages/<lang>/tab.json), read
 * with react-intl over the same records the API and the bot use (the tab's namespaces of them:
 * `tabMessagesFor`). Pages ask
 * `useI18n()` for `t(key, values)` and the date styles; numbers and money go through Intl too.
 * The pseudo-locale "en-XA" (?lang=en-XA) shows accented, bracketed words, so text that bypassed
 * the catalog stands out.
 */
import { useMemo, type ReactNode } from "react";
import { IntlProvider, createIntl, createIntlCache, useIntl, type IntlShape } from "react-intl";
import { LOCALE_OF, PSEUDO_LOCALE, tabMessagesFor, type CatalogLocale, type TabMessageId, type UiLanguage } from "@cc/common";

export { initialLanguage, languageOf, saveLanguage } from "./boot/language";

/** A key of the tab's namespace ("signOut" for the id "tab.signOut"). */
export type MessageKey = TabMessageId extends infer Id ? (Id extends `tab.${infer K}` ? K : never) : never;

export interface I18n {
  /** The UI language (the pseudo-locale speaks English). */
  lang: UiLanguage;
  /** BCP 47 tag for Intl (numbers, money, dates). */
  locale: string;
  t(key: MessageKey, values?: Record<string, string | number | Date>): string;
  /** Any message of the catalog by its full id ("policy.countries.label"): the tab's own words are `t`. */
  say(id: TabMessageId, values?: Record<string, string | number | Date>): string;
  /** Whether the catalog has this key (codes the API may send that have no words yet). */
  has(key: string): boolean;
  formatDateTime(iso: string | null | undefined): string;
  formatDate(iso: string | null | undefined): string;
  /** A calendar day ("2026-11-12") in short: "Nov 12" / "12 nov.". */
  formatDay(day: string): string;
}

const DATE_STYLES = {
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  day: { month: "short", day: "numeric", timeZone: "UTC" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const intlLocale = (locale: CatalogLocale) => (locale === PSEUDO_LOCALE ? LOCALE_OF.en : LOCALE_OF[locale]);

/** The tab's words and formats over a react-intl IntlShape. */
export function i18nOf(intl: IntlShape): I18n {
  const fmt = (style: keyof typeof DATE_STYLES) => (iso: string | null | undefined) => {
    if (!iso) return "—";
    const d = new Date(style === "day" ? `${iso}T00:00:00Z` : iso);
    return Number.isNaN(d.getTime()) ? iso : intl.formatDate(d, DATE_STYLES[style]);
  };
  return {
    lang: intl.locale.startsWith("fr") ? "fr" : "en",
    locale: intl.locale,
    t: (key, values) => intl.formatMessage({ id: `tab.${key}` }, values) as string,
    say: (id, values) => intl.formatMessage({ id }, values) as string,
    has: (key) => `tab.${key}` in intl.messages,
    formatDateTime: fmt("dateTime"),
    formatDate: fmt("date"),
    formatDay: fmt("day"),
  };
}

// A missing message is a bug the parity test catches; at run time show the id, never crash.
const quiet = () => {};

/** The catalog in `locale` for the tree below (react-intl's IntlProvider). */
export function I18nProvider({ locale, children }: { locale: CatalogLocale; children: ReactNode }) {
  return (
    <IntlProvider locale={intlLocale(locale)} defaultLocale="en-US" messages={tabMessagesFor(locale) as Record<string, string>} onError={quiet}>
      {children}
    </IntlProvider>
  );
}

export function useI18n(): I18n {
  const intl = useIntl();
  return useMemo(() => i18nOf(intl), [intl]);
}

const cache = createIntlCache();
/** The same outside React (tests, code handed an I18n). */
export function makeI18n(locale: CatalogLocale): I18n {
  return i18nOf(createIntl({ locale: intlLocale(locale), defaultLocale: "en-US", messages: tabMessagesFor(locale) as Record<string, string>, onError: quiet }, cache));
}
