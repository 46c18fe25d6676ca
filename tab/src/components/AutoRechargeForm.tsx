import { Button, Field, Input, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMicros, parseDecimalToMicros, type AccountView } from "@cc/common";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError } from "../api/useResource";
import { ErrorBar } from "./ErrorBar";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "420px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

type AmountField = "amountMicros" | "thresholdMicros";

export function AutoRechargeForm({ account, onSaved }: { account: AccountView; onSaved: (account: AccountView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const { autoRecharge, currency } = account;
  const [enabled, setEnabled] = useState(autoRecharge.enabled);
  const [amountText, setAmountText] = useState(formatMicros(autoRecharge.amountMicros));
  const [thresholdText, setThresholdText] = useState(formatMicros(autoRecharge.thresholdMicros));
  const [inputErrors, setInputErrors] = useState<Partial<Record<AmountField, string>>>({});
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  // Follow the account when the API answers a newer one.
  useEffect(() => {
    setEnabled(autoRecharge.enabled);
    setAmountText(formatMicros(autoRecharge.amountMicros));
    setThresholdText(formatMicros(autoRecharge.thresholdMicros));
  }, [autoRecharge.enabled, autoRecharge.amountMicros, autoRecharge.thresholdMicros]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const errors: Partial<Record<AmountField, string>> = {};
    const amountMicros = parseOrNote(amountText, "amountMicros", errors);
    const thresholdMicros = parseOrNote(thresholdText, "thresholdMicros", errors);
    setInputErrors(errors);
    if (amountMicros === undefined || thresholdMicros === undefined) return;
    setError(undefined);
    setSaving(true);
    try {
      const updated = await api.setAutoRecharge({ enabled, amountMicros, thresholdMicros });
      setSaved(true);
      onSaved(updated);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const fieldError = (field: AmountField) => inputErrors[field] ?? error?.fieldError(field);

  return (
    <form className={styles.form} onSubmit={submit} noValidate data-testid="auto-recharge-form">
      <ErrorBar error={error} onDismiss={() => setError(undefined)} />
      <Field validationState={error?.fieldError("enabled") ? "error" : "none"} validationMessage={error?.fieldError("enabled")}>
        <Switch
          label="Recharge automatically"
          checked={enabled}
          onChange={(_, data) => setEnabled(data.checked)}
          data-testid="auto-recharge-enabled"
        />
      </Field>
      <Field
        label={`Recharge amount (${currency})`}
        validationState={fieldError("amountMicros") ? "error" : "none"}
        validationMessage={fieldError("amountMicros")}
      >
        <Input
          inputMode="decimal"
          value={amountText}
          contentBefore={currency}
          onChange={(_, data) => setAmountText(data.value)}
          data-testid="auto-recharge-amount"
        />
      </Field>
      <Field
        label={`When the balance falls below (${currency})`}
        validationState={fieldError("thresholdMicros") ? "error" : "none"}
        validationMessage={fieldError("thresholdMicros")}
      >
        <Input
          inputMode="decimal"
          value={thresholdText}
          contentBefore={currency}
          onChange={(_, data) => setThresholdText(data.value)}
          data-testid="auto-recharge-threshold"
        />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={saving} data-testid="auto-recharge-save">
          {saving ? "Saving…" : "Save auto-recharge"}
        </Button>
        {saved ? <span data-testid="auto-recharge-saved">Saved.</span> : null}
      </div>
    </form>
  );
}

function parseOrNote(text: string, field: AmountField, errors: Partial<Record<AmountField, string>>): number | undefined {
  try {
    return parseDecimalToMicros(text);
  } catch {
    errors[field] = "Enter an amount such as 100 or 25.50";
    return undefined;
  }
}
