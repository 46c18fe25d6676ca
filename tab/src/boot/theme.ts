/** The theme outside Teams before anything else loads (the boot script asks the server to draw in it); Teams' own theme overrides it. */
import type { TabTheme } from "@cc/common";

const THEME_KEY = "cc.theme";

/** The theme chosen outside Teams, else what the system asks for. */
export function savedTheme(): TabTheme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    if (value === "dark" || value === "contrast" || value === "default") return value;
  } catch {
    // storage blocked
  }
  // Windows high contrast (forced colors) or a request for more contrast: Fluent's own high-contrast theme.
  return window.matchMedia?.("(forced-colors: active), (prefers-contrast: more)").matches
    ? "contrast"
    : window.matchMedia?.("(prefers-color-scheme: dark)").matches
      ? "dark"
      : "default";
}

export function saveTheme(theme: TabTheme): void {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // not kept
  }
}
