import {
  Button,
  Field,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { HorizontalBarChartWithAxis, VerticalBarChart, type HorizontalBarChartWithAxisDataPoint, type VerticalBarChartDataPoint } from "@fluentui/react-charts";
import { MICROS_PER_UNIT, type RatedCallView } from "@cc/common";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import type { UsageRange, UsageSummaryGroup } from "../api/credits";
import { toApiError, useResource } from "../api/useResource";
import { CallsTable } from "../components/CallsTable";
import { DepartmentSpend } from "../components/budgets/DepartmentSpend";
import { saveBlob } from "../components/download";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { ChartSkeleton } from "../components/Skeletons";
import { Section } from "../components/Section";
import { useI18n } from "../i18n";
import { useMoney } from "../money";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  toolbar: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "flex-end", flexWrap: "wrap" },
  // In a 320 px side panel the minutes give way, so the charge stays in view.
  wideOnly: { "@media (max-width: 480px)": { display: "none" } },
  exports: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

/** Call types in words (Graph's callType values). */
const CALL_TYPES: Record<string, { en: string; fr: string }> = {
  user_in: { en: "Inbound to a user", fr: "Entrant vers un utilisateur" },
  user_out: { en: "Outbound by a user", fr: "Sortant d’un utilisateur" },
  user_out_conf: { en: "User call added to a meeting", fr: "Appel d’utilisateur ajouté à une réunion" },
  user_out_transfer: { en: "Transferred outside", fr: "Transféré vers l’extérieur" },
  user_out_forwarding: { en: "Forwarded outside", fr: "Renvoyé vers l’extérieur" },
  conf_in: { en: "Meeting dial-in", fr: "Appel entrant en réunion" },
  conf_out: { en: "Meeting dial-out", fr: "Appel sortant de réunion" },
  ucap_in: { en: "Inbound to an auto attendant or call queue", fr: "Entrant vers un standard ou une file d’attente" },
  ucap_out: { en: "Outbound by an auto attendant or call queue", fr: "Sortant d’un standard ou d’une file d’attente" },
};

/** The per-call list loads page by page up to this many calls; the export has them all. */
const MAX_CALLS = 50_000;
const RECORDS_PAGE = 1000;

// One series, one colour: the theme's brand colour, so dark and high contrast restyle the bars.
const BAR_COLOR = tokens.colorBrandBackground;

type Preset = "this_month" | "last_month" | "7d" | "30d" | "90d" | "custom";
const PRESETS: { id: Preset; en: string; fr: string }[] = [
  { id: "this_month", en: "This month", fr: "Ce mois-ci" },
  { id: "last_month", en: "Last month", fr: "Le mois dernier" },
  { id: "7d", en: "Last 7 days", fr: "7 derniers jours" },
  { id: "30d", en: "Last 30 days", fr: "30 derniers jours" },
  { id: "90d", en: "Last 90 days", fr: "90 derniers jours" },
  { id: "custom", en: "Custom", fr: "Personnalisé" },
];

/** The days a preset covers, ending today (local calendar). */
function presetDays(preset: Preset, today: string): { from: string; to: string } | undefined {
  const first = `${today.slice(0, 8)}01`;
  switch (preset) {
    case "this_month":
      return { from: first, to: today };
    case "last_month":
      return { from: `${addDays(first, -1).slice(0, 8)}01`, to: addDays(first, -1) };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    default:
      return undefined;
  }
}

/** The range kept in the URL (#usage?preset=30d or #usage?from=…&to=…), so a link reopens it. */
function rangeFromUrl(today: string): { preset: Preset; from: string; to: string } {
  const query = new URLSearchParams(window.location.hash.split("?")[1] ?? "");
  const preset = query.get("preset") as Preset | null;
  const days = preset ? presetDays(preset, today) : undefined;
  if (preset && days) return { preset, ...days };
  const from = query.get("from");
  const to = query.get("to");
  if (from && to && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to) return { preset: "custom", from, to };
  return { preset: "30d", ...presetDays("30d", today)! };
}

function keepInUrl(preset: Preset, from: string, to: string): void {
  const query = preset === "custom" ? `from=${from}&to=${to}` : `preset=${preset}`;
  window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}#usage?${query}`);
}

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
  const i18n = useI18n();
  const { lang, locale } = i18n;
  const { money } = useMoney();
  const today = isoDay(new Date());
  const initial = useMemo(() => rangeFromUrl(today), [today]);
  const [preset, setPreset] = useState<Preset>(initial.preset);
  const [fromDay, setFromDay] = useState(initial.from);
  const [toDay, setToDay] = useState(initial.to);
  const [exportError, setExportError] = useState<ApiError>();
  const [exporting, setExporting] = useState<"csv" | "xlsx" | null>(null);
  // A named preset is resolved by the API in the tenant's time zone (the bot's "usage" asks the same).
  const range = useMemo<UsageRange>(() => (preset === "custom" ? toRange(fromDay, toDay) : { period: preset }), [preset, fromDay, toDay]);
  useEffect(() => keepInUrl(preset, fromDay, toDay), [preset, fromDay, toDay]);

  const account = useResource(() => api.account(), [api]);
  const byDay = useResource(() => api.usageSummary(range, "day"), [api, range]);
  const byDestination = useResource(() => api.usageSummary(range, "destination"), [api, range]);
  const byCallType = useResource(() => api.usageSummary(range, "callType"), [api, range]);
  const calls = useAllCalls(range);
  const currency = byDay.data?.currency ?? account.data?.currency;
  // Show the days the API counted, not the browser's guess of them.
  const resolved = byDay.data?.period;
  useEffect(() => {
    if (resolved && preset !== "custom") {
      setFromDay(resolved.firstDay);
      setToDay(resolved.lastDay);
    }
  }, [resolved, preset]);
  const regions = useMemo(() => new Intl.DisplayNames([locale], { type: "region" }), [locale]);
  const destinationName = (key: string) => {
    if (!/^[A-Z]{2}$/.test(key)) return key;
    try {
      return regions.of(key) ?? key;
    } catch {
      return key;
    }
  };
  const L = (en: string, fr: string) => (lang === "fr" ? fr : en);
  const count = (n: number) => n.toLocaleString(locale);
  const callTypeName = useCallback((type: string) => (lang === "fr" ? CALL_TYPES[type]?.fr : CALL_TYPES[type]?.en) ?? type, [lang]);
  const callDestination = useCallback(
    (call: RatedCallView) => (call.destinationCountry ? destinationName(call.destinationCountry) : "") || call.destinationName || "",
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [regions],
  );
  const totals = (byDay.data?.groups ?? []).reduce((t, g) => ({ calls: t.calls + g.calls, minutes: t.minutes + g.minutes, chargeMicros: t.chargeMicros + g.chargeMicros }), { calls: 0, minutes: 0, chargeMicros: 0 });

  function choosePreset(value: Preset) {
    setPreset(value);
    const days = presetDays(value, today);
    if (days) {
      setFromDay(days.from);
      setToDay(days.to);
    }
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
        <Field label={L("Period", "Période")}>
          <Select value={preset} onChange={(_, d) => choosePreset(d.value as Preset)} data-testid="usage-preset">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {lang === "fr" ? p.fr : p.en}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={L("From", "Du")}>
          <Input type="date" value={fromDay} max={toDay} onChange={(_, d) => { if (d.value) { setPreset("custom"); setFromDay(d.value); } }} data-testid="usage-from" />
        </Field>
        <Field label={L("To", "Au")}>
          <Input type="date" value={toDay} min={fromDay} onChange={(_, d) => { if (d.value) { setPreset("custom"); setToDay(d.value); } }} data-testid="usage-to" />
        </Field>
        <div className={styles.exports}>
          <Button disabled={exporting !== null} onClick={() => void exportReport("csv")} data-testid="export-csv">
            {L("Export CSV", "Exporter en CSV")}
          </Button>
          <Button disabled={exporting !== null} onClick={() => void exportReport("xlsx")} data-testid="export-xlsx">
            {L("Export Excel", "Exporter en Excel")}
          </Button>
        </div>
      </div>
      <ErrorBar error={exportError} onDismiss={() => setExportError(undefined)} />
      {byDay.data ? (
        <Section title={L("Totals for the period", "Totaux de la période")} testId="usage-totals">
          <span data-testid="usage-total" data-charge-micros={totals.chargeMicros} data-calls={totals.calls}>
            {L(`${count(totals.calls)} calls · ${count(totals.minutes)} min · ${money(totals.chargeMicros, currency ?? "USD")}`, `${count(totals.calls)} appels · ${count(totals.minutes)} min · ${money(totals.chargeMicros, currency ?? "USD")}`)}
          </span>
        </Section>
      ) : null}
      <Section title={L("Charges per day", "Coûts par jour")} testId="usage-by-day">
        {/* Old data never sits under an error: the error replaces it. */}
        <ErrorBar error={byDay.error} onRetry={() => void byDay.reload()} />
        {byDay.loading && !byDay.data ? <ChartSkeleton /> : null}
        {byDay.data && !byDay.error ? <DailyChart groups={byDay.data.groups} days={daysBetween(fromDay, toDay)} currency={currency} money={money} empty={L("No calls in this period", "Aucun appel sur cette période")} title={L("Charges per day", "Coûts par jour")} /> : null}
      </Section>
      <Section title={L("By destination", "Par destination")} testId="usage-by-destination">
        <ErrorBar error={byDestination.error} onRetry={() => void byDestination.reload()} />
        {byDestination.loading && !byDestination.data ? <ChartSkeleton /> : null}
        {byDestination.data && !byDestination.error ? <GroupChart groups={byDestination.data.groups} currency={currency} name={destinationName} money={money} title={L("Charges by destination", "Coûts par destination")} testId="usage-destination-chart" /> : null}
        {byDestination.data && !byDestination.error ? <GroupTable groups={byDestination.data.groups} currency={currency} keyLabel={L("Destination", "Destination")} name={destinationName} money={money} lang={lang} locale={locale} /> : null}
      </Section>
      <Section title={L("By call type", "Par type d’appel")} testId="usage-by-call-type">
        <ErrorBar error={byCallType.error} onRetry={() => void byCallType.reload()} />
        {byCallType.loading && !byCallType.data ? <ChartSkeleton /> : null}
        {byCallType.data && !byCallType.error ? <GroupChart groups={byCallType.data.groups} currency={currency} name={callTypeName} money={money} title={L("Charges by call type", "Coûts par type d’appel")} testId="usage-call-type-chart" /> : null}
        {byCallType.data && !byCallType.error ? <GroupTable groups={byCallType.data.groups} currency={currency} keyLabel={L("Call type", "Type d’appel")} name={callTypeName} money={money} lang={lang} locale={locale} /> : null}
      </Section>
      <DepartmentSpend range={range} />
      <Section title={L("Calls", "Appels")} testId="usage-calls">
        <ErrorBar error={calls.error} onRetry={calls.retry} />
        {!calls.error ? (
          <span role="status" data-testid="calls-status" data-done={calls.done}>
            {calls.done
              ? calls.capped
                ? L(`The first ${calls.items.length.toLocaleString(locale)} calls of the period; export the report for all of them.`, `Les ${calls.items.length.toLocaleString(locale)} premiers appels de la période ; exportez le rapport pour les avoir tous.`)
                : L(`${calls.items.length.toLocaleString(locale)} calls. Sort by any column.`, `${calls.items.length.toLocaleString(locale)} appels. Triez par n’importe quelle colonne.`)
              : L(`Loading calls… ${calls.items.length.toLocaleString(locale)} so far`, `Chargement des appels… ${calls.items.length.toLocaleString(locale)} pour l’instant`)}
          </span>
        ) : null}
        {!calls.error && calls.items.length === 0 && !calls.done ? <ChartSkeleton /> : null}
        {!calls.error && calls.items.length === 0 && calls.done ? <EmptyState title={L("No calls in this period", "Aucun appel sur cette période")} /> : null}
        {!calls.error && calls.items.length > 0 ? <CallsTable calls={calls.items} money={money} destinationName={callDestination} callTypeName={callTypeName} label={L("Calls of the period", "Appels de la période")} /> : null}
      </Section>
    </div>
  );
}

type Money = (micros: number, currency: string) => string;

/** Every rated call of the range, page after page (newest first), up to MAX_CALLS; a new range starts over. */
function useAllCalls(range: UsageRange): { items: RatedCallView[]; done: boolean; capped: boolean; error: ApiError | undefined; retry: () => void } {
  const api = useApi();
  const [state, setState] = useState<{ items: RatedCallView[]; done: boolean; capped: boolean; error?: ApiError }>({ items: [], done: false, capped: false });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState({ items: [], done: false, capped: false });
    void (async () => {
      const items: RatedCallView[] = [];
      let cursor: string | null = null;
      try {
        do {
          const page = await api.usageRecords(range, RECORDS_PAGE, cursor);
          if (cancelled) return;
          items.push(...page.items);
          cursor = page.next;
          setState({ items: items.slice(0, MAX_CALLS), done: false, capped: false });
        } while (cursor && items.length < MAX_CALLS);
        setState({ items: items.slice(0, MAX_CALLS), done: true, capped: Boolean(cursor) || items.length > MAX_CALLS });
      } catch (err) {
        // Old rows never sit under an error: the error replaces them.
        if (!cancelled) setState({ items: [], done: true, capped: false, error: toApiError(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, range, attempt]);
  return { ...state, error: state.error, retry: () => setAttempt((n) => n + 1) };
}

/** Top 10 groups by charge as horizontal bars, full names on the axis, in the theme's brand colour. */
function GroupChart({ groups, currency, name, money, title, testId }: { groups: UsageSummaryGroup[]; currency: string | undefined; name: (key: string) => string; money: Money; title: string; testId: string }) {
  const top = [...groups].filter((g) => g.chargeMicros > 0).sort((a, b) => b.chargeMicros - a.chargeMicros).slice(0, 10);
  if (top.length === 0) return null;
  const data: HorizontalBarChartWithAxisDataPoint[] = top.reverse().map((group) => ({
    x: group.chargeMicros / MICROS_PER_UNIT,
    y: name(group.key),
    legend: title,
    color: BAR_COLOR,
    xAxisCalloutData: name(group.key),
    yAxisCalloutData: `${money(group.chargeMicros, currency ?? "USD")} · ${group.calls} · ${group.minutes} min`,
  }));
  return (
    <div data-testid={testId} style={{ minWidth: 0, overflow: "hidden" }}>
      <HorizontalBarChartWithAxis
        data={data}
        height={Math.max(160, 40 + top.length * 32)}
        // Room for the longest full name beside its bar (the axis otherwise clips it), at most 40 % of a 320 px panel.
        margins={{ left: Math.min(130, 16 + 6.5 * Math.max(...data.map((d) => String(d.y).length))), right: 48 }} hideLegend chartTitle={title} xAxisTitle={currency ?? ""} barHeight={18} showYAxisLables />
    </div>
  );
}

/** Every day of the range (at most 400), so a day without calls is a zero bar, not a gap in the axis. */
function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let day = fromDay; day <= toDay && days.length < 400; day = addDays(day, 1)) days.push(day);
  return days;
}

function DailyChart({ groups, days, currency, money, empty, title }: { groups: UsageSummaryGroup[]; days: string[]; currency: string | undefined; money: Money; empty: string; title: string }) {
  const { formatDay } = useI18n();
  if (groups.length === 0) return <EmptyState title={empty} />;
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const filled = [...new Set([...days, ...groups.map((g) => g.key)])].sort().map((key) => byKey.get(key) ?? { key, calls: 0, minutes: 0, chargeMicros: 0 });
  const data: VerticalBarChartDataPoint[] = filled
    .map((group) => ({
      // A date axis: the chart spaces its few labels itself, in the user's language (formatDay).
      x: new Date(`${group.key}T00:00:00Z`),
      // A float for bar heights only; every number people read is formatted from micros.
      y: group.chargeMicros / MICROS_PER_UNIT,
      legend: title,
      color: BAR_COLOR,
      xAxisCalloutData: formatDay(group.key),
      yAxisCalloutData: `${money(group.chargeMicros, currency ?? "USD")} · ${group.calls} · ${group.minutes} min`,
    }));
  return (
    <div data-testid="usage-chart" style={{ minWidth: 0, overflow: "hidden" }}>
      <VerticalBarChart data={data} height={280} hideLegend chartTitle={title} yAxisTitle={currency ?? ""} customDateTimeFormatter={(d) => formatDay(d.toISOString().slice(0, 10))} />
    </div>
  );
}

function GroupTable({ groups, currency, keyLabel, name, money, lang, locale }: { groups: UsageSummaryGroup[]; currency: string | undefined; keyLabel: string; name: (key: string) => string; money: Money; lang: string; locale: string }) {
  if (groups.length === 0) return <EmptyState title={lang === "fr" ? "Aucun appel sur cette période" : "No calls in this period"} />;
  const styles = useStyles();
  const sorted = [...groups].sort((a, b) => b.chargeMicros - a.chargeMicros);
  return (
    // Scrolls sideways inside its card on a narrow panel; focusable, so a keyboard can scroll it too.
    <div style={{ overflowX: "auto", minWidth: 0 }} tabIndex={0} role="region" aria-label={keyLabel}>
    <Table size="small" aria-label={keyLabel} style={{ tableLayout: "auto" }}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{keyLabel}</TableHeaderCell>
          <TableHeaderCell>{lang === "fr" ? "Appels" : "Calls"}</TableHeaderCell>
          <TableHeaderCell className={styles.wideOnly}>Minutes</TableHeaderCell>
          <TableHeaderCell>{lang === "fr" ? "Coût" : "Charge"}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((group) => (
          <TableRow key={group.key} data-testid="usage-group-row" data-key={group.key}>
            <TableCell style={{ overflowWrap: "break-word", minWidth: "5rem" }}>{name(group.key)}</TableCell>
            <TableCell>{group.calls.toLocaleString(locale)}</TableCell>
            <TableCell className={styles.wideOnly}>{group.minutes.toLocaleString(locale)}</TableCell>
            <TableCell>{money(group.chargeMicros, currency ?? "USD")}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
    </div>
  );
}
