import {
  Field,
  Input,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { VerticalBarChart, type VerticalBarChartDataPoint } from "@fluentui/react-charts";
import { MICROS_PER_UNIT } from "@cc/common";
import { useMemo, useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import type { UsageRange, UsageSummaryGroup } from "../api/credits";
import { toApiError, useResource } from "../api/useResource";
import { saveBlob } from "../components/download";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { Loading } from "../components/Loading";
import { Section } from "../components/Section";
import { formatAmount } from "../format";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  toolbar: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "flex-end", flexWrap: "wrap" },
  exports: { display: "flex", gap: tokens.spacingHorizontalL, paddingBottom: tokens.spacingVerticalS },
});

// One series, one colour (Fluent's brand blue); the chart would give each bar its own.
const BAR_COLOR = "#0F6CBD";

/** yyyy-mm-dd of a local calendar day. */
function isoDay(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The picked days as the API's range: from the first day's start to the end of the last (exclusive). */
function toRange(fromDay: string, toDay: string): UsageRange {
  return { from: `${fromDay}T00:00:00.000Z`, to: `${addDays(toDay, 1)}T00:00:00.000Z` };
}

export function UsagePage() {
  const styles = useStyles();
  const api = useApi();
  const today = isoDay(new Date());
  const [fromDay, setFromDay] = useState(addDays(today, -29));
  const [toDay, setToDay] = useState(today);
  const [exportError, setExportError] = useState<ApiError>();
  const [exporting, setExporting] = useState<"csv" | "xlsx" | null>(null);
  const range = useMemo(() => toRange(fromDay, toDay), [fromDay, toDay]);

  const account = useResource(() => api.account(), [api]);
  const byDay = useResource(() => api.usageSummary(range, "day"), [api, range]);
  const byDestination = useResource(() => api.usageSummary(range, "destination"), [api, range]);
  const currency = byDay.data?.currency ?? account.data?.currency;

  if (byDay.error?.isNotFound || byDestination.error?.isNotFound) {
    return (
      <Section title="Usage" testId="usage">
        <EmptyState title="Usage reports are not available yet" testId="usage-unavailable">
          This server does not offer the PSTN usage report yet. Calls charged to the balance still appear in the ledger.
        </EmptyState>
      </Section>
    );
  }

  async function exportReport(format: "csv" | "xlsx") {
    setExportError(undefined);
    setExporting(format);
    try {
      const file = await api.usageExport(range, format);
      saveBlob(file.blob, file.fileName ?? `pstn-usage-${fromDay}-to-${toDay}.${format}`);
    } catch (err) {
      setExportError(toApiError(err));
    } finally {
      setExporting(null);
    }
  }

  return (
    <div className={styles.page}>
      <div className={styles.toolbar}>
        <Field label="From">
          <Input type="date" value={fromDay} max={toDay} onChange={(_, d) => d.value && setFromDay(d.value)} data-testid="usage-from" />
        </Field>
        <Field label="To">
          <Input type="date" value={toDay} min={fromDay} onChange={(_, d) => d.value && setToDay(d.value)} data-testid="usage-to" />
        </Field>
        <div className={styles.exports}>
          <Link as="button" disabled={exporting !== null} onClick={() => void exportReport("csv")} data-testid="export-csv">
            Export CSV
          </Link>
          <Link as="button" disabled={exporting !== null} onClick={() => void exportReport("xlsx")} data-testid="export-xlsx">
            Export Excel
          </Link>
        </div>
      </div>
      <ErrorBar error={exportError} onDismiss={() => setExportError(undefined)} />
      <Section title="Charges per day" testId="usage-by-day">
        <ErrorBar error={byDay.error} />
        {byDay.loading && !byDay.data ? <Loading /> : null}
        {byDay.data ? <DailyChart groups={byDay.data.groups} currency={currency} /> : null}
      </Section>
      <Section title="By destination" testId="usage-by-destination">
        <ErrorBar error={byDestination.error} />
        {byDestination.loading && !byDestination.data ? <Loading /> : null}
        {byDestination.data ? <GroupTable groups={byDestination.data.groups} currency={currency} keyLabel="Destination" /> : null}
      </Section>
    </div>
  );
}

function DailyChart({ groups, currency }: { groups: UsageSummaryGroup[]; currency: string | undefined }) {
  if (groups.length === 0) return <EmptyState title="No calls in this period" />;
  const data: VerticalBarChartDataPoint[] = [...groups]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((group) => ({
      x: group.key,
      // A float for bar heights only; every number people read goes through formatAmount.
      y: group.chargeMicros / MICROS_PER_UNIT,
      legend: "Charges",
      color: BAR_COLOR,
      xAxisCalloutData: group.key,
      yAxisCalloutData: `${formatAmount(group.chargeMicros, currency)} · ${group.calls} calls · ${group.minutes} min`,
    }));
  return (
    <div data-testid="usage-chart">
      <VerticalBarChart data={data} height={280} hideLegend chartTitle="Charges per day" yAxisTitle={currency ?? ""} />
    </div>
  );
}

function GroupTable({ groups, currency, keyLabel }: { groups: UsageSummaryGroup[]; currency: string | undefined; keyLabel: string }) {
  if (groups.length === 0) return <EmptyState title="No calls in this period" />;
  const sorted = [...groups].sort((a, b) => b.chargeMicros - a.chargeMicros);
  return (
    <Table size="small" aria-label={`Usage by ${keyLabel.toLowerCase()}`}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{keyLabel}</TableHeaderCell>
          <TableHeaderCell>Calls</TableHeaderCell>
          <TableHeaderCell>Minutes</TableHeaderCell>
          <TableHeaderCell>Charge</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((group) => (
          <TableRow key={group.key} data-testid="usage-group-row" data-key={group.key}>
            <TableCell>{group.key}</TableCell>
            <TableCell>{group.calls}</TableCell>
            <TableCell>{group.minutes}</TableCell>
            <TableCell>{formatAmount(group.chargeMicros, currency)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
