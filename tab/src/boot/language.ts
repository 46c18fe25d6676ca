/**
 * The UI language before anything else loads (the boot script asks the API in it): a choice made
 * outside Teams (kept in localStorage), else the browser's. Teams' own locale overrides it later.
 */
import type { UiLanguage } from "@cc/common";

const LANGUAGE_KEY = "cc.language";

export function languageOf(tag: string | null | undefined): UiLanguage {
  return tag && /^fr\b/i.test(tag) ? "fr" : "en";
}

/** The formatting locale of a UI language. */
export const localeOf = (lang: UiLanguage): string => (lang === "fr" ? "fr-FR" : "en-US");

/** The Accept-Language the tab sends for a UI locale ("fr-FR" → "fr-FR, fr;q=0.9"). */
export const languageHeader = (locale: string) => `${locale}, ${locale.slice(0, 2)};q=0.9`;

/** The language chosen outside Teams, or the browser's. */
export function initialLanguage(): UiLanguage {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === "en" || saved === "fr") return saved;
  } catch {
    // storage may be blocked in a frame
  }
  return languageOf(navigator.language);
}

export function saveLanguage(lang: UiLanguage): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // not kept: the browser's language applies next time
  }
}
