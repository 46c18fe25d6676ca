/**
 * The PSTN usage report: a period (kept in the address), its totals, charges per day, by
 * destination and by call type (charts and tables), every call of the period, and the export.
 */
import { Button, Field, Input, MessageBar, MessageBarBody, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { RatedCallView } from "@cc/common";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import type { ApiError } from "../api/client";
import type { UsageRange, UsageSummary } from "../api/credits";
import { useApi } from "../api/context";
import { toApiError, useAccount, useUsageSummary } from "../api/queries";
import { CallsTable } from "../components/CallsTable";
import { DepartmentSpend } from "../components/budgets/DepartmentSpend";
import { saveBlob } from "../components/download";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { QueryView } from "../components/QueryView";
import { ChartSkeleton } from "../components/Skeletons";
import { Section } from "../components/Section";
import { useI18n, type MessageKey } from "../i18n";
import { useMoney } from "../money";
import { GroupTable } from "./usage/GroupTable";
import { DailyChart, GroupChart } from "./usage/UsageCharts";
import { PRESETS, daysBetween, isoDay, periodFrom, periodQuery, presetDays, toRange, type Preset } from "./usage/period";
import { useAllCalls } from "./usage/useAllCalls";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  toolbar: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "flex-end", flexWrap: "wrap" },
  filters: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  filter: { minWidth: 0, maxWidth: "100%" },
  exports: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

/** Names in the reader's language for the report's keys: destinations (ISO regions), call types. */
function useUsageNames() {
  const { t, has, locale } = useI18n();
  const regions = useMemo(() => new Intl.DisplayNames([locale], { type: "region" }), [locale]);
  const destinationName = useCallback(
    (key: string) => {
      if (!/^[A-Z]{2}$/.test(key)) return key;
      try {
        return regions.of(key) ?? key;
      } catch {
        return key;
      }
    },
    [regions],
  );
  const callTypeName = useCallback((type: string) => t((has(`callType.${type}`) ? `callType.${type}` : "callType.other") as MessageKey), [t, has]);
  const callDestination = useCallback(
    (call: RatedCallView) => (call.destinationCountry ? destinationName(call.destinationCountry) : "") || call.destinationName || "",
    [destinationName],
  );
  return { destinationName, callTypeName, callDestination };
}

/** The report: its period and exports, then one section per view; the period in the address drives every section's query. */
export function UsagePage() {
  const styles = useStyles();
  const { t, formatDate } = useI18n();
  const today = isoDay(new Date());
  const [query, setQuery] = useSearchParams();
  const { preset, from: fromDay, to: toDay } = periodFrom(query, today);
  const setPeriod = (next: Preset, from: string, to: string) => setQuery(periodQuery(next, from, to), { replace: true });
  // A named preset is resolved by the API in the tenant's time zone (the bot's "usage" asks the same).
  const range = useMemo<UsageRange>(() => (preset === "custom" ? toRange(fromDay, toDay) : { period: preset }), [preset, fromDay, toDay]);
  // From after To: said once, in words, and nothing of another period is shown.
  const impossible = fromDay > toDay;
  const names = useUsageNames();

  return (
    <div className={styles.page}>
      <PeriodToolbar preset={preset} fromDay={fromDay} toDay={toDay} today={today} range={range} impossible={impossible} setPeriod={setPeriod} />
      {impossible ? (
        <MessageBar intent="error" layout="multiline" data-testid="usage-period-impossible">
          <MessageBarBody>{t("periodImpossible", { from: formatDate(`${fromDay}T12:00:00Z`), to: formatDate(`${toDay}T12:00:00Z`) })}</MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <UsageSummaries range={range} days={daysBetween(fromDay, toDay)} destinationName={names.destinationName} callTypeName={names.callTypeName} />
          <DepartmentSpend range={range} />
          <CallsSection range={range} destinationName={names.callDestination} callTypeName={names.callTypeName} />
        </>
      )}
    </div>
  );
}

interface ToolbarProps {
  preset: Preset;
  fromDay: string;
  toDay: string;
  today: string;
  range: UsageRange;
  impossible: boolean;
  setPeriod(preset: Preset, from: string, to: string): void;
}

/** The period (a preset, or From and To) and the report's export. */
function PeriodToolbar({ preset, fromDay, toDay, today, range, impossible, setPeriod }: ToolbarProps) {
  const styles = useStyles();
  const api = useApi();
  const { t } = useI18n();
  const exporter = useMutation<void, ApiError, "csv" | "xlsx">({
    mutationFn: async (format) => {
      const file = await api.usageExport(range, format).catch((err: unknown) => Promise.reject(toApiError(err)));
      saveBlob(file.blob, file.fileName ?? `pstn-usage-${fromDay}-to-${toDay}.${format}`);
    },
  });
  function choosePreset(value: Preset) {
    const days = presetDays(value, today);
    setPeriod(value, days?.from ?? fromDay, days?.to ?? toDay);
  }
  return (
    <>
      <div className={styles.toolbar}>
        <Field label={t("period")}>
          <Select value={preset} onChange={(_, d) => choosePreset(d.value as Preset)} data-testid="usage-preset">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {t(p.label)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("from")}>
          <Input type="date" value={fromDay} onChange={(_, d) => d.value && setPeriod("custom", d.value, toDay)} data-testid="usage-from" />
        </Field>
        <Field label={t("to")}>
          <Input type="date" value={toDay} onChange={(_, d) => d.value && setPeriod("custom", fromDay, d.value)} data-testid="usage-to" />
        </Field>
        <div className={styles.exports}>
          <Button disabled={exporter.isPending || impossible} onClick={() => exporter.mutate("csv")} data-testid="export-csv">
            {t("exportCsv")}
          </Button>
          <Button disabled={exporter.isPending || impossible} onClick={() => exporter.mutate("xlsx")} data-testid="export-xlsx">
            {t("exportExcel")}
          </Button>
        </div>
      </div>
      <ErrorBar error={exporter.error ?? undefined} onDismiss={() => exporter.reset()} />
    </>
  );
}

interface SummariesProps {
  range: UsageRange;
  days: string[];
  destinationName(key: string): string;
  callTypeName(type: string): string;
}

/** The period's totals, charges per day, and the charges by destination and by call type (chart and table each). */
function UsageSummaries({ range, days, destinationName, callTypeName }: SummariesProps) {
  const { t } = useI18n();
  const { money } = useMoney();
  const account = useAccount();
  const byDay = useUsageSummary(range, "day", true);
  const byDestination = useUsageSummary(range, "destination", true);
  const byCallType = useUsageSummary(range, "callType", true);
  const currency = byDay.data?.currency ?? account.data?.currency ?? "USD";
  const totals = byDay.data?.totals ?? { calls: 0, minutes: 0, chargeMicros: 0 };
  const grouped = (summary: UsageSummary, name: (key: string) => string, chart: MessageKey, keyLabel: MessageKey, testId: string) => (
    <>
      <GroupChart groups={summary.groups} currency={currency} name={name} money={money} title={t(chart)} testId={testId} />
      <GroupTable groups={summary.groups} currency={currency} keyLabel={t(keyLabel)} name={name} money={money} />
    </>
  );
  return (
    <>
      {byDay.data ? (
        <Section title={t("periodTotals")} testId="usage-totals">
          <span data-testid="usage-total" data-charge-micros={totals.chargeMicros} data-calls={totals.calls}>
            {t("periodTotalsLine", { calls: totals.calls, minutes: totals.minutes, amount: money(totals.chargeMicros, currency) })}
          </span>
        </Section>
      ) : null}
      <Section title={t("chargesPerDay")} testId="usage-by-day">
        <QueryView query={byDay} skeleton={<ChartSkeleton />}>
          {(summary) => <DailyChart groups={summary.groups} days={days} currency={currency} money={money} title={t("chargesPerDay")} />}
        </QueryView>
      </Section>
      <Section title={t("byDestination")} testId="usage-by-destination">
        <QueryView query={byDestination} skeleton={<ChartSkeleton />}>
          {(summary) => grouped(summary, destinationName, "chargesByDestination", "destination", "usage-destination-chart")}
        </QueryView>
      </Section>
      <Section title={t("byCallType")} testId="usage-by-call-type">
        <QueryView query={byCallType} skeleton={<ChartSkeleton />}>
          {(summary) => grouped(summary, callTypeName, "chargesByCallType", "callType", "usage-call-type-chart")}
        </QueryView>
      </Section>
    </>
  );
}

/** The call filters' choices (the users, destinations and call types of the period's calls, by name) and the calls they leave. */
function useCallFilters(calls: RatedCallView[], destinationName: (call: RatedCallView) => string, callTypeName: (type: string) => string) {
  const [user, setUser] = useState("");
  const [destination, setDestination] = useState("");
  const [callType, setCallType] = useState("");
  const userOf = (call: RatedCallView) => call.userPrincipalName || call.userDisplayName || "";
  const options = useMemo(() => {
    const users = new Map<string, string>();
    const destinations = new Set<string>();
    const types = new Set<string>();
    for (const call of calls) {
      const id = call.userPrincipalName || call.userDisplayName || "";
      if (id) users.set(id, call.userDisplayName || id);
      const place = destinationName(call);
      if (place) destinations.add(place);
      types.add(call.callType);
    }
    const byName = (a: string, b: string) => a.localeCompare(b);
    return {
      users: [...users].sort((a, b) => byName(a[1], b[1])),
      destinations: [...destinations].sort(byName),
      types: [...types].map((type) => [type, callTypeName(type)] as const).sort((a, b) => byName(a[1], b[1])),
    };
  }, [calls, destinationName, callTypeName]);
  const filtered = useMemo(
    () =>
      user || destination || callType
        ? calls.filter((call) => (!user || userOf(call) === user) && (!destination || destinationName(call) === destination) && (!callType || call.callType === callType))
        : calls,
    [calls, user, destination, callType, destinationName],
  );
  return { options, filtered, user, setUser, destination, setDestination, callType, setCallType };
}

/** Every call of the period, loaded page after page, in a sortable table (or why there is none). */
function CallsSection({ range, destinationName, callTypeName }: { range: UsageRange; destinationName: (call: RatedCallView) => string; callTypeName: (type: string) => string }) {
  const { t } = useI18n();
  const { money } = useMoney();
  const calls = useAllCalls(range);
  const filters = useCallFilters(calls.items, destinationName, callTypeName);
  const filtered = filters.filtered;
  return (
    <Section title={t("calls")} testId="usage-calls">
      <ErrorBar error={calls.error} onRetry={calls.retry} />
      {!calls.error ? (
        <span role="status" data-testid="calls-status" data-done={calls.done}>
          {calls.done ? t(calls.capped ? "callsCapped" : "callsDone", { count: calls.items.length }) : t("callsLoading", { count: calls.items.length })}
        </span>
      ) : null}
      {!calls.error && calls.items.length === 0 && !calls.done ? <ChartSkeleton /> : null}
      {!calls.error && calls.items.length === 0 && calls.done ? <EmptyState title={t("noCallsInPeriod")} /> : null}
      {!calls.error && calls.items.length > 0 ? <CallFilters filters={filters} shown={filtered.length} count={calls.items.length} /> : null}
      {!calls.error && calls.items.length > 0 ? (
        <CallsTable calls={filtered} money={money} destinationName={destinationName} callTypeName={callTypeName} label={t("callsOfPeriod")} />
      ) : null}
    </Section>
  );
}

function CallFilters({ filters: f, shown, count }: { filters: ReturnType<typeof useCallFilters>; shown: number; count: number }) {
  const styles = useStyles();
  const { t } = useI18n();
  const choice = (label: MessageKey, value: string, set: (v: string) => void, options: readonly (readonly [string, string])[], testId: string) => (
    <Field label={t(label)} className={styles.filter}>
      <Select value={value} onChange={(_, d) => set(d.value)} data-testid={testId}>
        <option value="">{t("filterAny")}</option>
        {options.map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </Select>
    </Field>
  );
  return (
    <div className={styles.filters}>
      {choice("filterUser", f.user, f.setUser, f.options.users, "calls-filter-user")}
      {choice(
        "filterDestination",
        f.destination,
        f.setDestination,
        f.options.destinations.map((name) => [name, name] as const),
        "calls-filter-destination",
      )}
      {choice("filterCallType", f.callType, f.setCallType, f.options.types, "calls-filter-call-type")}
      {shown !== count ? <span data-testid="calls-filtered">{t("callsFiltered", { shown, count })}</span> : null}
    </div>
  );
}
