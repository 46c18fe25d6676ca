/**
 * The low-balance alerts of the notification settings (issue 22): add, remove and edit each as a
 * percentage of the recharge amount or an amount in the account currency, each with the amount it
 * means today as the API answered it (`lowBalanceToday`). Rows the server has not seen yet say the
 * amount shows once saved; the API is the one place that turns a percentage into money.
 */
import { Body1Strong, Button, Caption1, Field, Input, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { LowBalanceThreshold, LowBalanceToday } from "@cc/common";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import { currencySymbol } from "../MoneyInput";
import { MAX_THRESHOLDS, newRow, sameThreshold, type ThresholdRow } from "./threshold-rows";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 16rem) minmax(0, 11rem) minmax(0, 1fr) auto",
    alignItems: "end",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    minWidth: 0,
    "@media (max-width: 720px)": { gridTemplateColumns: "minmax(0, 1fr)", alignItems: "stretch" },
  },
  heading: { gridColumn: "1 / -1" },
  // On the inputs' line: the same height, its text centred like theirs.
  means: {
    color: tokens.colorNeutralForeground2,
    overflowWrap: "anywhere",
    minHeight: "32px",
    display: "flex",
    alignItems: "center",
    "@media (max-width: 720px)": { minHeight: "auto" },
  },
  field: { minWidth: 0 },
  select: { width: "100%", minWidth: 0 },
  // Fluent's input keeps a minimum width of its own: here it takes its column's, no more.
  input: { width: "100%", minWidth: 0, maxWidth: "100%" },
  inputEl: { minWidth: 0, width: "100%" },
  text: { margin: 0 },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export interface ThresholdsEditorProps {
  rows: ThresholdRow[];
  onChange(rows: ThresholdRow[]): void;
  /** The thresholds as saved, and what each means today (same order), from the API. */
  saved: readonly LowBalanceThreshold[];
  today: LowBalanceToday | undefined;
  currency: string;
  readOnly: boolean;
  /** Per row: why it cannot be saved (typed wrongly, or refused by the API's problem answer). */
  errors: ReadonlyMap<number, string>;
  /** The row a typed value reads as, when it does (to find what it means today). */
  read(row: ThresholdRow): LowBalanceThreshold | undefined;
}

export function ThresholdsEditor({ rows, onChange, saved, today, currency, readOnly, errors, read }: ThresholdsEditorProps) {
  const styles = useStyles();
  const { say } = useI18n();
  const { money } = useMoney();
  /** What the row means today: the API's amount for a threshold it has saved, else a word on when it will be known. */
  const meaning = (row: ThresholdRow): string => {
    const threshold = read(row);
    const index = threshold ? saved.findIndex((s) => sameThreshold(s, threshold)) : -1;
    if (index < 0 || !today) return say("alerts.thresholds.afterSave");
    const amount = today.amountsMicros[index];
    return amount === null || amount === undefined ? say("alerts.thresholds.meansNothing") : say("alerts.thresholds.meansToday", { amount: money(amount, today.currency) });
  };
  const change = (id: number, next: Partial<ThresholdRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...next } : r)));
  return (
    <section className={styles.section} aria-labelledby="thresholds-title" data-testid="thresholds">
      <Body1Strong as="h3" id="thresholds-title">
        {say("alerts.thresholds.title")}
      </Body1Strong>
      <Caption1 as="p" className={styles.text}>
        {say("alerts.thresholds.hint", { max: MAX_THRESHOLDS })}
      </Caption1>
      {rows.length === 0 ? <Caption1 data-testid="thresholds-none">{say("alerts.thresholds.none")}</Caption1> : null}
      {today && !today.autoRechargeOn && rows.some((r) => r.kind === "percent") ? (
        <Caption1 as="p" className={styles.text}>
          {say("alerts.thresholds.autoRechargeOff")}
        </Caption1>
      ) : null}
      <ol className={styles.list}>
        {rows.map((row, i) => (
          <ThresholdRowEditor
            key={row.id}
            row={row}
            n={i + 1}
            currency={currency}
            readOnly={readOnly}
            error={errors.get(row.id)}
            meaning={meaning(row)}
            onChange={(next) => change(row.id, next)}
            onRemove={() => onChange(rows.filter((r) => r.id !== row.id))}
          />
        ))}
      </ol>
      {readOnly ? null : (
        <div className={styles.actions}>
          <Button disabled={rows.length >= MAX_THRESHOLDS} onClick={() => onChange([...rows, newRow()])} data-testid="threshold-add">
            {say("alerts.thresholds.add")}
          </Button>
          {rows.length >= MAX_THRESHOLDS ? <Caption1>{say("alerts.thresholds.full", { max: MAX_THRESHOLDS })}</Caption1> : null}
        </div>
      )}
    </section>
  );
}

interface RowProps {
  row: ThresholdRow;
  n: number;
  currency: string;
  readOnly: boolean;
  error: string | undefined;
  meaning: string;
  onChange(next: Partial<ThresholdRow>): void;
  onRemove(): void;
}

function ThresholdRowEditor({ row, n, currency, readOnly, error, meaning, onChange, onRemove }: RowProps) {
  const styles = useStyles();
  const { say, locale } = useI18n();
  const label = row.kind === "percent" ? say("alerts.thresholds.percentLabel") : say("alerts.thresholds.amountLabel", { currency });
  const heading = `threshold-${row.id}`;
  return (
    <li className={styles.row} role="group" aria-labelledby={heading} data-testid="threshold-row" data-kind={row.kind}>
      <Body1Strong id={heading} className={styles.heading}>
        {say("alerts.thresholds.row", { n })}
      </Body1Strong>
      <Field className={styles.field} label={say("alerts.thresholds.kind")}>
        <Select
          className={styles.select}
          value={row.kind}
          disabled={readOnly}
          onChange={(_, d) => onChange({ kind: d.value as ThresholdRow["kind"], text: "" })}
          data-testid="threshold-kind"
        >
          <option value="percent">{say("alerts.thresholds.kindPercent")}</option>
          <option value="amount">{say("alerts.thresholds.kindAmount")}</option>
        </Select>
      </Field>
      <Field className={styles.field} label={label} validationState={error ? "error" : "none"} validationMessage={error}>
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          value={row.text}
          inputMode="decimal"
          autoComplete="off"
          disabled={readOnly}
          contentBefore={row.kind === "amount" ? <span aria-hidden="true">{currencySymbol(currency, locale)}</span> : undefined}
          contentAfter={row.kind === "percent" ? <span aria-hidden="true">%</span> : undefined}
          onChange={(_, d) => onChange({ text: d.value })}
          data-testid="threshold-value"
        />
      </Field>
      <Caption1 className={styles.means} data-testid="threshold-means" aria-live="polite">
        {meaning}
      </Caption1>
      {readOnly ? null : (
        <Button appearance="secondary" aria-label={say("alerts.thresholds.remove", { n })} onClick={onRemove} data-testid="threshold-remove">
          {say("tab.remove")}
        </Button>
      )}
    </li>
  );
}
