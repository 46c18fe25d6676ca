/**
 * Spend by department (issue 22, item 6): the usage report grouped by the users' Entra department
 * (GET /api/v1/usage/summary?groupBy=department) with totals, a chart, an export, and the monthly
 * budgets per department (GET/PUT /api/v1/budgets; billing roles change them).
 */
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  Input,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { GroupChart } from "../../pages/usage/UsageCharts";
import { formatMoneyInput, formatMoneyLocale, type TabMessageId } from "@cc/common";
import { useEffect, useState } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import type { BudgetsView, UsageRange, UsageSummaryGroup } from "../../api/credits";
import { keys, toApiError, useBudgets, useDepartmentSummary } from "../../api/queries";
import { useQueryClient } from "@tanstack/react-query";
import { saveBlob } from "../download";
import { ErrorBar } from "../ErrorBar";
import { EmptyState } from "../EmptyState";
import { Section } from "../Section";
import { ChartSkeleton } from "../Skeletons";
import { readMoney } from "../MoneyInput";
import { useI18n, type I18n } from "../../i18n";
import { useMe } from "../../me";

const useStyles = makeStyles({
  scroll: { overflowX: "auto", minWidth: 0 },
  money: { textAlign: "right", justifyContent: "flex-end", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" },
  total: { fontWeight: tokens.fontWeightSemibold },
  // At 320 px the minutes give way, so the department, calls and money fit without scrolling.
  wide: { "@media (max-width: 480px)": { display: "none" } },
  bar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  // Labels on one line, so the amount and the mode line up (the amount's hint hangs below it).
  budget: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "start", minWidth: 0 },
  // Level with the inputs, below their labels.
  remove: { marginTop: "26px", flexShrink: 0, "@media (max-width: 480px)": { marginTop: 0 } },
  // Fluent's dropdown keeps a 250 px minimum of its own: here it takes its field's width.
  picker: { minWidth: 0, width: "100%" },
  grow: { minWidth: "0", flexGrow: 1, flexBasis: "140px" },
});

type BudgetDraft = { department: string; amount: string; mode: "warn" | "block"; spentMicros: number };
type Words = (key: string, values?: Record<string, string | number>) => string;

const wordsOf =
  (say: I18n["say"]): Words =>
  (key, values) =>
    say(`budgets.page.${key}` as TabMessageId, values);

export function DepartmentSpend({ range }: { range: UsageRange }) {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { locale } = i18n;
  const summary = useDepartmentSummary(range);
  const budgets = useBudgets();
  const [error, setError] = useState<ApiError>();
  const currency = summary.data?.currency ?? budgets.data?.currency ?? "USD";
  const money = (micros: number) => formatMoneyLocale(micros, currency, locale);
  const w = wordsOf(i18n.say);

  async function exportAs(format: "csv" | "xlsx") {
    setError(undefined);
    try {
      const file = await api.departmentExport(range, format);
      saveBlob(file.blob, file.fileName ?? `spend-by-department.${format}`);
    } catch (err) {
      setError(toApiError(err));
    }
  }

  const groups = summary.data?.groups ?? [];
  const top = groups.filter((g) => g.chargeMicros > 0).slice(0, 10);
  return (
    <Section
      title={w("title")}
      testId="department-spend"
      action={
        <div className={styles.bar}>
          <Button size="small" onClick={() => void exportAs("csv")} data-testid="department-export-csv">
            {i18n.t("exportCsv")}
          </Button>
          <Button size="small" onClick={() => void exportAs("xlsx")} data-testid="department-export-xlsx">
            {i18n.t("exportExcel")}
          </Button>
        </div>
      }
    >
      <ErrorBar error={summary.error ?? error} onRetry={() => void summary.refetch()} />
      {summary.isLoading ? <ChartSkeleton /> : null}
      {summary.data && groups.length === 0 ? <EmptyState title={w("empty")} /> : null}
      {summary.data && top.length > 0 ? (
        // The usage page's own bar chart: amounts to the cent on the axis, no bare floats at the bars' ends.
        <GroupChart
          groups={groups}
          currency={currency}
          name={(key) => groups.find((g) => g.key === key)?.label ?? key}
          money={(micros, cur) => formatMoneyLocale(micros, cur, locale)}
          title={w("chart")}
          testId="department-chart"
        />
      ) : null}
      {summary.data && groups.length > 0 ? <DepartmentTable groups={groups} totals={summary.data.totals} money={money} w={w} /> : null}
      <DepartmentBudgets groups={groups} currency={currency} money={money} w={w} />
    </Section>
  );
}

interface TableProps {
  groups: (UsageSummaryGroup & { label: string })[];
  totals: { calls: number; minutes: number; chargeMicros: number };
  money: (micros: number) => string;
  w: Words;
}

/** Departments with their calls, minutes (not at 320 px) and charges, numbers and their headers right-aligned, and the total. */
function DepartmentTable({ groups, totals, money, w }: TableProps) {
  const styles = useStyles();
  const { locale } = useI18n();
  const numeric = styles.money;
  const wide = mergeClasses(styles.money, styles.wide);
  return (
    <div className={styles.scroll}>
      <Table size="small" aria-label={w("title")} data-testid="department-table">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{w("department")}</TableHeaderCell>
            {/* The header's own button is a flex box: it is right-aligned too, like the numbers below it. */}
            <TableHeaderCell className={numeric} button={{ className: numeric }}>
              {w("calls")}
            </TableHeaderCell>
            <TableHeaderCell className={wide} button={{ className: numeric }}>
              {w("minutes")}
            </TableHeaderCell>
            <TableHeaderCell className={numeric} button={{ className: numeric }}>
              {w("charges")}
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {groups.map((g) => (
            <TableRow key={g.key}>
              <TableCell>{g.label}</TableCell>
              <TableCell className={numeric}>{g.calls.toLocaleString(locale)}</TableCell>
              <TableCell className={wide}>{g.minutes.toLocaleString(locale)}</TableCell>
              <TableCell className={numeric}>{money(g.chargeMicros)}</TableCell>
            </TableRow>
          ))}
          <TableRow className={styles.total} data-testid="department-total">
            <TableCell>{w("total")}</TableCell>
            <TableCell className={numeric}>{totals.calls.toLocaleString(locale)}</TableCell>
            <TableCell className={wide}>{totals.minutes.toLocaleString(locale)}</TableCell>
            <TableCell className={numeric}>{money(totals.chargeMicros)}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </div>
  );
}

/** The budgets as drafts, saved at once (billing roles); each amount read as typed in the reader's language. */
function useBudgetDrafts(currency: string) {
  const api = useApi();
  const i18n = useI18n();
  const budgets = useBudgets();
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<BudgetDraft[]>([]);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const [budgetError, setBudgetError] = useState<string>();
  useEffect(() => {
    if (budgets.data)
      setDrafts(
        budgets.data.departments.map((b) => ({ department: b.department, amount: formatMoneyInput(b.monthlyMicros, i18n.locale), mode: b.mode, spentMicros: b.spentMicros })),
      );
  }, [budgets.data, i18n.locale]);

  async function saveBudgets() {
    setSaved(false);
    setBudgetError(undefined);
    setError(undefined);
    const departments: { department: string; monthlyMicros: number; mode: "warn" | "block" }[] = [];
    for (const d of drafts) {
      const read = readMoney(d.amount, currency, i18n, {});
      if ("error" in read) return setBudgetError(`${d.department}: ${read.error}`);
      departments.push({ department: d.department, monthlyMicros: read.micros, mode: d.mode });
    }
    try {
      queryClient.setQueryData<BudgetsView>(keys.budgets, await api.setBudgets(departments));
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  return { budgets, drafts, setDrafts, error, saved, budgetError, saveBudgets };
}

interface BudgetsProps {
  groups: (UsageSummaryGroup & { label: string })[];
  currency: string;
  money: (micros: number) => string;
  w: Words;
}

function DepartmentBudgets({ groups, currency, money, w }: BudgetsProps) {
  const styles = useStyles();
  const canChange = useMe().can.moveMoney;
  const { budgets, drafts, setDrafts, error, saved, budgetError, saveBudgets } = useBudgetDrafts(currency);
  const unbudgeted = groups.filter((g) => g.key && !drafts.some((d) => d.department === g.key));
  const change = (i: number, next: Partial<BudgetDraft>) => setDrafts(drafts.map((x, j) => (j === i ? { ...x, ...next } : x)));
  return (
    <>
      <Caption1 as="h3" style={{ fontWeight: tokens.fontWeightSemibold }}>
        {w("budgets")}
      </Caption1>
      <ErrorBar error={budgets.error ?? error} onRetry={() => void budgets.refetch()} />
      {!canChange ? <Caption1>{w("readOnly")}</Caption1> : null}
      {drafts.map((d, i) => (
        <BudgetRow
          key={d.department}
          draft={d}
          currency={currency}
          canChange={canChange}
          error={budgetError?.startsWith(`${d.department}:`) ? budgetError : undefined}
          money={money}
          w={w}
          onChange={(next) => change(i, next)}
          onRemove={() => setDrafts(drafts.filter((_, j) => j !== i))}
        />
      ))}
      {canChange ? (
        <div className={styles.bar}>
          {unbudgeted.length > 0 ? (
            <Dropdown
              aria-label={w("addBudget")}
              placeholder={w("addBudget")}
              value=""
              selectedOptions={[]}
              onOptionSelect={(_, v) => v.optionValue && setDrafts([...drafts, { department: v.optionValue, amount: "", mode: "warn", spentMicros: 0 }])}
              data-testid="department-budget-add"
            >
              {unbudgeted.map((g) => (
                <Option key={g.key} value={g.key}>
                  {g.label}
                </Option>
              ))}
            </Dropdown>
          ) : null}
          <Button appearance="primary" onClick={() => void saveBudgets()} data-testid="department-budgets-save">
            {w("save")}
          </Button>
          {saved ? <Caption1 role="status">{w("saved")}</Caption1> : null}
        </div>
      ) : null}
    </>
  );
}

interface BudgetRowProps {
  draft: BudgetDraft;
  currency: string;
  canChange: boolean;
  error: string | undefined;
  money: (micros: number) => string;
  w: Words;
  onChange(next: Partial<BudgetDraft>): void;
  onRemove(): void;
}

function BudgetRow({ draft: d, currency, canChange, error, money, w, onChange, onRemove }: BudgetRowProps) {
  const styles = useStyles();
  return (
    <div className={styles.budget} data-testid="department-budget">
      <Field className={styles.grow} label={d.department} hint={w("spentAmount", { amount: money(d.spentMicros) })} validationMessage={error}>
        <Input
          value={d.amount}
          inputMode="decimal"
          disabled={!canChange}
          contentAfter={currency}
          onChange={(_, v) => onChange({ amount: v.value })}
          aria-label={`${w("budget")} ${d.department}`}
        />
      </Field>
      <Field className={styles.grow} label={w("mode")}>
        <Dropdown
          className={styles.picker}
          disabled={!canChange}
          value={w(`mode.${d.mode}`)}
          selectedOptions={[d.mode]}
          onOptionSelect={(_, v) => onChange({ mode: v.optionValue === "block" ? "block" : "warn" })}
        >
          <Option value="warn">{w("mode.warn")}</Option>
          <Option value="block">{w("mode.block")}</Option>
        </Dropdown>
      </Field>
      {canChange ? (
        <Button className={styles.remove} onClick={onRemove} aria-label={w("removeBudget", { department: d.department })}>
          {w("remove")}
        </Button>
      ) : null}
    </div>
  );
}
