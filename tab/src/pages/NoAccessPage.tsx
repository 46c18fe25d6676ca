import { Body1, Title2 } from "@fluentui/react-components";
import { useI18n } from "../i18n";

/** One clear page for someone signed in without an admin role that may see Communications Credits. */
export function NoAccessPage({ upn }: { upn: string }) {
  const { t } = useI18n();
  return (
    <div data-testid="no-access" style={{ maxWidth: "40rem", display: "flex", flexDirection: "column", gap: 12 }}>
      <Title2 as="h2" tabIndex={-1}>
        {t("noAccessTitle")}
      </Title2>
      <Body1>{t("noAccessBody", { upn })}</Body1>
    </div>
  );
}
