/**
 * Exceptions of the call guard: for one user or one Entra group, the rules that differ (blocked
 * countries, domestic only). Controlled: the guard page saves them with the rest of its settings.
 */
import { Button, Caption1, Dropdown, Field, Option, makeStyles, tokens } from "@fluentui/react-components";
import { t, type GuardException } from "@cc/common";
import { CountryPicker } from "./CountryPicker";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, paddingRight: 0, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`, paddingLeft: tokens.spacingHorizontalM, minWidth: 0, boxSizing: "border-box", maxWidth: "100%" },
  head: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS, fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  add: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "end" },
  grow: { minWidth: "0", flexGrow: 1, maxWidth: "100%" },
});

export interface Subject {
  kind: "user" | "group";
  id: string;
  name: string;
}

export function GuardExceptions({ value, onChange, subjects, locale, lang, disabled }: { value: GuardException[]; onChange: (next: GuardException[]) => void; subjects: Subject[]; locale: string; lang: "en" | "fr"; disabled?: boolean }) {
  const styles = useStyles();
  const key = (e: GuardException) => (e.userId ? `user:${e.userId}` : `group:${e.groupId}`);
  const taken = new Set(value.map(key));
  const free = subjects.filter((s) => !taken.has(`${s.kind}:${s.id}`));
  const label = (e: GuardException) => t(lang, e.userId ? "policy.exceptions.user" : "policy.exceptions.group", { name: e.displayName ?? e.userId ?? e.groupId ?? "" });
  const change = (i: number, patch: Partial<GuardException>) => onChange(value.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const domesticValue = (e: GuardException) => (e.domesticOnly === undefined ? "inherit" : e.domesticOnly ? "on" : "off");
  return (
    <div className={styles.list} data-testid="guard-exceptions">
      <Caption1>{t(lang, "policy.exceptions.intro")}</Caption1>
      {value.length === 0 ? <Caption1>{t(lang, "policy.exceptions.empty")}</Caption1> : null}
      {value.map((e, i) => (
        <div className={styles.item} key={key(e)} data-testid="guard-exception">
          <div className={styles.head}>
            <span>{label(e)}</span>
            <Button size="small" disabled={disabled} onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t(lang, "policy.exceptions.remove", { name: e.displayName ?? "" })}>
              {t(lang, "policy.exceptions.removeShort")}
            </Button>
          </div>
          <Field label={t(lang, "policy.exceptions.countries")} hint={e.blockedCountries === undefined ? t(lang, "policy.exceptions.sameAsAll") : e.blockedCountries.length === 0 ? t(lang, "policy.exceptions.none") : undefined}>
            <CountryPicker value={e.blockedCountries ?? []} onChange={(codes) => change(i, { blockedCountries: codes })} locale={locale} lang={lang} disabled={disabled} label={t(lang, "policy.exceptions.countries")} />
          </Field>
          <Field label={t(lang, "policy.exceptions.domestic")}>
            <Dropdown
              className={styles.grow}
              disabled={disabled}
              value={t(lang, `policy.exceptions.domestic.${domesticValue(e)}`)}
              selectedOptions={[domesticValue(e)]}
              onOptionSelect={(_, d) => change(i, { domesticOnly: d.optionValue === "inherit" ? undefined : d.optionValue === "on" })}
            >
              <Option value="inherit">{t(lang, "policy.exceptions.domestic.inherit")}</Option>
              <Option value="on">{t(lang, "policy.exceptions.domestic.on")}</Option>
              <Option value="off">{t(lang, "policy.exceptions.domestic.off")}</Option>
            </Dropdown>
          </Field>
        </div>
      ))}
      {!disabled && free.length > 0 ? (
        <Field label={t(lang, "policy.exceptions.add")}>
          <Dropdown
            className={styles.grow}
            placeholder={t(lang, "policy.exceptions.pick")}
            selectedOptions={[]}
            value=""
            onOptionSelect={(_, d) => {
              const s = free.find((x) => `${x.kind}:${x.id}` === d.optionValue);
              if (s) onChange([...value, s.kind === "user" ? { userId: s.id, displayName: s.name, blockedCountries: [] } : { groupId: s.id, displayName: s.name, blockedCountries: [] }]);
            }}
            data-testid="guard-exception-add"
          >
            {free.map((s) => (
              <Option key={`${s.kind}:${s.id}`} value={`${s.kind}:${s.id}`}>
                {t(lang, s.kind === "user" ? "policy.exceptions.user" : "policy.exceptions.group", { name: s.name })}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ) : null}
    </div>
  );
}
