/**
 * The call guard (GET/PUT /api/v1/guard, API.md v1.1): which destinations no call may reach, a
 * per-user daily cap and the spike alert. Hidden behind one sentence while the server has no guard
 * (404). Who may change it comes from /me (`can.manageGuard`); everyone else reads it.
 */
import { Caption1, Field, Input, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyInput, type GuardException, type GuardSettings } from "@cc/common";
import { CountryPicker } from "../components/policy/CountryPicker";
import { GuardExceptions, type Subject } from "../components/policy/GuardExceptions";
import { GuardLookup } from "../components/policy/GuardLookup";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { keys, toApiError, useAccount, useGroups, useGuard, useUsers } from "../api/queries";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorBar } from "../components/ErrorBar";
import { QueryView } from "../components/QueryView";
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

const split = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One component on purpose: the fields are one draft, checked together and saved at once. */
export function GuardPage() {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { lang, locale } = i18n;
  const me = useMe();
  const { t, say } = i18n;
  const guard = useGuard();
  const account = useAccount();
  const queryClient = useQueryClient();
  const currency = account.data?.currency ?? "USD";
  const readOnly = !me.can.manageGuard;
  const [countries, setCountries] = useState<string[]>([]);
  const [exceptions, setExceptions] = useState<GuardException[]>([]);
  // Who an exception may name: the directory's users, and its Entra groups (read by the guard's managers).
  const users = useUsers();
  const groups = useGroups(!readOnly);
  const subjects: Subject[] = [
    ...(users.data ?? []).map((u) => ({ kind: "user" as const, id: u.id, name: u.displayName })),
    ...(groups.data ?? []).map((g) => ({ kind: "group" as const, id: g.id, name: g.displayName })),
  ];
  const [prefixes, setPrefixes] = useState("");
  const [premium, setPremium] = useState(true);
  const [domestic, setDomestic] = useState(false);
  const [cap, setCap] = useState("");
  const [spike, setSpike] = useState("");
  const [errors, setErrors] = useState<Partial<Record<GuardField, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation<GuardSettings, ApiError, GuardSettings>({
    mutationFn: (settings) => api.setGuard(settings).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.guard, updated);
      setSaved(true);
    },
  });

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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the form follows the saved settings and the locale; `show` is new each render
  }, [guard.data, locale]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const found: Partial<Record<GuardField, string>> = {};
    const codes = countries;
    const prefixList = split(prefixes).map((p) => (p.startsWith("+") ? p : `+${p}`));
    const badPrefix = prefixList.find((p) => !/^\+\d{1,15}$/.test(p));
    if (badPrefix) found.blockedPrefixes = t("guardBadPrefix", { prefix: badPrefix });
    let capMicros: number | null = null;
    if (cap.trim()) {
      const read = readMoney(cap, currency, i18n, {});
      if ("error" in read) found.perUserDailyCapMicros = read.error;
      else capMicros = read.micros;
    }
    const factor = Number(spike.trim().replace(",", "."));
    if (!spike.trim() || !Number.isFinite(factor) || factor <= 1) found.spikeFactor = t("guardBadSpike");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate({
      blockedCountries: codes,
      blockedPrefixes: prefixList,
      blockPremiumRate: premium,
      domesticOnly: domestic,
      perUserDailyCapMicros: capMicros,
      spikeFactor: factor,
      exceptions,
    });
  }

  const field = (name: GuardField) => ({ validationMessage: errors[name], validationState: errors[name] ? ("error" as const) : ("none" as const) });
  const moneyReadOnly = !me.can.moveMoney;

  return (
    <Section title={t("navGuard")} testId="guard">
      <Caption1>{t("guardIntro")}</Caption1>
      <QueryView query={guard} skeleton={<ListSkeleton rows={5} />}>
        {() => (
          <form className={styles.form} onSubmit={submit} noValidate data-testid="guard-form">
            <ErrorBar error={save.error ?? undefined} onDismiss={() => save.reset()} />
            <Field label={say("policy.countries.label")} {...field("blockedCountries")}>
              <CountryPicker value={countries} onChange={setCountries} locale={locale} disabled={readOnly} label={say("policy.countries.label")} testId="guard-countries" />
            </Field>
            <Field label={t("guardPrefixes")} {...field("blockedPrefixes")}>
              <Input value={prefixes} disabled={readOnly} onChange={(_, d) => setPrefixes(d.value)} placeholder="+882, +883" data-testid="guard-prefixes" />
            </Field>
            <Switch label={t("guardPremium")} checked={premium} disabled={readOnly} onChange={(_, d) => setPremium(d.checked)} data-testid="guard-premium" />
            <Switch label={t("guardDomestic")} checked={domestic} disabled={readOnly} onChange={(_, d) => setDomestic(d.checked)} data-testid="guard-domestic" />
            <MoneyInput
              label={t("guardCap")}
              currency={currency}
              value={cap}
              onChange={setCap}
              error={errors.perUserDailyCapMicros}
              disabled={readOnly || moneyReadOnly}
              testId="guard-cap"
            />
            {!readOnly && moneyReadOnly ? <Caption1>{say("policy.moneyOnly")}</Caption1> : null}
            <Field label={t("guardSpike")} {...field("spikeFactor")}>
              <Input value={spike} inputMode="decimal" disabled={readOnly} onChange={(_, d) => setSpike(d.value)} data-testid="guard-spike" />
            </Field>
            <Subtitle2 as="h3">{say("policy.exceptions.title")}</Subtitle2>
            <GuardExceptions value={exceptions} onChange={setExceptions} subjects={subjects} locale={locale} disabled={readOnly} />
            <SaveBar testId="guard" readOnly={readOnly} saving={save.isPending} saved={saved} label="saveSettings" />
          </form>
        )}
      </QueryView>
      <Subtitle2 as="h3">{say("policy.lookup.title")}</Subtitle2>
      {users.data ? <GuardLookup users={users.data.filter((u) => u.licensed)} locale={locale} /> : null}
    </Section>
  );
}
