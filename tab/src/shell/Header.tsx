/** The signed-in header: the product, the preferences outside Teams, who is signed in, and sign-out for dev sessions. */
import { Body1, Button, Caption1, Select, Title3, makeStyles, tokens } from "@fluentui/react-components";
import type { Session } from "../auth/session";
import type { TeamsTheme } from "../auth/teams";
import type { TabLocale } from "../boot/language";
import { useI18n } from "../i18n";
import type { usePreferences } from "./usePreferences";

const useStyles = makeStyles({
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
});

type Preferences = ReturnType<typeof usePreferences>;

/** Theme and language pickers (outside Teams only: inside, Teams' own apply). */
export function PreferencePickers({ prefs }: { prefs: Preferences }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <div className={styles.prefs}>
      <Select className={styles.pref} aria-label={t("theme")} value={prefs.theme} onChange={(_, d) => prefs.chooseTheme(d.value as TeamsTheme)} data-testid="theme-select">
        <option value="default">{t("themeLight")}</option>
        <option value="dark">{t("themeDark")}</option>
        <option value="contrast">{t("themeContrast")}</option>
      </Select>
      <Select
        className={styles.pref}
        aria-label={t("language")}
        value={prefs.language}
        onChange={(_, d) => prefs.chooseLanguage(d.value as TabLocale)}
        data-testid="language-select"
      >
        {/* Each language named in itself; the pseudo-locale appears only when asked for (?lang=en-XA). */}
        <option value="en" lang="en">
          {t("languageEnglish")}
        </option>
        <option value="fr" lang="fr">
          {t("languageFrench")}
        </option>
        {prefs.language === "en-XA" ? <option value="en-XA">{t("languagePseudo")}</option> : null}
      </Select>
    </div>
  );
}

export function SignedOutHeader({ prefs }: { prefs: Preferences }) {
  return (
    <header className={useStyles().header}>
      <PreferencePickers prefs={prefs} />
    </header>
  );
}

export function Header({ session, prefs, inTeams, onSignOut }: { session: Session; prefs: Preferences; inTeams: boolean; onSignOut: () => void }) {
  const styles = useStyles();
  const { t, say } = useI18n();
  return (
    <header className={styles.header}>
      <Title3 as="h1">{say("words.app.name")}</Title3>
      <div className={styles.who}>
        {inTeams ? null : <PreferencePickers prefs={prefs} />}
        <div className={styles.whoText}>
          <Body1 data-testid="signed-in-user" data-upn={session.upn}>
            {session.displayName}
          </Body1>
          <Caption1>{session.kind === "dev" ? t("signedInDev", { upn: session.upn }) : session.upn}</Caption1>
        </div>
        {session.kind === "dev" ? (
          <Button onClick={onSignOut} data-testid="sign-out">
            {t("signOut")}
          </Button>
        ) : null}
      </div>
    </header>
  );
}
