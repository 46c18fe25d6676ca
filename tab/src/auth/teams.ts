/** Everything that touches @microsoft/teams-js lives here. */
import { app, authentication } from "@microsoft/teams-js";
import { readTokenClaims } from "./jwt";
import type { TabTheme } from "@cc/common";
import type { Session } from "./session";

export type TeamsTheme = TabTheme;

/**
 * Resolves true when the page runs inside a Teams (or Outlook/M365) host. Outside one,
 * app.initialize() never settles, so give it a short deadline; `?inTeams=1` (the manifest's
 * contentUrl) buys slower hosts such as mobile, whose web view is not a frame, a longer one.
 */
export async function detectTeams(timeoutMs = defaultTimeout()): Promise<boolean> {
  // A top-level page without the manifest's hint is a plain browser: don't wait for a host.
  if (window.parent === window.self && !window.opener && !hintedByManifest()) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      app.initialize().then(
        () => true,
        () => false,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function hintedByManifest(): boolean {
  return new URLSearchParams(window.location.search).get("inTeams") === "1";
}

function defaultTimeout(): number {
  return hintedByManifest() ? 5000 : 1500;
}

/** A session backed by Teams SSO; call only after detectTeams() resolved true. */
export async function teamsSession(): Promise<Session> {
  const token = await authentication.getAuthToken();
  const claims = readTokenClaims(token);
  const context = await app.getContext();
  return {
    kind: "teams",
    upn: context.user?.userPrincipalName ?? claims.upn ?? claims.preferred_username ?? "",
    displayName: claims.name ?? context.user?.userPrincipalName ?? "",
    tenantId: context.user?.tenant?.id ?? claims.tid ?? null,
    // teams-js caches the token and refreshes it when it nears expiry.
    getToken: () => authentication.getAuthToken(),
  };
}

export async function teamsTheme(): Promise<TeamsTheme> {
  const context = await app.getContext();
  return asTheme(context.app.theme);
}

export function onTeamsThemeChange(handler: (theme: TeamsTheme) => void): void {
  app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme)));
}

function asTheme(theme: string | undefined): TeamsTheme {
  return theme === "dark" || theme === "contrast" ? theme : "default";
}

/** The Teams client's language and the deep link's sub-page (subPageId, or the legacy subEntityId). */
export async function teamsPlace(): Promise<{ locale: string | undefined; subPageId: string | undefined }> {
  const context = await app.getContext();
  return { locale: context.app.locale, subPageId: context.page.subPageId || undefined };
}
