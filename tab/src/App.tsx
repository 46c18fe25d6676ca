import {
  Body1,
  Button,
  Caption1,
  FluentProvider,
  Tab,
  TabList,
  Title3,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  webLightTheme,
  type Theme,
} from "@fluentui/react-components";
import { Suspense, lazy, useEffect, useMemo, useRef, useState } from "react";
import { ApiClient, type ApiError } from "./api/client";
import { ApiProvider } from "./api/context";
import { creditsApi } from "./api/credits";
import { toApiError } from "./api/useResource";
import { devSignOut, restoreDevSession } from "./auth/dev";
import type { Session } from "./auth/session";
import { detectTeams, onTeamsThemeChange, teamsSession, teamsTheme, type TeamsTheme } from "./auth/teams";
import { ErrorBar } from "./components/ErrorBar";
import { Loading } from "./components/Loading";
import { ConfigPage } from "./pages/ConfigPage";
import { LedgerPage } from "./pages/LedgerPage";
import { OverviewPage } from "./pages/OverviewPage";
import { SignInPage } from "./pages/SignInPage";
import { UsersPage } from "./pages/UsersPage";

// The heavy ones (charts, Adaptive Cards renderer) load when first opened.
const UsagePage = lazy(() => import("./pages/UsagePage").then((m) => ({ default: m.UsagePage })));
const NotificationsPage = lazy(() => import("./pages/NotificationsPage").then((m) => ({ default: m.NotificationsPage })));

const SCREENS = [
  { id: "overview", label: "Overview" },
  { id: "ledger", label: "Ledger" },
  { id: "users", label: "Users & licenses" },
  { id: "usage", label: "Usage" },
  { id: "notifications", label: "Notifications" },
] as const;
type ScreenId = (typeof SCREENS)[number]["id"];

const themes: Record<TeamsTheme, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

type Phase =
  | { kind: "starting" }
  | { kind: "teams-config" }
  | { kind: "teams-failed"; error: ApiError }
  | { kind: "signed-out" }
  | { kind: "signed-in"; session: Session };

const useStyles = makeStyles({
  shell: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2 },
  header: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexWrap: "wrap",
  },
  who: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  whoText: { display: "flex", flexDirection: "column", alignItems: "flex-end" },
  main: { padding: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  centered: { padding: tokens.spacingVerticalXXL, display: "flex", justifyContent: "center" },
});

function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, "");
  return SCREENS.some((s) => s.id === id) ? (id as ScreenId) : "overview";
}

export function App() {
  const styles = useStyles();
  const [phase, setPhase] = useState<Phase>({ kind: "starting" });
  const [theme, setTheme] = useState<Theme>(webLightTheme);
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
  // Set during render, not in an effect: the pages' first requests (their effects run before
  // this component's) must already see the new session's token.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = phase.kind === "signed-in" ? phase.session : null;

  const api = useMemo(
    () =>
      creditsApi(
        new ApiClient({
          getToken: async () => (sessionRef.current ? sessionRef.current.getToken() : null),
          // A dev token that the server no longer accepts (expired, server key rotated): sign in again.
          onUnauthorized: () => {
            if (sessionRef.current?.kind === "dev") signOut();
          },
        }),
      ),
    [],
  );

  async function startInTeams() {
    setTheme(themes[await teamsTheme().catch((): TeamsTheme => "default")]);
    onTeamsThemeChange((t) => setTheme(themes[t]));
    if (new URLSearchParams(window.location.search).get("view") === "config") {
      setPhase({ kind: "teams-config" });
      return;
    }
    try {
      setPhase({ kind: "signed-in", session: await teamsSession() });
    } catch (err) {
      setPhase({ kind: "teams-failed", error: toApiError(err) });
    }
  }

  useEffect(() => {
    let cancelled = false;
    void detectTeams().then((inTeams) => {
      if (cancelled) return;
      if (inTeams) {
        void startInTeams();
      } else {
        const restored = restoreDevSession();
        setPhase(restored ? { kind: "signed-in", session: restored } : { kind: "signed-out" });
      }
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const follow = () => setScreen(screenFromHash());
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);

  function signOut() {
    devSignOut();
    setPhase({ kind: "signed-out" });
  }

  function select(id: ScreenId) {
    setScreen(id);
    window.history.replaceState(null, "", `#${id}`);
  }

  let body;
  switch (phase.kind) {
    case "starting":
      body = (
        <div className={styles.centered}>
          <Loading label="Starting…" />
        </div>
      );
      break;
    case "teams-config":
      body = <ConfigPage />;
      break;
    case "teams-failed":
      body = (
        <div className={styles.main}>
          <Title3 as="h1">Could not sign you in with Microsoft Teams</Title3>
          <ErrorBar error={phase.error} />
          <Button onClick={() => void startInTeams()} data-testid="teams-retry">
            Try again
          </Button>
        </div>
      );
      break;
    case "signed-out":
      body = <SignInPage onSignedIn={(session) => setPhase({ kind: "signed-in", session })} />;
      break;
    case "signed-in": {
      const { session } = phase;
      body = (
        <>
          <header className={styles.header}>
            <Title3 as="h1">Communications Credits</Title3>
            <div className={styles.who}>
              <div className={styles.whoText}>
                <Body1 data-testid="signed-in-user" data-upn={session.upn}>
                  {session.displayName}
                </Body1>
                <Caption1>
                  {session.upn}
                  {session.kind === "dev" ? " · dev sign-in" : ""}
                </Caption1>
              </div>
              {session.kind === "dev" ? (
                <Button onClick={signOut} data-testid="sign-out">
                  Sign out
                </Button>
              ) : null}
            </div>
          </header>
          <nav style={{ padding: `0 ${tokens.spacingHorizontalL}` }}>
            <TabList selectedValue={screen} onTabSelect={(_, data) => select(data.value as ScreenId)}>
              {SCREENS.map((s) => (
                <Tab key={s.id} value={s.id} data-testid={`nav-${s.id}`}>
                  {s.label}
                </Tab>
              ))}
            </TabList>
          </nav>
          {/* key: a new user starts from fresh pages, never another user's cached answers */}
          <main className={styles.main} key={session.upn}>
            <Suspense fallback={<Loading />}>
              {screen === "overview" ? <OverviewPage /> : null}
              {screen === "ledger" ? <LedgerPage /> : null}
              {screen === "users" ? <UsersPage /> : null}
              {screen === "usage" ? <UsagePage /> : null}
              {screen === "notifications" ? <NotificationsPage devMode={session.kind === "dev"} /> : null}
            </Suspense>
          </main>
        </>
      );
      break;
    }
  }

  return (
    <FluentProvider theme={theme}>
      <ApiProvider api={api}>
        <div className={styles.shell}>{body}</div>
      </ApiProvider>
    </FluentProvider>
  );
}
