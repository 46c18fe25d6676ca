import { Button, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { useRate } from "../api/queries";
import { ErrorBar } from "../components/ErrorBar";
import { Section } from "../components/Section";
import { describeError, fieldOf } from "../errors";
import { useI18n } from "../i18n";
import { useMoney } from "../money";

const useStyles = makeStyles({
  form: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  field: { flexGrow: 1, flexBasis: "16rem", minWidth: 0 },
  list: { display: "grid", gridTemplateColumns: "max-content minmax(0, 1fr)", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, margin: 0 },
  value: { margin: 0, overflowWrap: "anywhere" },
});

/** Look up a number's destination and what a minute to it costs. */
export function RatesPage() {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { rate: fmt } = useMoney();
  const [number, setNumber] = useState("");
  // The number looked up (on submit, not on every key): the answer is kept per number.
  const [asked, setAsked] = useState<string | null>(null);
  const lookup = useRate(asked);
  const rate = lookup.data;
  const error = lookup.error ?? undefined;
  const busy = lookup.isFetching;

  function lookUp(event: FormEvent) {
    event.preventDefault();
    setAsked(number.replace(/[\s().-]/g, ""));
  }

  const numberError = error && fieldOf(error) === "number" ? describeError(error, i18n).text : undefined;
  return (
    <Section title={t("rates")} testId="rates">
      <form className={styles.form} onSubmit={lookUp} noValidate>
        <Field className={styles.field} label={t("number")} validationState={numberError ? "error" : "none"} validationMessage={numberError}>
          <Input type="tel" value={number} onChange={(_, d) => setNumber(d.value)} data-testid="rate-number" />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy || !number.trim()} data-testid="rate-lookup">
          {t("lookUp")}
        </Button>
      </form>
      <ErrorBar error={numberError ? undefined : error} />
      {rate ? (
        <dl className={styles.list} data-testid="rate-result" data-per-minute-micros={rate.perMinuteMicros}>
          <dt>{t("destination")}</dt>
          <dd className={styles.value} data-testid="rate-destination">
            {rate.destinationName} ({rate.prefix})
          </dd>
          <dt>{t("perMinute")}</dt>
          <dd className={styles.value}>{fmt(rate.perMinuteMicros, rate.currency)}</dd>
          <dt>{t("tollFreePerMinute")}</dt>
          <dd className={styles.value}>{fmt(rate.tollFreePerMinuteMicros, rate.currency)}</dd>
          <dt>{t("connectionFee")}</dt>
          <dd className={styles.value}>{fmt(rate.connectionFeeMicros, rate.currency)}</dd>
        </dl>
      ) : null}
    </Section>
  );
}
