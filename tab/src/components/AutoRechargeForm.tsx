import { Button, Caption1, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyInput, type AccountView, type AutoRechargeSettings, type AutoRechargeView, type RecommendationView } from "@cc/common";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, useRecommendation } from "../api/queries";
import { describeError, fieldOf } from "../errors";
import { useI18n } from "../i18n";
import { DEFAULT_MIN_PAYMENT_MICROS, useMe } from "../me";
import { useMoney } from "../money";
import { ErrorBar } from "./ErrorBar";
import { MoneyInput, readMoney } from "./MoneyInput";
import { SaveBar } from "./SaveBar";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "420px", minWidth: 0 },
  limits: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalS, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
});

type AmountField = "amountMicros" | "thresholdMicros" | "maxAmountPerDayMicros" | "maxRechargesPerDay";

/** The account's auto-recharge: v1.1 servers add the breaker's limits and `paused`; older ones do not. */
type AutoRechargeAsShown = AutoRechargeSettings & Partial<Pick<AutoRechargeView, "paused">>;

const perDayText = (n: number | undefined) => (n === undefined ? "" : String(n));

/**
 * The auto-recharge form. One component on purpose: its fields, their checks against the account and
 * the API's refusals placed next to each field share one state; the banners (paused, recommended) are apart.
 */
export function AutoRechargeForm({ account, onSaved }: { account: AccountView; onSaved: (account: AccountView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { money } = useMoney();
  const me = useMe();
  const { currency } = account;
  // Never set up: empty fields (with the range stated), not a "0.00" that the range refuses.
  const asInput = (micros: number) => (micros === 0 && !account.autoRecharge.enabled ? "" : formatMoneyInput(micros, locale));
  const autoRecharge: AutoRechargeAsShown = account.autoRecharge;
  // The limits are offered only when this server has the circuit breaker (it then shows them).
  const hasBreaker = typeof autoRecharge.maxRechargesPerDay === "number";
  const limitText = (micros: number | null | undefined) =>
    micros === null || micros === undefined || micros === autoRecharge.amountMicros * 10 ? "" : formatMoneyInput(micros, locale);
  const recommendation = useRecommendation();
  const [enabled, setEnabled] = useState(autoRecharge.enabled);
  const [amountText, setAmountText] = useState(asInput(autoRecharge.amountMicros));
  const [thresholdText, setThresholdText] = useState(asInput(autoRecharge.thresholdMicros));
  const [maxPerDayText, setMaxPerDayText] = useState(perDayText(autoRecharge.maxRechargesPerDay));
  const [maxAmountText, setMaxAmountText] = useState(limitText(autoRecharge.maxAmountPerDayMicros));
  const [inputErrors, setInputErrors] = useState<Partial<Record<AmountField, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation<AccountView, ApiError, AutoRechargeSettings>({
    mutationFn: (settings) => api.setAutoRecharge(settings).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (updated) => {
      setSaved(true);
      onSaved(updated);
    },
  });
  const resume = useMutation<AccountView, ApiError>({ mutationFn: () => api.resumeAutoRecharge().catch((err: unknown) => Promise.reject(toApiError(err))), onSuccess: onSaved });
  const error = save.error ?? resume.error ?? undefined;
  const dismissError = () => (save.reset(), resume.reset());
  const minMicros = me.limits?.minPaymentMicros ?? DEFAULT_MIN_PAYMENT_MICROS;
  const maxMicros = me.limits?.maxPaymentMicros;
  const readOnly = !me.can.moveMoney;

  // Follow the account when the API answers a newer one.
  useEffect(() => {
    setEnabled(autoRecharge.enabled);
    setAmountText(asInput(autoRecharge.amountMicros));
    setThresholdText(asInput(autoRecharge.thresholdMicros));
    setMaxPerDayText(perDayText(autoRecharge.maxRechargesPerDay));
    setMaxAmountText(limitText(autoRecharge.maxAmountPerDayMicros));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fields follow the saved values and the locale only; the helpers that format them are new each render
  }, [autoRecharge.enabled, autoRecharge.amountMicros, autoRecharge.thresholdMicros, autoRecharge.maxRechargesPerDay, autoRecharge.maxAmountPerDayMicros, locale]);

  const dirty =
    enabled !== autoRecharge.enabled ||
    amountText !== asInput(autoRecharge.amountMicros) ||
    thresholdText !== asInput(autoRecharge.thresholdMicros) ||
    (hasBreaker && (maxPerDayText !== perDayText(autoRecharge.maxRechargesPerDay) || maxAmountText !== limitText(autoRecharge.maxAmountPerDayMicros)));

  // Unsaved-change guard: the browser asks before leaving with edits.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const amount = readMoney(amountText, currency, i18n, { minMicros, maxMicros });
    const threshold = readMoney(thresholdText, currency, i18n, { maxMicros });
    const errors: Partial<Record<AmountField, string>> = {};
    if ("error" in amount) errors.amountMicros = amount.error;
    if ("error" in threshold) errors.thresholdMicros = threshold.error;
    const limits: Pick<AutoRechargeSettings, "maxRechargesPerDay" | "maxAmountPerDayMicros"> = {};
    if (hasBreaker) {
      const perDay = Number(maxPerDayText.trim());
      if (!/^\d+$/.test(maxPerDayText.trim()) || perDay < 1 || perDay > 100) errors.maxRechargesPerDay = t("maxRechargesInvalid");
      else limits.maxRechargesPerDay = perDay;
      if (maxAmountText.trim() === "") limits.maxAmountPerDayMicros = null;
      else {
        const cap = readMoney(maxAmountText, currency, i18n, {});
        if ("error" in cap) errors.maxAmountPerDayMicros = cap.error;
        else limits.maxAmountPerDayMicros = cap.micros;
      }
    }
    setInputErrors(errors);
    if (Object.keys(errors).length > 0 || "error" in amount || "error" in threshold) return;
    resume.reset();
    save.mutate({ enabled, amountMicros: amount.micros, thresholdMicros: threshold.micros, ...limits });
  }

  const vars = { min: money(minMicros, currency), max: maxMicros ? money(maxMicros, currency) : "" };
  const apiField = fieldOf(error);
  const fieldError = (field: AmountField) => inputErrors[field] ?? (error && apiField === field ? describeError(error, i18n, vars).text : undefined);
  // A recommendation with no figures yet (too little usage) only explains why; nothing to apply.
  const rec: Recommended | undefined =
    recommendation.data && recommendation.data.amountMicros !== null && recommendation.data.thresholdMicros !== null
      ? { ...recommendation.data, amountMicros: recommendation.data.amountMicros, thresholdMicros: recommendation.data.thresholdMicros }
      : undefined;
  const paused = autoRecharge.paused;

  const pausedReason = !paused
    ? ""
    : paused.reason === "max_recharges_per_day"
      ? i18n.say("events.pauseReason.max_recharges_per_day", { count: autoRecharge.maxRechargesPerDay ?? 0 })
      : paused.reason === "max_amount_per_day"
        ? i18n.say("events.pauseReason.max_amount_per_day", { amount: money(autoRecharge.maxAmountPerDayMicros ?? autoRecharge.amountMicros * 10, currency) })
        : t("pausedOther");

  return (
    <form className={styles.form} onSubmit={submit} noValidate data-testid="auto-recharge-form">
      <ErrorBar
        error={error && !(["amountMicros", "thresholdMicros", "maxAmountPerDayMicros", "maxRechargesPerDay"] as (string | undefined)[]).includes(apiField) ? error : undefined}
        vars={vars}
        onDismiss={dismissError}
      />
      {paused ? (
        <MessageBar intent="warning" layout="multiline" data-testid="auto-recharge-paused">
          <MessageBarBody>
            <MessageBarTitle>{t("pausedTitle")}</MessageBarTitle>
            {t("pausedBody", { when: i18n.formatDateTime(paused.at), reason: pausedReason })}
          </MessageBarBody>
          {!readOnly ? (
            <MessageBarActions>
              <Button size="small" onClick={() => (save.reset(), resume.mutate())} disabled={resume.isPending} data-testid="auto-recharge-resume">
                {resume.isPending ? t("resuming") : t("resume")}
              </Button>
            </MessageBarActions>
          ) : null}
        </MessageBar>
      ) : null}
      {rec && !readOnly ? (
        <RecommendationBanner
          rec={rec}
          onApply={() => {
            setEnabled(true);
            setAmountText(formatMoneyInput(rec.amountMicros, locale));
            setThresholdText(formatMoneyInput(rec.thresholdMicros, locale));
          }}
        />
      ) : null}
      <Field>
        <Switch label={t("autoRechargeOn")} checked={enabled} disabled={readOnly} onChange={(_, data) => setEnabled(data.checked)} data-testid="auto-recharge-enabled" />
      </Field>
      <MoneyInput
        label={t("rechargeAmount")}
        currency={currency}
        value={amountText}
        onChange={setAmountText}
        error={fieldError("amountMicros")}
        minMicros={minMicros}
        maxMicros={maxMicros}
        disabled={readOnly}
        testId="auto-recharge-amount"
      />
      <MoneyInput
        label={t("threshold")}
        currency={currency}
        value={thresholdText}
        onChange={setThresholdText}
        error={fieldError("thresholdMicros")}
        disabled={readOnly}
        testId="auto-recharge-threshold"
      />
      {hasBreaker ? (
        <div className={styles.limits} data-testid="auto-recharge-limits">
          <Subtitle2 as="h3">{t("limitsTitle")}</Subtitle2>
          <Caption1>{t("limitsHelp")}</Caption1>
          <Field label={t("maxRechargesPerDay")} validationMessage={fieldError("maxRechargesPerDay")} validationState={fieldError("maxRechargesPerDay") ? "error" : "none"}>
            <Input
              type="number"
              inputMode="numeric"
              min={1}
              max={100}
              step={1}
              value={maxPerDayText}
              disabled={readOnly}
              onChange={(_, d) => setMaxPerDayText(d.value)}
              data-testid="auto-recharge-max-per-day"
            />
          </Field>
          <MoneyInput
            label={t("maxAmountPerDay")}
            currency={currency}
            value={maxAmountText}
            onChange={setMaxAmountText}
            error={fieldError("maxAmountPerDayMicros")}
            disabled={readOnly}
            testId="auto-recharge-max-amount"
          />
          <Caption1>{t("maxAmountPerDayHint", { amount: money(autoRecharge.amountMicros * 10, currency) })}</Caption1>
        </div>
      ) : null}
      <SaveBar testId="auto-recharge" readOnly={readOnly} saving={save.isPending} saved={saved} dirty={dirty} />
    </form>
  );
}

type Recommended = RecommendationView & { amountMicros: number; thresholdMicros: number };

/** The recommended settings with their reasons, said in the tab's words from the figures the API computed. */
function RecommendationBanner({ rec, onApply }: { rec: Recommended; onApply: () => void }) {
  const { t } = useI18n();
  const { money } = useMoney();
  return (
    <MessageBar intent="info" layout="multiline" data-testid="recommendation">
      <MessageBarBody>
        {t("recommended", { amount: money(rec.amountMicros, rec.currency), threshold: money(rec.thresholdMicros, rec.currency) })}{" "}
        {t("recommendedWhy", {
          days: rec.basis.days,
          busy: money(rec.basis.p95DailySpendMicros ?? 0, rec.currency),
          average: money(rec.basis.avgDailySpendMicros ?? 0, rec.currency),
          threshold: money(rec.thresholdMicros, rec.currency),
          fixDays: rec.rule.fixDays,
          amount: money(rec.amountMicros, rec.currency),
          amountDays: rec.rule.amountDays,
          min: money(rec.rule.minPurchaseMicros, rec.currency),
        })}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onApply} data-testid="apply-recommendation">
          {t("applyRecommendation")}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
