import { Button, Field, Select, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { SANDBOX_CARD_TOKENS } from "../../api/credits";
import { useI18n } from "../../i18n";

const useStyles = makeStyles({
  addCard: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  addCardField: { flexGrow: 1, flexBasis: "200px", minWidth: 0 },
  select: { width: "100%", minWidth: 0 },
});

/** Add a sandbox test card: pick its token (each says what it does), then Add card. */
export function AddTestCard({ tokenError, busy, onAdd }: { tokenError: string | undefined; busy: boolean; onAdd: (token: string) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [token, setToken] = useState<string>(SANDBOX_CARD_TOKENS[0].token);
  return (
    <div className={styles.addCard}>
      <Field className={styles.addCardField} label={t("addTestCard")} validationState={tokenError ? "error" : "none"} validationMessage={tokenError}>
        <Select
          className={styles.select}
          select={{ style: { width: "100%", textOverflow: "ellipsis" } }}
          value={token}
          onChange={(_, data) => setToken(data.value)}
          data-testid="test-card-select"
        >
          {SANDBOX_CARD_TOKENS.map((card) => (
            <option key={card.token} value={card.token}>
              {t("sandboxCard", { token: card.token, outcome: t(card.outcome) })}
            </option>
          ))}
        </Select>
      </Field>
      <Button disabled={busy} onClick={() => onAdd(token)} data-testid="add-card-button">
        {t("addCard")}
      </Button>
    </div>
  );
}
