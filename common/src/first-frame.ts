/**
 * The tab's first frame, drawn by the server (tab/src/first-frame/render.tsx, called by the API's
 * /tab/first-frame): what the tab's first render depends on, so that the server's drawing and the
 * browser's first render are the same page. Not part of the API contract (API.md): the tab's own.
 */
import type { AccountView, MeAnswer, UiLanguage } from "./api.js";

export type TabTheme = "default" | "dark" | "contrast";

export interface FirstFrameInput {
  /** Who is signed in, as the tab's header shows them. */
  session: { kind: "dev" | "teams"; upn: string; displayName: string };
  theme: TabTheme;
  language: UiLanguage;
  /** GET /api/v1/me's answer for the caller. */
  me: MeAnswer;
  /** GET /api/v1/account's answer, absent when the caller may not read it. */
  account?: AccountView;
}

/** The drawn page: markup for the tab's root and the CSS rules it uses. */
export interface FirstFrame {
  html: string;
  css: string;
}
