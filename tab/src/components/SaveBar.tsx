/**
 * The end of a settings form, one way everywhere: for a reader the reason they cannot save; for a
 * billing admin Save, "unsaved changes" while edits are pending, and "Saved" once the server took
 * them. Test ids are `${testId}-save`, `-unsaved`, `-saved` and `-read-only`.
 */
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

export interface SaveBarProps {
  testId: string;
  readOnly: boolean;
  saving: boolean;
  saved: boolean;
  /** Edits not yet saved; undefined where the form does not track them. */
  dirty?: boolean;
  /** Without it the button submits its form. */
  onSave?: () => void;
  label?: "save" | "saveSettings";
  /** Save is offered only once something changed. */
  requireChanges?: boolean;
}

export function SaveBar({ testId, readOnly, saving, saved, dirty, onSave, label = "save", requireChanges = false }: SaveBarProps) {
  const styles = useStyles();
  const { t } = useI18n();
  if (readOnly) return <Caption1 data-testid={`${testId}-read-only`}>{t("needsBilling")}</Caption1>;
  return (
    <div className={styles.actions}>
      <Button appearance="primary" type={onSave ? "button" : "submit"} disabled={saving || (requireChanges && !dirty)} onClick={onSave} data-testid={`${testId}-save`}>
        {saving ? t("saving") : t(label)}
      </Button>
      {dirty && !saving ? <Caption1 data-testid={`${testId}-unsaved`}>{t("unsaved")}</Caption1> : null}
      {saved && !dirty ? (
        <span data-testid={`${testId}-saved`} role="status">
          {t("saved")}
        </span>
      ) : null}
    </div>
  );
}
