/**
 * The tab, laid out as Teams Toolkit's SSO tab: providers (theme, words, API, query cache, router)
 * over a session state machine (shell/useSession), preferences (shell/usePreferences) and a routes
 * table (shell/routes). `initial`: the server draws the first frame (first-frame/render.tsx) from
 * these values instead of the browser's, so both draw the same page.
 */
import { FluentProvider, mergeClasses, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import { Suspense, lazy, useCallback, type ReactNode } from "react";
import { HashRouter, MemoryRouter } from "react-router";
import type { FirstFrameInput } from "@cc/common";
import { ApiProvider } from "./api/context";
import type { TeamsTheme } from "./auth/teams";
import { localeOf } from "./boot/language";
import { I18nProvider } from "./i18n";
import { Centered, TeamsFailed } from "./shell/States";
import { SignedOutHeader } from "./shell/Header";
import { SignedIn } from "./shell/SignedIn";
import { useShellStyles } from "./shell/styles";
import { useApiSession } from "./shell/useApiSession";
import { usePreferences } from "./shell/usePreferences";
import { useSession } from "./shell/useSession";

const SignInPage = lazy(() => import("./pages/SignInPage").then((m) => ({ default: m.SignInPage })));
const ConfigPage = lazy(() => import("./pages/ConfigPage").then((m) => ({ default: m.ConfigPage })));
const themes: Record<TeamsTheme, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

export function App({ initial }: { initial?: FirstFrameInput } = {}) {
  const styles = useShellStyles();
  const prefs = usePreferences(initial);
  const { phase, inTeams, signIn, signOut, retryTeams } = useSession(initial, {
    onTheme: prefs.followTeamsTheme,
    onLocale: prefs.followTeamsLocale,
    onDeepLink: (id) => (window.location.hash = `#/${id}`),
  });
  const session = phase.kind === "signed-in" ? phase.session : null;
  // A dev token the server no longer accepts (expired, server key rotated): sign in again.
  const { api, queryClient, throttled } = useApiSession(initial, session, localeOf(prefs.language), () => session?.kind === "dev" && leave());
  const leave = useCallback(() => {
    queryClient.clear();
    signOut();
  }, [queryClient, signOut]);

  let body: ReactNode;
  if (phase.kind === "starting") body = <Centered label="starting" />;
  else if (phase.kind === "teams-config")
    body = (
      <Suspense fallback={<Centered label="loading" />}>
        <ConfigPage />
      </Suspense>
    );
  else if (phase.kind === "teams-failed") body = <TeamsFailed error={phase.error} onRetry={() => void retryTeams()} />;
  else if (phase.kind === "signed-out")
    body = (
      <>
        <SignedOutHeader prefs={prefs} />
        <Suspense fallback={<Centered label="loading" />}>
          <SignInPage onSignedIn={(s) => (queryClient.clear(), signIn(s))} />
        </Suspense>
      </>
    );
  else body = <SignedIn session={phase.session} prefs={prefs} inTeams={inTeams} throttled={throttled} onSignOut={leave} />;

  // The server draws the overview in memory; the browser keeps the page in the address's hash (#/usage?preset=7d).
  const Router = initial ? MemoryRouter : HashRouter;
  return (
    <FluentProvider theme={themes[prefs.theme]} data-theme={prefs.theme}>
      <I18nProvider locale={prefs.language}>
        <ApiProvider api={api}>
          <QueryClientProvider client={queryClient}>
            <Router {...(initial ? { initialEntries: ["/overview"] } : {})}>
              <div className={mergeClasses(styles.shell, prefs.theme === "contrast" && styles.contrast)}>{body}</div>
            </Router>
          </QueryClientProvider>
        </ApiProvider>
      </I18nProvider>
    </FluentProvider>
  );
}
