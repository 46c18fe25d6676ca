/** The circuit breaker's limits: at most so many recharges, and so much money, in 24 hours. */
import { Caption1, Field, Input, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import { MoneyInput } from "../MoneyInput";

const useStyles = makeStyles({
  limits: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalS, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
});

export interface LimitsFieldsProps {
  currency: string;
  rechargeAmountMicros: number;
  maxPerDayText: string;
  onMaxPerDay: (text: string) => void;
  maxAmountText: string;
  onMaxAmount: (text: string) => void;
  errorOf: (field: "maxRechargesPerDay" | "maxAmountPerDayMicros") => string | undefined;
  readOnly: boolean;
}

export function LimitsFields({ currency, rechargeAmountMicros, maxPerDayText, onMaxPerDay, maxAmountText, onMaxAmount, errorOf, readOnly }: LimitsFieldsProps) {
  const styles = useStyles();
  const { t } = useI18n();
  const { money } = useMoney();
  const perDayError = errorOf("maxRechargesPerDay");
  return (
    <div className={styles.limits} data-testid="auto-recharge-limits">
      <Subtitle2 as="h3">{t("limitsTitle")}</Subtitle2>
      <Caption1>{t("limitsHelp")}</Caption1>
      <Field label={t("maxRechargesPerDay")} validationMessage={perDayError} validationState={perDayError ? "error" : "none"}>
        <Input
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          step={1}
          value={maxPerDayText}
          disabled={readOnly}
          onChange={(_, d) => onMaxPerDay(d.value)}
          data-testid="auto-recharge-max-per-day"
        />
      </Field>
      <MoneyInput
        label={t("maxAmountPerDay")}
        currency={currency}
        value={maxAmountText}
        onChange={onMaxAmount}
        error={errorOf("maxAmountPerDayMicros")}
        disabled={readOnly}
        testId="auto-recharge-max-amount"
      />
      <Caption1>{t("maxAmountPerDayHint", { known: rechargeAmountMicros > 0 ? "yes" : "no", amount: money(rechargeAmountMicros * 10, currency) })}</Caption1>
    </div>
  );
}
