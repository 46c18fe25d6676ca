/**
 * Who is using the tab, as a small state machine: starting (looking for a Teams host) → signed in
 * (Teams SSO, or a dev session kept in this browser tab) | signed out | Teams' configuration page |
 * Teams sign-in failed. Teams is detected with @microsoft/teams-js, loaded only when the page may
 * be inside a Teams host; Teams' theme, locale and deep link are handed to the preferences and
 * the router.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { FirstFrameInput } from "@cc/common";
import type { ApiError } from "../api/client";
import { toApiError } from "../api/queries";
import { devSignOut, restoreDevSession } from "../auth/dev";
import type { Session } from "../auth/session";
import type { TeamsTheme } from "../auth/teams";
import { mayBeInTeams } from "../boot/host";

const teamsSdk = () => import("../auth/teams");

export type Phase = { kind: "starting" } | { kind: "teams-config" } | { kind: "teams-failed"; error: ApiError } | { kind: "signed-out" } | { kind: "signed-in"; session: Session };

/** What Teams told us about where the tab runs. */
export interface TeamsHost {
  onTheme(theme: TeamsTheme): void;
  onLocale(locale: string): void;
  onDeepLink(subPageId: string): void;
}

/** A session drawn by the server: its header only (the server's render runs no effect and asks nothing). */
function drawnSession({ kind, upn, displayName }: FirstFrameInput["session"]): Session {
  return { kind, upn, displayName, tenantId: null, getToken: () => Promise.reject(new Error("drawn by the server")) };
}

function firstPhase(initial: FirstFrameInput | undefined): Phase {
  if (initial) return { kind: "signed-in", session: drawnSession(initial.session) };
  // Outside Teams the session is known at once (no SDK to wait for), so the first render is the signed-in shell.
  if (mayBeInTeams()) return { kind: "starting" };
  const restored = restoreDevSession();
  return restored ? { kind: "signed-in", session: restored } : { kind: "signed-out" };
}

export function useSession(initial: FirstFrameInput | undefined, host: TeamsHost) {
  const [phase, setPhase] = useState<Phase>(() => firstPhase(initial));
  const [inTeams, setInTeams] = useState(false);
  // The latest handlers, read when Teams answers: a new render's handlers never restart detection.
  const hostRef = useRef(host);
  hostRef.current = host;

  const startInTeams = useCallback(async () => {
    const host = hostRef.current;
    const { onTeamsThemeChange, teamsPlace, teamsSession, teamsTheme } = await teamsSdk();
    setInTeams(true);
    host.onTheme(await teamsTheme().catch((): TeamsTheme => "default"));
    onTeamsThemeChange(host.onTheme);
    const place = await teamsPlace().catch(() => ({ locale: undefined, subPageId: undefined }));
    if (place.locale) host.onLocale(place.locale);
    if (place.subPageId) host.onDeepLink(place.subPageId);
    if (new URLSearchParams(window.location.search).get("view") === "config") return setPhase({ kind: "teams-config" });
    try {
      setPhase({ kind: "signed-in", session: await teamsSession() });
    } catch (err) {
      setPhase({ kind: "teams-failed", error: toApiError(err) });
    }
  }, []);

  useEffect(() => {
    if (!mayBeInTeams()) return;
    let cancelled = false;
    void teamsSdk()
      .then((sdk) => sdk.detectTeams())
      .then((teams) => {
        if (cancelled) return;
        if (teams) return void startInTeams();
        const restored = restoreDevSession();
        setPhase(restored ? { kind: "signed-in", session: restored } : { kind: "signed-out" });
      });
    return () => {
      cancelled = true;
    };
  }, [startInTeams]);

  const signIn = useCallback((session: Session) => setPhase({ kind: "signed-in", session }), []);
  const signOut = useCallback(() => {
    devSignOut();
    setPhase({ kind: "signed-out" });
  }, []);

  return { phase, inTeams, signIn, signOut, retryTeams: startInTeams };
}
