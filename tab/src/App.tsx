import {
  Body1,
  Button,
  Caption1,
  FluentProvider,
  Select,
  Tab,
  TabList,
  Title3,
  makeStyles,
  mergeClasses,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  type Theme,
} from "@fluentui/react-components";
import type { FirstFrameInput, MeAnswer, UiLanguage } from "@cc/common";
import { Suspense, lazy, useEffect, useMemo, useRef, useState } from "react";
import { ApiClient, type ApiError } from "./api/client";
import { ApiProvider } from "./api/context";
import { creditsApi } from "./api/credits";
import { toApiError } from "./api/useResource";
import { devSignOut, restoreDevSession } from "./auth/dev";
import type { Session } from "./auth/session";
import type { TeamsTheme } from "./auth/teams";

import { mayBeInTeams } from "./boot/host";
import { languageHeader } from "./boot/language";
import { savedTheme, saveTheme } from "./boot/theme";
const teamsSdk = () => import("./auth/teams");
import { ErrorBar } from "./components/ErrorBar";
import { Loading } from "./components/Loading";
import { ListSkeleton, OverviewSkeleton } from "./components/Skeletons";
import { I18nProvider, initialLanguage, languageOf, makeI18n, saveLanguage, type MessageKey } from "./i18n";
import { MeProvider } from "./me";
import { NoAccessPage } from "./pages/NoAccessPage";
import { OverviewPage } from "./pages/OverviewPage";

// Only the overview is in the first bundle (it is what opens); the sign-in page and the others load when first shown.
const SignInPage = lazy(() => import("./pages/SignInPage").then((m) => ({ default: m.SignInPage })));
const LedgerPage = lazy(() => import("./pages/LedgerPage").then((m) => ({ default: m.LedgerPage })));
const UsersPage = lazy(() => import("./pages/UsersPage").then((m) => ({ default: m.UsersPage })));
const UsagePage = lazy(() => import("./pages/UsagePage").then((m) => ({ default: m.UsagePage })));
const NotificationsPage = lazy(() => import("./pages/NotificationsPage").then((m) => ({ default: m.NotificationsPage })));
const ConfigPage = lazy(() => import("./pages/ConfigPage").then((m) => ({ default: m.ConfigPage })));
const GuardPage = lazy(() => import("./pages/GuardPage").then((m) => ({ default: m.GuardPage })));
const RatesPage = lazy(() => import("./pages/RatesPage").then((m) => ({ default: m.RatesPage })));

const SCREENS = [
  { id: "overview", label: "navOverview" },
  { id: "ledger", label: "navLedger" },
  { id: "users", label: "navUsers" },
  { id: "usage", label: "navUsage" },
  { id: "rates", label: "navRates" },
  { id: "notifications", label: "navNotifications" },
  { id: "guard", label: "navGuard" },
] as const satisfies readonly { id: string; label: MessageKey }[];
type ScreenId = (typeof SCREENS)[number]["id"];

const themes: Record<TeamsTheme, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

type Phase =
  | { kind: "starting" }
  | { kind: "teams-config" }
  | { kind: "teams-failed"; error: ApiError }
  | { kind: "signed-out" }
  | { kind: "signed-in"; session: Session };

const useStyles = makeStyles({
  shell: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1, overflowX: "hidden" },
  // Teams' high-contrast theme draws subtle buttons as bare text, which reads as a label or as
  // disabled: every enabled button gets the theme's stroke so it looks like something to press.
  contrast: {
    "& .fui-Button:enabled:not([aria-disabled='true'])": { borderTopColor: tokens.colorNeutralStroke1, borderRightColor: tokens.colorNeutralStroke1, borderBottomColor: tokens.colorNeutralStroke1, borderLeftColor: tokens.colorNeutralStroke1 },
    "@media (forced-colors: active)": {
      "& .fui-Button:enabled:not([aria-disabled='true'])": { borderTopColor: "ButtonBorder", borderRightColor: "ButtonBorder", borderBottomColor: "ButtonBorder", borderLeftColor: "ButtonBorder" },
    },
  },
  header: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexWrap: "wrap",
  },
  who: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap", minWidth: 0 },
  whoText: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
  prefs: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  pref: { width: "9rem" },
  nav: { padding: `0 ${tokens.spacingHorizontalS}`, overflowX: "auto", backgroundColor: tokens.colorNeutralBackground1 },
  tabs: { flexWrap: "wrap" },
  main: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  centered: { padding: tokens.spacingVerticalXXL, display: "flex", justifyContent: "center" },
});

function screenFrom(id: string | undefined): ScreenId | undefined {
  const clean = (id ?? "").replace(/^#\/?/, "").split(/[?&]/)[0];
  return SCREENS.some((s) => s.id === clean) ? (clean as ScreenId) : undefined;
}

/** A session drawn by the server: its header only (the server's render runs no effect and asks nothing). */
function drawnSession({ kind, upn, displayName }: FirstFrameInput["session"]): Session {
  return { kind, upn, displayName, tenantId: null, getToken: () => Promise.reject(new Error("drawn by the server")) };
}

/**
 * The tab. `initial`: the server draws the first frame (first-frame/render.tsx) from these values
 * instead of the browser's (storage, hash, the boot script's answers); the browser's first render
 * reads the same values from where they live, so both draw the same page.
 */
export function App({ initial }: { initial?: FirstFrameInput } = {}) {
  const styles = useStyles();
  // Outside Teams the session is known at once (no SDK to wait for), so the first render is the signed-in shell.
  const [phase, setPhase] = useState<Phase>(() => {
    if (initial) return { kind: "signed-in", session: drawnSession(initial.session) };
    if (mayBeInTeams()) return { kind: "starting" };
    const restored = restoreDevSession();
    return restored ? { kind: "signed-in", session: restored } : { kind: "signed-out" };
  });
  const [inTeams, setInTeams] = useState(false);
  const [themeName, setThemeName] = useState<TeamsTheme>(() => initial?.theme ?? savedTheme());
  const [lang, setLang] = useState<UiLanguage>(() => initial?.language ?? initialLanguage());
  const [screen, setScreen] = useState<ScreenId>(() => (initial ? "overview" : (screenFrom(window.location.hash) ?? "overview")));
  const [throttled, setThrottled] = useState(0);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const { t } = i18n;
  const mainRef = useRef<HTMLElement>(null);
  // Set during render, not in an effect: the pages' first requests (their effects run before
  // this component's) must already see the new session's token and language.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = phase.kind === "signed-in" ? phase.session : null;
  const langRef = useRef(i18n.locale);
  langRef.current = i18n.locale;

  const api = useMemo(
    () =>
      creditsApi(
        new ApiClient({
          getToken: async () => (sessionRef.current ? sessionRef.current.getToken() : null),
          tokenNow: () => sessionRef.current?.tokenNow?.() ?? null,
          language: () => languageHeader(langRef.current),
          onThrottled: setThrottled,
          // A dev token that the server no longer accepts (expired, server key rotated): sign in again.
          onUnauthorized: () => {
            if (sessionRef.current?.kind === "dev") signOut();
          },
          known: initial && { "/api/v1/me": initial.me, "/api/v1/account": initial.account },
        }),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one client for the tab's life: the boot script's answers seed it once
    [],
  );
  // /me as the boot script already has it (a reload of a signed-in tab): the first render is the page, not a skeleton.
  const [me, setMe] = useState<MeAnswer | null>(() => (phase.kind === "signed-in" ? (api.meAlready() ?? null) : null));
  const [meError, setMeError] = useState<ApiError>();
  /** The /me the page opened with (the boot script's), if any: not asked for again, and no sign-in happened. */
  const openedWithMe = useRef(me);

  async function startInTeams() {
    const { onTeamsThemeChange, teamsPlace, teamsSession, teamsTheme } = await teamsSdk();
    setInTeams(true);
    setThemeName(await teamsTheme().catch((): TeamsTheme => "default"));
    onTeamsThemeChange(setThemeName);
    const place = await teamsPlace().catch(() => ({ locale: undefined, subPageId: undefined }));
    if (place.locale) setLang(languageOf(place.locale));
    const deepLinked = screenFrom(place.subPageId);
    if (deepLinked) setScreen(deepLinked);
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
    if (!mayBeInTeams()) return;
    let cancelled = false;
    const detect = mayBeInTeams() ? teamsSdk().then((sdk) => sdk.detectTeams()) : Promise.resolve(false);
    void detect.then((teams) => {
      if (cancelled) return;
      if (teams) {
        void startInTeams();
      } else {
        const restored = restoreDevSession();
        setPhase(restored ? { kind: "signed-in", session: restored } : { kind: "signed-out" });
      }
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const follow = () => setScreen(screenFrom(window.location.hash) ?? "overview");
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // Who is signed in and what they may do: asked once per session.
  const upn = phase.kind === "signed-in" ? phase.session.upn : null;
  const loadMe = useMemo(
    () => async () => {
      setMe(null);
      setMeError(undefined);
      try {
        setMe(await api.me());
      } catch (err) {
        setMeError(toApiError(err));
      }
    },
    [api],
  );
  useEffect(() => {
    if (!upn || (me !== null && me === openedWithMe.current)) return;
    // The overview needs both: ask for the account at the same time as /me, not after it.
    if (screen === "overview") api.prefetchAccount();
    void loadMe();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- /me is loaded when the signed-in user or the loader changes, not when the screen does
  }, [upn, loadMe]);

  // After sign-in, focus moves to the page's heading instead of being lost with the removed button,
  // once that heading is drawn (the page may still be a skeleton, its data on the way). Not when
  // the page opened with /me already in (a reload): nothing was removed.
  useEffect(() => {
    const main = mainRef.current;
    if (!me || me === openedWithMe.current || !main) return;
    // Never taken from a control the person has moved to meanwhile: only focus that was lost.
    const focusHeading = () => {
      if (document.activeElement && document.activeElement !== document.body) return true;
      const heading = main.querySelector<HTMLElement>("h1, h2");
      heading?.focus();
      return heading !== null;
    };
    if (focusHeading()) return;
    const drawn = new MutationObserver(() => {
      if (focusHeading()) drawn.disconnect();
    });
    drawn.observe(main, { childList: true, subtree: true });
    return () => drawn.disconnect();
  }, [me]);

  function signOut() {
    devSignOut();
    setMe(null);
    setPhase({ kind: "signed-out" });
  }

  function select(id: ScreenId) {
    setScreen(id);
    window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}#${id}`);
  }

  function chooseTheme(name: TeamsTheme) {
    setThemeName(name);
    saveTheme(name);
  }

  function chooseLanguage(value: UiLanguage) {
    setLang(value);
    saveLanguage(value);
  }

  const prefs = inTeams ? null : (
    <div className={styles.prefs}>
      <Select className={styles.pref} aria-label={t("theme")} value={themeName} onChange={(_, d) => chooseTheme(d.value as TeamsTheme)} data-testid="theme-select">
        <option value="default">{t("themeLight")}</option>
        <option value="dark">{t("themeDark")}</option>
        <option value="contrast">{t("themeContrast")}</option>
      </Select>
      <Select className={styles.pref} aria-label={t("language")} value={lang} onChange={(_, d) => chooseLanguage(d.value as UiLanguage)} data-testid="language-select">
        <option value="en" lang="en">English</option>
        <option value="fr" lang="fr">Français</option>
      </Select>
    </div>
  );

  let body;
  switch (phase.kind) {
    case "starting":
      body = (
        <div className={styles.centered}>
          <Loading label={t("starting")} />
        </div>
      );
      break;
    case "teams-config":
      body = (
        <Suspense fallback={<Loading label={t("loading")} />}>
          <ConfigPage />
        </Suspense>
      );
      break;
    case "teams-failed":
      body = (
        <div className={styles.main}>
          <Title3 as="h1">{t("teamsFailed")}</Title3>
          <ErrorBar error={phase.error} />
          <Button onClick={() => void startInTeams()} data-testid="teams-retry">
            {t("tryAgain")}
          </Button>
        </div>
      );
      break;
    case "signed-out":
      body = (
        <>
          {prefs ? <header className={styles.header}>{prefs}</header> : null}
          <Suspense fallback={<div className={styles.centered}><Loading label={t("loading")} /></div>}>
            <SignInPage onSignedIn={(session) => setPhase({ kind: "signed-in", session })} />
          </Suspense>
        </>
      );
      break;
    case "signed-in": {
      const { session } = phase;
      let content;
      if (meError) content = <ErrorBar error={meError} onRetry={() => void loadMe()} />;
      else if (!me) content = screen === "overview" ? <OverviewSkeleton /> : <ListSkeleton />;
      else if (!me.can.read) content = <NoAccessPage upn={me.upn || session.upn} />;
      else
        content = (
          <Suspense fallback={<ListSkeleton />}>
            {screen === "overview" ? <OverviewPage /> : null}
            {screen === "ledger" ? <LedgerPage /> : null}
            {screen === "users" ? <UsersPage /> : null}
            {screen === "usage" ? <UsagePage /> : null}
            {screen === "rates" ? <RatesPage /> : null}
            {screen === "guard" ? <GuardPage /> : null}
            {screen === "notifications" ? <NotificationsPage devMode={session.kind === "dev"} /> : null}
          </Suspense>
        );
      body = (
        <MeProvider me={me ?? { tenantId: "", userId: "", upn: session.upn, displayName: session.displayName, roles: [], locale: i18n.locale, can: { read: false, moveMoney: false, manageLicenses: false, manageNotifications: false, manageGuard: false } }}>
          <header className={styles.header}>
            <Title3 as="h1">{t("appTitle")}</Title3>
            <div className={styles.who}>
              {prefs}
              <div className={styles.whoText}>
                <Body1 data-testid="signed-in-user" data-upn={session.upn}>
                  {session.displayName}
                </Body1>
                <Caption1>
                  {session.upn}
                  {session.kind === "dev" ? ` · ${t("devSignIn")}` : ""}
                </Caption1>
              </div>
              {session.kind === "dev" ? (
                <Button onClick={signOut} data-testid="sign-out">
                  {t("signOut")}
                </Button>
              ) : null}
            </div>
          </header>
          {/* The shell (header and navigation) is drawn before /me answers; only a caller who may not read loses the navigation. */}
          {!me || me.can.read ? (
            <nav className={styles.nav} aria-label={t("appTitle")}>
              <TabList className={styles.tabs} selectedValue={screen} onTabSelect={(_, data) => select(data.value as ScreenId)}>
                {SCREENS.map((s) => (
                  <Tab key={s.id} value={s.id} data-testid={`nav-${s.id}`}>
                    {t(s.label)}
                  </Tab>
                ))}
              </TabList>
            </nav>
          ) : null}
          {throttled > 0 ? <Caption1 role="status" style={{ padding: "0 16px" }} data-testid="throttled">{t("errThrottled", { seconds: throttled })}</Caption1> : null}
          {/* key: a new user starts from fresh pages, never another user's cached answers */}
          <main className={styles.main} key={session.upn} ref={mainRef}>
            {content}
          </main>
        </MeProvider>
      );
      break;
    }
  }

  return (
    <FluentProvider theme={themes[themeName]} data-theme={themeName}>
      <I18nProvider i18n={i18n}>
        <ApiProvider api={api}>
          <div className={mergeClasses(styles.shell, themeName === "contrast" && styles.contrast)}>{body}</div>
        </ApiProvider>
      </I18nProvider>
    </FluentProvider>
  );
}
