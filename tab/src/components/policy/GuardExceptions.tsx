/**
 * Exceptions of the call guard: for one user or one Entra group, the rules that differ (blocked
 * countries, domestic only). Controlled: the guard page saves them with the rest of its settings.
 */
import { useI18n } from "../../i18n";
import { Button, Caption1, Dropdown, Field, Option, makeStyles, tokens } from "@fluentui/react-components";
import { type GuardException } from "@cc/common";
import { CountryPicker } from "./CountryPicker";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  item: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    paddingRight: 0,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
    paddingLeft: tokens.spacingHorizontalM,
    minWidth: 0,
    boxSizing: "border-box",
    maxWidth: "100%",
  },
  head: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: "anywhere",
  },
  add: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "end" },
  grow: { minWidth: "0", flexGrow: 1, maxWidth: "100%" },
  // Fields and their pickers shrink with the panel: at 320 px nothing may push past its edge.
  field: { minWidth: 0, maxWidth: "100%" },
});

export interface Subject {
  kind: "user" | "group";
  id: string;
  name: string;
}

const keyOf = (e: GuardException) => (e.userId ? `user:${e.userId}` : `group:${e.groupId}`);

export function GuardExceptions({
  value,
  onChange,
  subjects,
  locale,
  disabled,
}: {
  value: GuardException[];
  onChange: (next: GuardException[]) => void;
  subjects: Subject[];
  locale: string;
  disabled?: boolean;
}) {
  const { say } = useI18n();
  const styles = useStyles();
  const taken = new Set(value.map(keyOf));
  const free = subjects.filter((s) => !taken.has(`${s.kind}:${s.id}`));
  const change = (i: number, patch: Partial<GuardException>) => onChange(value.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <div className={styles.list} data-testid="guard-exceptions">
      <Caption1>{say("policy.exceptions.intro")}</Caption1>
      {value.length === 0 ? <Caption1>{say("policy.exceptions.empty")}</Caption1> : null}
      {value.map((e, i) => (
        <ExceptionItem
          key={keyOf(e)}
          exception={e}
          locale={locale}
          disabled={disabled}
          onChange={(patch) => change(i, patch)}
          onRemove={() => onChange(value.filter((_, j) => j !== i))}
        />
      ))}
      {!disabled && free.length > 0 ? (
        <AddException
          free={free}
          onAdd={(s) =>
            onChange([...value, s.kind === "user" ? { userId: s.id, displayName: s.name, blockedCountries: [] } : { groupId: s.id, displayName: s.name, blockedCountries: [] }])
          }
        />
      ) : null}
    </div>
  );
}

interface ItemProps {
  exception: GuardException;
  locale: string;
  disabled?: boolean;
  onChange(patch: Partial<GuardException>): void;
  onRemove(): void;
}

/** One user's or group's rules that differ: its blocked countries and whether it is held to domestic calls. */
function ExceptionItem({ exception: e, locale, disabled, onChange, onRemove }: ItemProps) {
  const { say } = useI18n();
  const styles = useStyles();
  const label = say(e.userId ? "policy.exceptions.user" : "policy.exceptions.group", { name: e.displayName ?? e.userId ?? e.groupId ?? "" });
  const domesticValue = e.domesticOnly === undefined ? "inherit" : e.domesticOnly ? "on" : "off";
  return (
    <div className={styles.item} data-testid="guard-exception">
      <div className={styles.head}>
        <span>{label}</span>
        <Button size="small" disabled={disabled} onClick={onRemove} aria-label={say("policy.exceptions.remove", { name: e.displayName ?? "" })}>
          {say("policy.exceptions.removeShort")}
        </Button>
      </div>
      <Field
        className={styles.field}
        label={say("policy.exceptions.countries")}
        hint={e.blockedCountries === undefined ? say("policy.exceptions.sameAsAll") : e.blockedCountries.length === 0 ? say("policy.exceptions.none") : undefined}
      >
        <CountryPicker
          value={e.blockedCountries ?? []}
          onChange={(codes) => onChange({ blockedCountries: codes })}
          locale={locale}
          disabled={disabled}
          label={say("policy.exceptions.countries")}
        />
      </Field>
      <Field className={styles.field} label={say("policy.exceptions.domestic")}>
        <Dropdown
          className={styles.grow}
          disabled={disabled}
          value={say(`policy.exceptions.domestic.${domesticValue}`)}
          selectedOptions={[domesticValue]}
          onOptionSelect={(_, d) => onChange({ domesticOnly: d.optionValue === "inherit" ? undefined : d.optionValue === "on" })}
        >
          <Option value="inherit">{say("policy.exceptions.domestic.inherit")}</Option>
          <Option value="on">{say("policy.exceptions.domestic.on")}</Option>
          <Option value="off">{say("policy.exceptions.domestic.off")}</Option>
        </Dropdown>
      </Field>
    </div>
  );
}

/** A user or group not yet excepted, to add. */
function AddException({ free, onAdd }: { free: Subject[]; onAdd(subject: Subject): void }) {
  const { say } = useI18n();
  const styles = useStyles();
  return (
    <Field className={styles.field} label={say("policy.exceptions.add")}>
      <Dropdown
        className={styles.grow}
        placeholder={say("policy.exceptions.pick")}
        selectedOptions={[]}
        value=""
        onOptionSelect={(_, d) => {
          const s = free.find((x) => `${x.kind}:${x.id}` === d.optionValue);
          if (s) onAdd(s);
        }}
        data-testid="guard-exception-add"
      >
        {free.map((s) => (
          <Option key={`${s.kind}:${s.id}`} value={`${s.kind}:${s.id}`}>
            {say(s.kind === "user" ? "policy.exceptions.user" : "policy.exceptions.group", { name: s.name })}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
