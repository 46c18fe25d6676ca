/**
 * The UI language before anything else loads (the boot script asks the API in it): `?lang=` in the
 * address (fr, en, or the pseudo-locale en-XA that shows which words bypassed the catalog), else a
 * choice made outside Teams (kept in localStorage), else the browser's. Teams' own locale
 * overrides it later.
 */
// Types only: the boot script carries this file and must stay a few kilobytes (no catalog in it).
import type { CatalogLocale, UiLanguage } from "@cc/common";

const PSEUDO_LOCALE = "en-XA" satisfies CatalogLocale;

const LANGUAGE_KEY = "cc.language";

/** What the tab may be shown in: a UI language or the pseudo-locale. */
export type TabLocale = CatalogLocale;

export function languageOf(tag: string | null | undefined): UiLanguage {
  return tag && /^fr\b/i.test(tag) ? "fr" : "en";
}

/** The formatting locale of a UI language ("fr" → "fr-FR"; the pseudo-locale stays itself). */
export const localeOf = (lang: TabLocale): string => (lang === PSEUDO_LOCALE ? PSEUDO_LOCALE : lang === "fr" ? "fr-FR" : "en-US");

/** The Accept-Language the tab sends for a UI locale ("fr-FR" → "fr-FR, fr;q=0.9"). */
export const languageHeader = (locale: string) => `${locale}, ${locale.slice(0, 2)};q=0.9`;

/** The locale asked for in the address (?lang=fr, ?lang=en-XA), if any. */
function askedInUrl(): TabLocale | undefined {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (!asked) return undefined;
  return asked.toLowerCase() === PSEUDO_LOCALE.toLowerCase() ? PSEUDO_LOCALE : languageOf(asked);
}

/** The language asked for in the address, chosen outside Teams, or the browser's. */
export function initialLanguage(): TabLocale {
  const asked = askedInUrl();
  if (asked) return asked;
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === "en" || saved === "fr") return saved;
  } catch {
    // storage may be blocked in a frame
  }
  return languageOf(navigator.language);
}

export function saveLanguage(lang: TabLocale): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // not kept: the browser's language applies next time
  }
}
