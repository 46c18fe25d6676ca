/**
 * The call guard (GET/PUT /api/v1/guard, API.md v1.1): which destinations no call may reach, a
 * per-user daily cap and the spike alert. Hidden behind one sentence while the server has no guard
 * (404). Who may change it comes from /me (`can.manageGuard`); everyone else reads it.
 */
import { Caption1, Field, Input, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyInput, t, type GuardException, type GuardSettings } from "@cc/common";
import { CountryPicker } from "../components/policy/CountryPicker";
import { GuardExceptions, type Subject } from "../components/policy/GuardExceptions";
import { GuardLookup } from "../components/policy/GuardLookup";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, useResource } from "../api/useResource";
import { ErrorBar } from "../components/ErrorBar";
import { MoneyInput, readMoney } from "../components/MoneyInput";
import { Section } from "../components/Section";
import { ListSkeleton } from "../components/Skeletons";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { SaveBar } from "../components/SaveBar";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "560px", minWidth: 0 },
  names: { overflowWrap: "anywhere" },
});

type GuardField = "blockedCountries" | "blockedPrefixes" | "perUserDailyCapMicros" | "spikeFactor";

const split = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

export function GuardPage() {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { lang, locale } = i18n;
  const me = useMe();
  const L = (en: string, fr: string) => (lang === "fr" ? fr : en);
  const guard = useResource<GuardSettings>(() => api.guard(), [api]);
  const account = useResource(() => api.account(), [api]);
  const currency = account.data?.currency ?? "USD";
  const readOnly = !me.can.manageGuard;
  const regions = useMemo(() => new Intl.DisplayNames([locale], { type: "region" }), [locale]);
  const regionName = (code: string) => {
    try {
      return regions.of(code) ?? code;
    } catch {
      return code;
    }
  };

  const [countries, setCountries] = useState<string[]>([]);
  const [exceptions, setExceptions] = useState<GuardException[]>([]);
  // Who an exception may name: the directory's users, and its Entra groups (read by the guard's managers).
  const users = useResource(() => api.users(), [api]);
  const groups = useResource(() => (readOnly ? Promise.resolve([]) : api.groups()), [api, readOnly]);
  const subjects: Subject[] = [...(users.data ?? []).map((u) => ({ kind: "user" as const, id: u.id, name: u.displayName })), ...(groups.data ?? []).map((g) => ({ kind: "group" as const, id: g.id, name: g.displayName }))];
  const [prefixes, setPrefixes] = useState("");
  const [premium, setPremium] = useState(true);
  const [domestic, setDomestic] = useState(false);
  const [cap, setCap] = useState("");
  const [spike, setSpike] = useState("");
  const [errors, setErrors] = useState<Partial<Record<GuardField, string>>>({});
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const show = (g: GuardSettings) => {
    setCountries(g.blockedCountries);
    setExceptions(g.exceptions ?? []);
    setPrefixes(g.blockedPrefixes.join(", "));
    setPremium(g.blockPremiumRate);
    setDomestic(g.domesticOnly);
    setCap(g.perUserDailyCapMicros === null ? "" : formatMoneyInput(g.perUserDailyCapMicros, locale));
    setSpike(String(g.spikeFactor).replace(".", lang === "fr" ? "," : "."));
  };
  useEffect(() => {
    if (guard.data) show(guard.data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [guard.data, locale]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const found: Partial<Record<GuardField, string>> = {};
    const codes = countries;
    const prefixList = split(prefixes).map((p) => (p.startsWith("+") ? p : `+${p}`));
    const badPrefix = prefixList.find((p) => !/^\+\d{1,15}$/.test(p));
    if (badPrefix) found.blockedPrefixes = L(`“${badPrefix}” is not a number prefix (+ and digits, e.g. +882).`, `« ${badPrefix} » n’est pas un préfixe de numéro (+ et des chiffres, par ex. +882).`);
    let capMicros: number | null = null;
    if (cap.trim()) {
      const read = readMoney(cap, currency, i18n, {});
      if ("error" in read) found.perUserDailyCapMicros = read.error;
      else capMicros = read.micros;
    }
    const factor = Number(spike.trim().replace(",", "."));
    if (!spike.trim() || !Number.isFinite(factor) || factor <= 1) found.spikeFactor = L("Enter a number above 1, e.g. 3.", "Saisissez un nombre supérieur à 1, par ex. 3.");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setError(undefined);
    setSaving(true);
    try {
      const updated = await api.setGuard({ blockedCountries: codes, blockedPrefixes: prefixList, blockPremiumRate: premium, domesticOnly: domestic, perUserDailyCapMicros: capMicros, spikeFactor: factor, exceptions });
      guard.set(updated);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const field = (name: GuardField) => ({ validationMessage: errors[name], validationState: errors[name] ? ("error" as const) : ("none" as const) });
  const moneyReadOnly = !me.can.moveMoney;

  return (
    <Section title={L("Call guard", "Protection des appels")} testId="guard">
      <Caption1>
        {L(
          "Calls to these destinations are refused before they cost anything. Emergency and toll-free numbers always pass.",
          "Les appels vers ces destinations sont refusés avant de coûter quoi que ce soit. Les numéros d’urgence et gratuits passent toujours.",
        )}
      </Caption1>
      <ErrorBar error={guard.error} onRetry={() => void guard.reload()} />
      {guard.loading && !guard.data ? <ListSkeleton rows={5} /> : null}
      {guard.data ? (
        <form className={styles.form} onSubmit={submit} noValidate data-testid="guard-form">
          <ErrorBar error={error} onDismiss={() => setError(undefined)} />
          <Field label={t(lang, "policy.countries.label")} {...field("blockedCountries")}>
            <CountryPicker value={countries} onChange={setCountries} locale={locale} lang={lang} disabled={readOnly} label={t(lang, "policy.countries.label")} testId="guard-countries" />
          </Field>
          <Field label={L("Blocked number prefixes", "Préfixes de numéros bloqués")} {...field("blockedPrefixes")}>
            <Input value={prefixes} disabled={readOnly} onChange={(_, d) => setPrefixes(d.value)} placeholder="+882, +883" data-testid="guard-prefixes" />
          </Field>
          <Switch label={L("Block premium-rate and satellite numbers", "Bloquer les numéros surtaxés et satellites")} checked={premium} disabled={readOnly} onChange={(_, d) => setPremium(d.checked)} data-testid="guard-premium" />
          <Switch label={L("Domestic calls only", "Appels nationaux uniquement")} checked={domestic} disabled={readOnly} onChange={(_, d) => setDomestic(d.checked)} data-testid="guard-domestic" />
          <MoneyInput label={L("Daily cap per user (empty: no cap)", "Plafond quotidien par utilisateur (vide : aucun)")} currency={currency} value={cap} onChange={setCap} error={errors.perUserDailyCapMicros} disabled={readOnly || moneyReadOnly} testId="guard-cap" />
          {!readOnly && moneyReadOnly ? <Caption1>{t(lang, "policy.moneyOnly")}</Caption1> : null}
          <Field label={L("Spending spike alert: times the usual hourly spend", "Alerte de pic : fois la dépense horaire habituelle")} {...field("spikeFactor")}>
            <Input value={spike} inputMode="decimal" disabled={readOnly} onChange={(_, d) => setSpike(d.value)} data-testid="guard-spike" />
          </Field>
          <Subtitle2 as="h3">{t(lang, "policy.exceptions.title")}</Subtitle2>
          <GuardExceptions value={exceptions} onChange={setExceptions} subjects={subjects} locale={locale} lang={lang} disabled={readOnly} />
          <SaveBar testId="guard" readOnly={readOnly} saving={saving} saved={saved} label="saveSettings" />
        </form>
      ) : null}
      <Subtitle2 as="h3">{t(lang, "policy.lookup.title")}</Subtitle2>
      {users.data ? <GuardLookup users={users.data.filter((u) => u.licensed)} lang={lang} locale={locale} /> : null}
    </Section>
  );
}
