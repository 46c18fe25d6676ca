import { Avatar, Body1, Button, Caption1, Subtitle1, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError } from "../api/queries";
import { demoUsers, devSignIn } from "../auth/dev";
import type { Session } from "../auth/session";
import { ErrorBar } from "../components/ErrorBar";
import { useI18n, type MessageKey } from "../i18n";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "640px", margin: "0 auto", padding: tokens.spacingVerticalXXL },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  user: { justifyContent: "flex-start", gap: tokens.spacingHorizontalM, padding: tokens.spacingVerticalS, height: "auto" },
  text: { display: "flex", flexDirection: "column", alignItems: "flex-start", textAlign: "left" },
});

/** Outside Teams (plain browser, AUTH_MODE=dev): pick a demo user and get a local token for them. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const styles = useStyles();
  const api = useApi();
  const { t, say } = useI18n();
  const signInAs = useMutation<Session, ApiError, string>({
    mutationFn: (upn) => devSignIn(api, upn).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: onSignedIn,
  });
  const error = signInAs.error;
  const pendingUpn = signInAs.isPending ? signInAs.variables : undefined;
  const signIn = (upn: string) => signInAs.mutate(upn);

  const users = demoUsers();
  const tenants = [...new Set(users.map((u) => u.tenantName))];

  return (
    <div className={styles.root} data-testid="signin">
      <Title2 as="h1">{say("words.app.name")}</Title2>
      <Body1>{t("signInIntro")}</Body1>
      <ErrorBar error={error} />
      {tenants.map((tenant) => (
        <section key={tenant} className={styles.list} aria-label={t("signInAsTenantUser", { tenant })}>
          <Subtitle1 as="h2">{t("signInAsTenant", { tenant })}</Subtitle1>
          {users
            .filter((u) => u.tenantName === tenant)
            .map((user) => (
              <Button
                key={user.upn}
                className={styles.user}
                appearance="outline"
                disabled={pendingUpn !== undefined}
                onClick={() => signIn(user.upn)}
                data-testid={`signin-${user.upn}`}
                icon={<Avatar name={user.displayName} size={32} />}
              >
                <span className={styles.text}>
                  <Body1>{t("nameAndUpn", { name: user.displayName, upn: user.upn })}</Body1>
                  <Caption1>
                    {t(user.licensed ? "demoUserLicensed" : "demoUser", {
                      roles: user.roles.length ? user.roles.map((r) => t(`role.${r}` as MessageKey)).join(", ") : t("noAdminRole"),
                    })}
                  </Caption1>
                </span>
              </Button>
            ))}
        </section>
      ))}
    </div>
  );
}
