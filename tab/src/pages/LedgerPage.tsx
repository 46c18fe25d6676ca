import {
  Badge,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Select,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { LedgerEntryKind, LedgerEntryView } from "@cc/common";
import { useMemo, useState } from "react";
import { keys, usePagedQuery } from "../api/queries";
import { saveBlob } from "../components/download";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { Receipt } from "../components/Receipt";
import { Section } from "../components/Section";
import { useI18n, type I18n, type MessageKey } from "../i18n";
import { useMoney } from "../money";
import { formatMicros } from "@cc/common";

const PAGE_SIZE = 50;
const KINDS: LedgerEntryKind[] = ["funding", "auto_recharge", "usage", "adjustment", "expiry"];

const useStyles = makeStyles({
  filters: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end" },
  filter: { flexGrow: 1, flexBasis: "9rem", minWidth: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  row: {
    display: "flex",
    flexWrap: "wrap",
    gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`,
    alignItems: "center",
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  what: { display: "flex", flexDirection: "column", flexGrow: 1, flexBasis: "14rem", minWidth: 0, overflowWrap: "anywhere" },
  amounts: { display: "flex", flexDirection: "column", alignItems: "flex-end", marginLeft: "auto" },
});

/** What an entry was, in words: the kind, and the reference without its raw id. */
export function describeEntry(entry: LedgerEntryView, i18n: I18n): string {
  return i18n.t(`desc_${entry.kind}` as MessageKey);
}

/** Who posted an entry, in words: the admin's upn, or what the system job was, in the user's language. */
export function postedBy(entry: LedgerEntryView, i18n: I18n): string {
  if (entry.byJob) return i18n.say(`words.ledger.by.${entry.byJob}`);
  return entry.by ?? "";
}

export function ledgerCsv(entries: LedgerEntryView[], i18n: I18n): string {
  const quote = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = ["seq", "at", "kind", "description", "by", "amount", "balanceAfter", "currency", "reference"];
  const rows = entries.map((e) => [
    String(e.seq),
    e.at,
    e.kind,
    describeEntry(e, i18n),
    postedBy(e, i18n),
    formatMicros(e.amountMicros),
    formatMicros(e.balanceAfterMicros),
    e.currency,
    e.ref,
  ]);
  return [header, ...rows].map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}

export function LedgerPage() {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const ledger = usePagedQuery(keys.ledger, (api, cursor) => api.ledger(PAGE_SIZE, cursor));
  const { items: entries, error } = ledger;
  const loading = ledger.isFetching;
  const [kind, setKind] = useState<LedgerEntryKind | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [receiptOf, setReceiptOf] = useState<LedgerEntryView | null>(null);

  const shown = useMemo(
    () => entries.filter((e) => (!kind || e.kind === kind) && (!from || e.at.slice(0, 10) >= from) && (!to || e.at.slice(0, 10) <= to)),
    [entries, kind, from, to],
  );

  function exportCsv() {
    saveBlob(new Blob([ledgerCsv(shown, i18n)], { type: "text/csv;charset=utf-8" }), "ledger.csv");
  }

  return (
    <Section
      title={t("ledger")}
      testId="ledger"
      action={
        <Button appearance="subtle" onClick={() => void ledger.refetch()} disabled={loading} data-testid="refresh-ledger">
          {t("refresh")}
        </Button>
      }
    >
      <div className={styles.filters}>
        <Field className={styles.filter} label={t("kind")}>
          <Select value={kind} onChange={(_, d) => setKind(d.value as LedgerEntryKind | "")} data-testid="ledger-kind">
            <option value="">{t("allKinds")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}` as MessageKey)}
              </option>
            ))}
          </Select>
        </Field>
        <Field className={styles.filter} label={t("from")}>
          <Input type="date" value={from} onChange={(_, d) => setFrom(d.value)} data-testid="ledger-from" />
        </Field>
        <Field className={styles.filter} label={t("to")}>
          <Input type="date" value={to} onChange={(_, d) => setTo(d.value)} data-testid="ledger-to" />
        </Field>
        <Button onClick={exportCsv} disabled={shown.length === 0} data-testid="ledger-export">
          {t("exportCsv")}
        </Button>
      </div>
      <ErrorBar error={error ?? undefined} onRetry={() => void ledger.refetch()} />
      {entries.length === 0 && !loading && !error ? <EmptyState title={t("noEntries")} /> : null}
      {shown.length > 0 ? (
        <ul className={styles.list} aria-label={t("ledger")} data-testid="ledger-table">
          {shown.map((entry) => (
            <LedgerRow key={entry.id} entry={entry} onReceipt={setReceiptOf} />
          ))}
        </ul>
      ) : null}
      <LoadMore loading={loading} next={ledger.hasNextPage ? "more" : null} count={entries.length} onLoad={() => void ledger.fetchNextPage()} testId="load-more" />
      <ReceiptDialog entry={receiptOf} onClose={() => setReceiptOf(null)} />
    </Section>
  );
}

/** One entry: its kind and what it was in words, who posted it, its number and date, the amount and the balance after. */
function LedgerRow({ entry, onReceipt }: { entry: LedgerEntryView; onReceipt: (entry: LedgerEntryView) => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  return (
    <li className={styles.row} data-testid="ledger-row" data-kind={entry.kind} data-amount-micros={entry.amountMicros} data-ref={entry.ref}>
      <div className={styles.what}>
        <span>
          <Badge appearance="tint" color={entry.amountMicros < 0 ? "warning" : "success"}>
            {t(`kind_${entry.kind}` as MessageKey)}
          </Badge>{" "}
          {describeEntry(entry, i18n)}
        </span>
        <Caption1>
          {entry.by ? <span data-testid="ledger-by">{t("byWho", { who: postedBy(entry, i18n) })} · </span> : null}
          {/* The entry's number is what a person cites; the raw reference stays in the export and on the receipt. */}
          {t("entryLine", { seq: entry.seq, at: i18n.formatDateTime(entry.at) })}
        </Caption1>
      </div>
      <div className={styles.amounts}>
        <span data-testid="ledger-amount">{money(entry.amountMicros, entry.currency)}</span>
        <Caption1>{t("balanceAfterAmount", { amount: money(entry.balanceAfterMicros, entry.currency) })}</Caption1>
      </div>
      {entry.kind === "funding" || entry.kind === "auto_recharge" ? (
        <Button size="small" appearance="subtle" onClick={() => onReceipt(entry)} aria-label={t("receiptFor", { seq: entry.seq })} data-testid="ledger-receipt">
          {t("receipt")}
        </Button>
      ) : null}
    </li>
  );
}

/** The receipt of a payment entry, printable; its number is the one a person quotes. */
function ReceiptDialog({ entry, onClose }: { entry: LedgerEntryView | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog open={entry !== null} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{entry ? t("receiptFor", { seq: entry.seq }) : ""}</DialogTitle>
          <DialogContent>
            {entry ? (
              <Receipt
                receipt={{ amountMicros: entry.amountMicros, currency: entry.currency, card: null, balanceMicros: entry.balanceAfterMicros, reference: entry.id, at: entry.at }}
              />
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => window.print()}>{t("print")}</Button>
            <Button appearance="primary" onClick={onClose}>
              {t("close")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
