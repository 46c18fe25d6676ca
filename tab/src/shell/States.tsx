/** The shell's states before a page: starting, loading a page's code, Teams sign-in failed. */
import { Button, Title3 } from "@fluentui/react-components";
import type { ApiError } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { Loading } from "../components/Loading";
import { useI18n } from "../i18n";
import { useShellStyles } from "./styles";

export function Centered({ label }: { label: "starting" | "loading" }) {
  return (
    <div className={useShellStyles().centered}>
      <Loading label={useI18n().t(label)} />
    </div>
  );
}

export function TeamsFailed({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className={useShellStyles().main}>
      <Title3 as="h1">{t("teamsFailed")}</Title3>
      <ErrorBar error={error} />
      <Button onClick={onRetry} data-testid="teams-retry">
        {t("tryAgain")}
      </Button>
    </div>
  );
}
