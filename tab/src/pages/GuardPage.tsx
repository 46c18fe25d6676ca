/**
 * The call guard (GET/PUT /api/v1/guard, API.md v1.1): which destinations no call may reach, a
 * per-user daily cap and the spike alert. Hidden behind one sentence while the server has no guard
 * (404). Who may change it comes from /me (`can.manageGuard`); everyone else reads it.
 */
import { Caption1, Field, Input, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { CountryPicker } from "../components/policy/CountryPicker";
import { GuardExceptions, type Subject } from "../components/policy/GuardExceptions";
import { GuardLookup } from "../components/policy/GuardLookup";
import { useGroups, useUsers } from "../api/queries";
import { ErrorBar } from "../components/ErrorBar";
import { QueryView } from "../components/QueryView";
import { MoneyInput } from "../components/MoneyInput";
import { Section } from "../components/Section";
import { ListSkeleton } from "../components/Skeletons";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { SaveBar } from "../components/SaveBar";
import type { GuardField } from "./guard/guard-fields";
import { useGuardForm } from "./guard/useGuardForm";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "560px", minWidth: 0 },
  names: { overflowWrap: "anywhere" },
});

export function GuardPage() {
  const { t, say, locale } = useI18n();
  const me = useMe();
  const readOnly = !me.can.manageGuard;
  const form = useGuardForm();
  // Who an exception may name: the directory's users, and its Entra groups (read by the guard's managers).
  const users = useUsers();
  const groups = useGroups(!readOnly);
  const subjects: Subject[] = [
    ...(users.data ?? []).map((u) => ({ kind: "user" as const, id: u.id, name: u.displayName })),
    ...(groups.data ?? []).map((g) => ({ kind: "group" as const, id: g.id, name: g.displayName })),
  ];

  return (
    <Section title={t("navGuard")} testId="guard">
      <Caption1>{t("guardIntro")}</Caption1>
      <QueryView query={form.guard} skeleton={<ListSkeleton rows={5} />}>
        {() => <GuardForm form={form} subjects={subjects} readOnly={readOnly} />}
      </QueryView>
      <Subtitle2 as="h3">{say("policy.lookup.title")}</Subtitle2>
      {users.data ? <GuardLookup users={users.data.filter((u) => u.licensed)} locale={locale} /> : null}
    </Section>
  );
}

/** One form on purpose: the fields are one draft, checked together and saved at once. */
function GuardForm({ form, subjects, readOnly }: { form: ReturnType<typeof useGuardForm>; subjects: Subject[]; readOnly: boolean }) {
  const styles = useStyles();
  const { t, say, locale } = useI18n();
  const me = useMe();
  const { draft, set, errors, save } = form;
  const field = (name: GuardField) => ({ validationMessage: errors[name], validationState: errors[name] ? ("error" as const) : ("none" as const) });
  const moneyReadOnly = !me.can.moveMoney;
  return (
    <form className={styles.form} onSubmit={form.submit} noValidate data-testid="guard-form">
      <ErrorBar error={save.error ?? undefined} onDismiss={() => save.reset()} />
      <Field label={say("policy.countries.label")} {...field("blockedCountries")}>
        <CountryPicker value={draft.countries} onChange={set("countries")} locale={locale} disabled={readOnly} label={say("policy.countries.label")} testId="guard-countries" />
      </Field>
      <Field label={t("guardPrefixes")} {...field("blockedPrefixes")}>
        <Input value={draft.prefixes} disabled={readOnly} onChange={(_, d) => set("prefixes")(d.value)} placeholder="+882, +883" data-testid="guard-prefixes" />
      </Field>
      <Switch label={t("guardPremium")} checked={draft.premium} disabled={readOnly} onChange={(_, d) => set("premium")(d.checked)} data-testid="guard-premium" />
      <Switch label={t("guardDomestic")} checked={draft.domestic} disabled={readOnly} onChange={(_, d) => set("domestic")(d.checked)} data-testid="guard-domestic" />
      <MoneyInput
        label={t("guardCap")}
        currency={form.currency}
        value={draft.cap}
        onChange={set("cap")}
        error={errors.perUserDailyCapMicros}
        disabled={readOnly || moneyReadOnly}
        testId="guard-cap"
      />
      {!readOnly && moneyReadOnly ? <Caption1>{say("policy.moneyOnly")}</Caption1> : null}
      <Field label={t("guardSpike")} {...field("spikeFactor")}>
        <Input value={draft.spike} inputMode="decimal" disabled={readOnly} onChange={(_, d) => set("spike")(d.value)} data-testid="guard-spike" />
      </Field>
      <Subtitle2 as="h3">{say("policy.exceptions.title")}</Subtitle2>
      <GuardExceptions value={draft.exceptions} onChange={set("exceptions")} subjects={subjects} locale={locale} disabled={readOnly} />
      <SaveBar testId="guard" readOnly={readOnly} saving={save.isPending} saved={form.saved} label="saveSettings" />
    </form>
  );
}
