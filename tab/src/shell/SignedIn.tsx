/**
 * The signed-in tab: the header, the navigation (the routes table) and the page. The shell is drawn
 * before /me answers; only a caller who may not read loses the navigation.
 */
import { Caption1, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { Suspense, useRef } from "react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import type { Session } from "../auth/session";
import { ErrorBar } from "../components/ErrorBar";
import { ListSkeleton, OverviewSkeleton } from "../components/Skeletons";
import { useI18n } from "../i18n";
import { MeProvider, nobody } from "../me";
import { NoAccessPage } from "../pages/NoAccessPage";
import { Header } from "./Header";
import { ROUTES, routeOf } from "./routes";
import { useFocusAfterSignIn } from "./useFocusAfterSignIn";
import { useMeLoad } from "./useMeLoad";
import type { usePreferences } from "./usePreferences";

const useStyles = makeStyles({
  nav: { padding: `0 ${tokens.spacingHorizontalS}`, overflowX: "auto", backgroundColor: tokens.colorNeutralBackground1 },
  tabs: { flexWrap: "wrap" },
  main: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  throttled: { padding: `0 ${tokens.spacingHorizontalL}` },
});

interface Props {
  session: Session;
  prefs: ReturnType<typeof usePreferences>;
  inTeams: boolean;
  throttled: number;
  onSignOut: () => void;
}

export function SignedIn({ session, prefs, inTeams, throttled, onSignOut }: Props) {
  const styles = useStyles();
  const { t, say, locale } = useI18n();
  const navigate = useNavigate();
  const current = routeOf(useLocation().pathname)?.path ?? "overview";
  const { me, openedWithMe } = useMeLoad(true, current === "overview");
  const mainRef = useRef<HTMLElement>(null);
  useFocusAfterSignIn(mainRef, me.data, openedWithMe);

  let content;
  if (me.error) content = <ErrorBar error={me.error} onRetry={() => void me.refetch()} />;
  else if (!me.data) content = current === "overview" ? <OverviewSkeleton /> : <ListSkeleton />;
  else if (!me.data.can.read) content = <NoAccessPage upn={me.data.upn || session.upn} />;
  else
    content = (
      <Suspense fallback={<ListSkeleton />}>
        <Routes>
          {ROUTES.map(({ path, Page }) => (
            <Route key={path} path={`/${path}`} element={<Page />} />
          ))}
          <Route path="*" element={<Navigate to="/overview" replace />} />
        </Routes>
      </Suspense>
    );

  return (
    <MeProvider me={me.data ?? nobody(session, locale)} devMode={session.kind === "dev"}>
      <Header session={session} prefs={prefs} inTeams={inTeams} onSignOut={onSignOut} />
      {!me.data || me.data.can.read ? (
        <nav className={styles.nav} aria-label={say("words.app.name")}>
          <TabList className={styles.tabs} selectedValue={current} onTabSelect={(_, data) => void navigate(`/${String(data.value)}`, { replace: true })}>
            {ROUTES.map((r) => (
              <Tab key={r.path} value={r.path} data-testid={`nav-${r.path}`}>
                {t(r.label)}
              </Tab>
            ))}
          </TabList>
        </nav>
      ) : null}
      {throttled > 0 ? (
        <Caption1 role="status" className={styles.throttled} data-testid="throttled">
          {t("errThrottled", { seconds: throttled })}
        </Caption1>
      ) : null}
      {/* key: a new user starts from fresh pages */}
      <main className={styles.main} key={session.upn} ref={mainRef}>
        {content}
      </main>
    </MeProvider>
  );
}
