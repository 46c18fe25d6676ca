/** The theme and the language: Teams' when inside Teams, else the person's choice (kept in this browser). */
import { useEffect, useMemo, useState } from "react";
import type { FirstFrameInput } from "@cc/common";
import type { TeamsTheme } from "../auth/teams";
import { initialLanguage, languageOf, saveLanguage, type TabLocale } from "../boot/language";
import { savedTheme, saveTheme } from "../boot/theme";

export function usePreferences(initial: FirstFrameInput | undefined) {
  const [theme, setTheme] = useState<TeamsTheme>(() => initial?.theme ?? savedTheme());
  const [language, setLanguage] = useState<TabLocale>(() => initial?.language ?? initialLanguage());

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return useMemo(
    () => ({
      theme,
      language,
      chooseTheme(name: TeamsTheme) {
        setTheme(name);
        saveTheme(name);
      },
      chooseLanguage(value: TabLocale) {
        setLanguage(value);
        saveLanguage(value);
      },
      /** Teams' own theme and locale: followed, not saved. */
      followTeamsTheme: setTheme,
      followTeamsLocale: (tag: string) => setLanguage(languageOf(tag)),
    }),
    [theme, language],
  );
}
