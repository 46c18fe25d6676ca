/** The auto-recharge form's fields as typed, read into settings: values in, values out. */
import { formatMoneyInput, type AutoRechargeSettings, type AutoRechargeView } from "@cc/common";
import type { I18n } from "../../i18n";
import { readMoney } from "../MoneyInput";

export type AmountField = "amountMicros" | "thresholdMicros" | "maxAmountPerDayMicros" | "maxRechargesPerDay";
export const AMOUNT_FIELDS: readonly string[] = ["amountMicros", "thresholdMicros", "maxAmountPerDayMicros", "maxRechargesPerDay"];

/** The account's auto-recharge: v1.1 servers add the breaker's limits and `paused`; older ones do not. */
export type AutoRechargeAsShown = AutoRechargeSettings & Partial<Pick<AutoRechargeView, "paused">>;

export interface FieldTexts {
  enabled: boolean;
  amountText: string;
  thresholdText: string;
  maxPerDayText: string;
  maxAmountText: string;
}

const perDayText = (n: number | undefined) => (n === undefined ? "" : String(n));

/** The fields as the saved settings show them. */
export function savedTexts(autoRecharge: AutoRechargeAsShown, locale: string): FieldTexts {
  // Never set up: empty fields (with the range stated), not a "0.00" that the range refuses.
  const asInput = (micros: number) => (micros === 0 && !autoRecharge.enabled ? "" : formatMoneyInput(micros, locale));
  const limit = autoRecharge.maxAmountPerDayMicros;
  return {
    enabled: autoRecharge.enabled,
    amountText: asInput(autoRecharge.amountMicros),
    thresholdText: asInput(autoRecharge.thresholdMicros),
    maxPerDayText: perDayText(autoRecharge.maxRechargesPerDay),
    maxAmountText: limit === null || limit === undefined || limit === autoRecharge.amountMicros * 10 ? "" : formatMoneyInput(limit, locale),
  };
}

/** Whether the fields differ from the saved settings (the limits only count where the server has the breaker). */
export function isDirty(texts: FieldTexts, saved: FieldTexts, hasBreaker: boolean): boolean {
  return (
    texts.enabled !== saved.enabled ||
    texts.amountText !== saved.amountText ||
    texts.thresholdText !== saved.thresholdText ||
    (hasBreaker && (texts.maxPerDayText !== saved.maxPerDayText || texts.maxAmountText !== saved.maxAmountText))
  );
}

/** The settings the fields stand for, or why a field cannot be read. */
export function readSettings(
  texts: FieldTexts,
  context: { currency: string; i18n: I18n; minMicros: number; maxMicros: number | undefined; hasBreaker: boolean },
): { settings: AutoRechargeSettings } | { errors: Partial<Record<AmountField, string>> } {
  const { currency, i18n, minMicros, maxMicros, hasBreaker } = context;
  const amount = readMoney(texts.amountText, currency, i18n, { minMicros, maxMicros });
  const threshold = readMoney(texts.thresholdText, currency, i18n, { maxMicros });
  const errors: Partial<Record<AmountField, string>> = {};
  if ("error" in amount) errors.amountMicros = amount.error;
  if ("error" in threshold) errors.thresholdMicros = threshold.error;
  const limits: Pick<AutoRechargeSettings, "maxRechargesPerDay" | "maxAmountPerDayMicros"> = {};
  if (hasBreaker) {
    const perDay = Number(texts.maxPerDayText.trim());
    if (!/^\d+$/.test(texts.maxPerDayText.trim()) || perDay < 1 || perDay > 100) errors.maxRechargesPerDay = i18n.t("maxRechargesInvalid");
    else limits.maxRechargesPerDay = perDay;
    if (texts.maxAmountText.trim() === "") limits.maxAmountPerDayMicros = null;
    else {
      const cap = readMoney(texts.maxAmountText, currency, i18n, {});
      if ("error" in cap) errors.maxAmountPerDayMicros = cap.error;
      else limits.maxAmountPerDayMicros = cap.micros;
    }
  }
  if (Object.keys(errors).length > 0 || "error" in amount || "error" in threshold) return { errors };
  return { settings: { enabled: texts.enabled, amountMicros: amount.micros, thresholdMicros: threshold.micros, ...limits } };
}
