/**
 * An amount as people type it in their locale ("1,000", "$100", "75,50"), with the currency
 * symbol before it and the accepted range stated before anything is submitted.
 */
import { Field, Input } from "@fluentui/react-components";
import { MICROS_PER_CENT, MoneyInputError, formatMoneyLocale, numberFormat, parseMoneyInput } from "@cc/common";
import { forwardRef } from "react";
import { useI18n, type I18n } from "../i18n";

export interface MoneyRange {
  minMicros?: number;
  maxMicros?: number;
}

/** The micros a text stands for, or the sentence that says why it cannot be read. */
export function readMoney(text: string, currency: string, i18n: I18n, range: MoneyRange = {}): { micros: number } | { error: string } {
  const { t, locale } = i18n;
  let micros: number;
  try {
    micros = parseMoneyInput(text, locale);
  } catch (err) {
    const reason = err instanceof MoneyInputError ? err.reason : "not_a_number";
    if (reason === "empty") return { error: t("moneyEmpty") };
    if (reason === "negative") return { error: t("moneyNegative") };
    return { error: t("moneyInvalid", { example: formatMoneyLocale(75_500_000, currency, locale) }) };
  }
  if (micros % MICROS_PER_CENT !== 0) return { error: t("moneyCents") };
  if (range.minMicros !== undefined && micros < range.minMicros) return { error: t("moneyBelow", { min: formatMoneyLocale(range.minMicros, currency, locale) }) };
  if (range.maxMicros !== undefined && micros > range.maxMicros) return { error: t("moneyAbove", { max: formatMoneyLocale(range.maxMicros, currency, locale) }) };
  return { micros };
}

export function currencySymbol(currency: string, locale: string): string {
  const part = numberFormat(locale, { style: "currency", currency })
    .formatToParts(0)
    .find((p) => p.type === "currency");
  return part?.value ?? currency;
}

interface MoneyInputProps extends MoneyRange {
  label: string;
  currency: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: string;
  testId?: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

export const MoneyInput = forwardRef<HTMLInputElement, MoneyInputProps>(function MoneyInput(
  { label, currency, value, onChange, error, hint, testId, autoFocus, disabled, minMicros, maxMicros },
  ref,
) {
  const i18n = useI18n();
  const range =
    minMicros !== undefined && maxMicros !== undefined
      ? i18n.t("moneyRange", { min: formatMoneyLocale(minMicros, currency, i18n.locale), max: formatMoneyLocale(maxMicros, currency, i18n.locale) })
      : undefined;
  const hintText = [range, hint].filter(Boolean).join(" ");
  return (
    <Field label={label} hint={hintText || undefined} validationState={error ? "error" : "none"} validationMessage={error}>
      <Input
        ref={ref}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        autoFocus={autoFocus}
        disabled={disabled}
        contentBefore={<span aria-hidden="true">{currencySymbol(currency, i18n.locale)}</span>}
        onChange={(_, data) => onChange(data.value)}
        data-testid={testId}
      />
    </Field>
  );
});
