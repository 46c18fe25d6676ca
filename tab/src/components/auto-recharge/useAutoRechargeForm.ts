import type { AccountView, AutoRechargeSettings } from "@cc/common";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { toApiError } from "../../api/queries";
import { describeError, fieldOf } from "../../errors";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import { DEFAULT_MIN_PAYMENT_MICROS, useMe } from "../../me";
import { isDirty, readSettings, savedTexts, type AmountField, type AutoRechargeAsShown, type FieldTexts } from "./auto-recharge-fields";

/** The two writes: save the settings, resume after a pause; both answer the account. */
function useAutoRechargeWrites(onSaved: (account: AccountView) => void, setSaved: (saved: boolean) => void) {
  const api = useApi();
  const save = useMutation<AccountView, ApiError, AutoRechargeSettings>({
    mutationFn: (settings) => api.setAutoRecharge(settings).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (updated) => {
      setSaved(true);
      onSaved(updated);
    },
  });
  const resume = useMutation<AccountView, ApiError>({ mutationFn: () => api.resumeAutoRecharge().catch((err: unknown) => Promise.reject(toApiError(err))), onSuccess: onSaved });
  return { save, resume };
}

/** Unsaved-change guard: the browser asks before leaving with edits. */
function useLeaveGuard(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

/** The form's state: the fields as typed (following the account the API answers), their checks and the writes. */
export function useAutoRechargeForm(account: AccountView, onSaved: (account: AccountView) => void) {
  const i18n = useI18n();
  const { locale } = i18n;
  const me = useMe();
  const { money } = useMoney();
  const autoRecharge: AutoRechargeAsShown = account.autoRecharge;
  // The limits are offered only when this server has the circuit breaker (it then shows them).
  const hasBreaker = typeof autoRecharge.maxRechargesPerDay === "number";
  const [texts, setTexts] = useState<FieldTexts>(() => savedTexts(autoRecharge, locale));
  const [inputErrors, setInputErrors] = useState<Partial<Record<AmountField, string>>>({});
  const [saved, setSaved] = useState(false);
  const { save, resume } = useAutoRechargeWrites(onSaved, setSaved);
  const minMicros = me.limits?.minPaymentMicros ?? DEFAULT_MIN_PAYMENT_MICROS;
  const maxMicros = me.limits?.maxPaymentMicros;

  // Follow the account when the API answers a newer one.
  useEffect(() => {
    setTexts(savedTexts(autoRecharge, locale));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fields follow the saved values and the locale only
  }, [autoRecharge.enabled, autoRecharge.amountMicros, autoRecharge.thresholdMicros, autoRecharge.maxRechargesPerDay, autoRecharge.maxAmountPerDayMicros, locale]);

  const dirty = isDirty(texts, savedTexts(autoRecharge, locale), hasBreaker);
  useLeaveGuard(dirty);
  const set =
    <K extends keyof FieldTexts>(field: K) =>
    (value: FieldTexts[K]) =>
      setTexts((now) => ({ ...now, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const read = readSettings(texts, { currency: account.currency, i18n, minMicros, maxMicros, hasBreaker });
    setInputErrors("errors" in read ? read.errors : {});
    if ("errors" in read) return;
    resume.reset();
    save.mutate(read.settings);
  }

  const error = save.error ?? resume.error ?? undefined;
  const vars = { min: money(minMicros, account.currency), max: maxMicros ? money(maxMicros, account.currency) : "" };
  const fieldError = (field: AmountField) => inputErrors[field] ?? (error && fieldOf(error) === field ? describeError(error, i18n, vars).text : undefined);
  return { autoRecharge, hasBreaker, texts, set, setTexts, saved, dirty, save, resume, minMicros, maxMicros, submit, error, vars, fieldError };
}
