import { Button, Caption1, Field, MessageBar, MessageBarActions, MessageBarBody, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyInput, type AccountView, type RecommendationView } from "@cc/common";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, useResource } from "../api/useResource";
import { describeError, fieldOf } from "../errors";
import { useI18n } from "../i18n";
import { DEFAULT_MIN_PAYMENT_MICROS, useMe } from "../me";
import { useMoney } from "../money";
import { ErrorBar } from "./ErrorBar";
import { MoneyInput, readMoney } from "./MoneyInput";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "420px", minWidth: 0 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

type AmountField = "amountMicros" | "thresholdMicros";

export function AutoRechargeForm({ account, onSaved }: { account: AccountView; onSaved: (account: AccountView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { money } = useMoney();
  const me = useMe();
  const { autoRecharge, currency } = account;
  const recommendation = useResource<RecommendationView | null>(() => api.recommendation(), [api]);
  const [enabled, setEnabled] = useState(autoRecharge.enabled);
  const [amountText, setAmountText] = useState(formatMoneyInput(autoRecharge.amountMicros, locale));
  const [thresholdText, setThresholdText] = useState(formatMoneyInput(autoRecharge.thresholdMicros, locale));
  const [inputErrors, setInputErrors] = useState<Partial<Record<AmountField, string>>>({});
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const minMicros = me.limits?.minPaymentMicros ?? DEFAULT_MIN_PAYMENT_MICROS;
  const maxMicros = me.limits?.maxPaymentMicros;
  const readOnly = !me.can.moveMoney;

  // Follow the account when the API answers a newer one.
  useEffect(() => {
    setEnabled(autoRecharge.enabled);
    setAmountText(formatMoneyInput(autoRecharge.amountMicros, locale));
    setThresholdText(formatMoneyInput(autoRecharge.thresholdMicros, locale));
  }, [autoRecharge.enabled, autoRecharge.amountMicros, autoRecharge.thresholdMicros, locale]);

  const dirty =
    enabled !== autoRecharge.enabled ||
    amountText !== formatMoneyInput(autoRecharge.amountMicros, locale) ||
    thresholdText !== formatMoneyInput(autoRecharge.thresholdMicros, locale);

  // Unsaved-change guard: the browser asks before leaving with edits.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const amount = readMoney(amountText, currency, i18n, { minMicros, maxMicros });
    const threshold = readMoney(thresholdText, currency, i18n, { maxMicros });
    const errors: Partial<Record<AmountField, string>> = {};
    if ("error" in amount) errors.amountMicros = amount.error;
    if ("error" in threshold) errors.thresholdMicros = threshold.error;
    setInputErrors(errors);
    if ("error" in amount || "error" in threshold) return;
    setError(undefined);
    setSaving(true);
    try {
      const updated = await api.setAutoRecharge({ enabled, amountMicros: amount.micros, thresholdMicros: threshold.micros });
      setSaved(true);
      onSaved(updated);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const vars = { min: money(minMicros, currency), max: maxMicros ? money(maxMicros, currency) : "" };
  const apiField = fieldOf(error);
  const fieldError = (field: AmountField) =>
    inputErrors[field] ?? (error && apiField === field ? describeError(error, i18n, vars).text : undefined);
  // A recommendation with no figures yet (too little usage) only explains why; nothing to apply.
  const rec = recommendation.data && recommendation.data.amountMicros !== null && recommendation.data.thresholdMicros !== null
    ? { ...recommendation.data, amountMicros: recommendation.data.amountMicros, thresholdMicros: recommendation.data.thresholdMicros }
    : undefined;

  return (
    <form className={styles.form} onSubmit={submit} noValidate data-testid="auto-recharge-form">
      <ErrorBar error={error && apiField !== "amountMicros" && apiField !== "thresholdMicros" ? error : undefined} vars={vars} onDismiss={() => setError(undefined)} />
      {rec && !readOnly ? (
        <MessageBar intent="info" layout="multiline" data-testid="recommendation">
          <MessageBarBody>
            {t("recommended", { amount: money(rec.amountMicros, rec.currency), threshold: money(rec.thresholdMicros, rec.currency) })} {rec.why}
          </MessageBarBody>
          <MessageBarActions>
            <Button
              size="small"
              onClick={() => {
                setEnabled(true);
                setAmountText(formatMoneyInput(rec.amountMicros, locale));
                setThresholdText(formatMoneyInput(rec.thresholdMicros, locale));
              }}
              data-testid="apply-recommendation"
            >
              {t("applyRecommendation")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <Field>
        <Switch label={t("autoRechargeOn")} checked={enabled} disabled={readOnly} onChange={(_, data) => setEnabled(data.checked)} data-testid="auto-recharge-enabled" />
      </Field>
      <MoneyInput label={t("rechargeAmount")} currency={currency} value={amountText} onChange={setAmountText} error={fieldError("amountMicros")} minMicros={minMicros} maxMicros={maxMicros} disabled={readOnly} testId="auto-recharge-amount" />
      <MoneyInput label={t("threshold")} currency={currency} value={thresholdText} onChange={setThresholdText} error={fieldError("thresholdMicros")} disabled={readOnly} testId="auto-recharge-threshold" />
      {readOnly ? (
        <Caption1 data-testid="auto-recharge-read-only">{t("needsBilling")}</Caption1>
      ) : (
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={saving} data-testid="auto-recharge-save">
            {saving ? t("saving") : t("save")}
          </Button>
          {dirty && !saving ? <Caption1 data-testid="auto-recharge-unsaved">{t("unsaved")}</Caption1> : null}
          {saved && !dirty ? <span data-testid="auto-recharge-saved" role="status">{t("saved")}</span> : null}
        </div>
      )}
    </form>
  );
}
