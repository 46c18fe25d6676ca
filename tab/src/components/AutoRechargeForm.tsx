import { Field, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyInput, type AccountView } from "@cc/common";
import { useRecommendation } from "../api/queries";
import { fieldOf } from "../errors";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { AMOUNT_FIELDS } from "./auto-recharge/auto-recharge-fields";
import { PausedBanner, RecommendationBanner, recommended } from "./auto-recharge/AutoRechargeBanners";
import { LimitsFields } from "./auto-recharge/LimitsFields";
import { useAutoRechargeForm } from "./auto-recharge/useAutoRechargeForm";
import { ErrorBar } from "./ErrorBar";
import { MoneyInput } from "./MoneyInput";
import { SaveBar } from "./SaveBar";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "420px", minWidth: 0 },
});

/**
 * The auto-recharge form: its fields, their checks against the account and the API's refusals placed next to each
 * field share one state (useAutoRechargeForm); the banners (paused, recommended) and the breaker's limits are apart.
 */
export function AutoRechargeForm({ account, onSaved }: { account: AccountView; onSaved: (account: AccountView) => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const me = useMe();
  const { currency } = account;
  const form = useAutoRechargeForm(account, onSaved);
  const { autoRecharge, texts, set, save, resume, minMicros, maxMicros, error, vars, fieldError } = form;
  const recommendation = useRecommendation();
  const readOnly = !me.can.moveMoney;
  const rec = recommended(recommendation.data ?? undefined);

  return (
    <form className={styles.form} onSubmit={form.submit} noValidate data-testid="auto-recharge-form">
      <ErrorBar error={error && !AMOUNT_FIELDS.includes(fieldOf(error) ?? "") ? error : undefined} vars={vars} onDismiss={() => (save.reset(), resume.reset())} />
      <PausedBanner autoRecharge={autoRecharge} currency={currency} readOnly={readOnly} resuming={resume.isPending} onResume={() => (save.reset(), resume.mutate())} />
      {rec && !readOnly ? (
        <RecommendationBanner
          rec={rec}
          onApply={() =>
            form.setTexts((now) => ({
              ...now,
              enabled: true,
              amountText: formatMoneyInput(rec.amountMicros, locale),
              thresholdText: formatMoneyInput(rec.thresholdMicros, locale),
            }))
          }
        />
      ) : null}
      <Field>
        <Switch label={t("autoRechargeOn")} checked={texts.enabled} disabled={readOnly} onChange={(_, data) => set("enabled")(data.checked)} data-testid="auto-recharge-enabled" />
      </Field>
      <MoneyInput
        label={t("rechargeAmount")}
        currency={currency}
        value={texts.amountText}
        onChange={set("amountText")}
        error={fieldError("amountMicros")}
        minMicros={minMicros}
        maxMicros={maxMicros}
        disabled={readOnly}
        testId="auto-recharge-amount"
      />
      <MoneyInput
        label={t("threshold")}
        currency={currency}
        value={texts.thresholdText}
        onChange={set("thresholdText")}
        error={fieldError("thresholdMicros")}
        disabled={readOnly}
        testId="auto-recharge-threshold"
      />
      {form.hasBreaker ? (
        <LimitsFields
          currency={currency}
          rechargeAmountMicros={autoRecharge.amountMicros}
          maxPerDayText={texts.maxPerDayText}
          onMaxPerDay={set("maxPerDayText")}
          maxAmountText={texts.maxAmountText}
          onMaxAmount={set("maxAmountText")}
          errorOf={fieldError}
          readOnly={readOnly}
        />
      ) : null}
      <SaveBar testId="auto-recharge" readOnly={readOnly} saving={save.isPending} saved={form.saved} dirty={form.dirty} />
    </form>
  );
}
