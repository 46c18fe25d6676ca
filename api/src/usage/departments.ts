/**
 * Spend by department (issue 22, item 6): the users' Entra `department` (read through Graph with
 * the directory), totals per department kept at ingestion, and an optional monthly budget per
 * department.
 *
 * Storage: per tenant and UTC day, two small documents in `rollups`, both bounded by the tenant's
 * departments, never by its users: `dept-day:<day>` with one tally per department for the whole
 * day, and `dept-quarters:<day>` with the tallies by department per UTC quarter hour (only the
 * quarters with calls, compact [calls, minutes, charge, credits]). Both are kept like the day
 * rollups (a batch's ref in `appliedRefs`: applied twice, counted once; ETag replace), the quarters
 * first, so a day document marked `quartered` never holds a batch its quarters lack.
 * The quarters are bounded by 96 × departments quads, whatever the callers: 5 departments over 24
 * quarters about 6 KB, 20 departments in all 96 quarters about 78 KB, 50 about 190 KB (with 50
 * batch refs; JSON sizes measured with node).
 *
 * Reading (department-rules.ts): a period counts exactly its instants in the tenant's time zone
 * (issue 22, item 1): the day totals of the UTC days inside it, and the quarters inside it of the at
 * most two UTC days its edges cut, so a period of n UTC days is n + 2 point reads, never a query.
 * Day documents written before the quarters have no `quartered` mark (and keep none when later
 * batches add to them): they count as whole days at their UTC noon, like the day rollups. A summary
 * asked with `from`/`to` instead of a named period counts the whole UTC days the range touches, as
 * the other groupings do. A budget's month is the tenant's calendar month, edges included: a call
 * at 23:30 UTC on November 30 is in December for a tenant in Paris (period-rules.ts).
 *
 * Budgets (`budgets` in `state`): at 80 % and 100 % of a department's monthly budget the notified
 * admins are told once per month (event id budget:<department>:<month>:<80|100>); at 100 % a
 * budget in "block" mode refuses calls charged to credits by that department's users
 * (`department_budget_reached`); "warn" only tells.
 */
import type { UsageSummaryView } from "@cc/common";
import type { Container } from "@azure/cosmos";
import { createDoc, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { Directory } from "../directory/directory.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { Outbox } from "../notifications/outbox.js";
import type { Actor, AuditLog } from "../audit/audit-log.js";
import { refuse } from "../shared/refusal.js";
import type { RatedCallDoc } from "./rated-call.js";
import type { Range } from "./report.js";
import { periodOf } from "./period-rules.js";
import type { Tally } from "./rollups.js";
import { localDayOf } from "./local-day-rules.js";
import { countCall, daysOfPeriod, departmentTotals, emptyCount, mergeQuarters, type DepartmentDay, type DepartmentQuarters } from "./department-rules.js";

/** The key of calls by users without a department (and calls without a user). */
export const NO_DEPARTMENT = "";
const NO_DEPARTMENT_KEY = "_none";
const MAX_RACES = 500;

export interface DepartmentTally extends Tally {
  /** What the department's calls charged to credits (what a budget counts). */
  creditsMicros: number;
}

interface DepartmentDayDoc {
  id: string;
  tenantId: string;
  type: "dept-day";
  day: string;
  byDepartment: Record<string, DepartmentTally>;
  /** Kept with quarters (dept-quarters:<day>) since its first batch; absent from days begun before them. */
  quartered?: true;
  appliedRefs: string[];
  updatedAt: string;
  _etag?: string;
}

/** The day's tallies by department per UTC quarter hour ("00".."95", only quarters with calls). */
interface DepartmentQuartersDoc {
  id: string;
  tenantId: string;
  type: "dept-quarters";
  day: string;
  quarters: DepartmentQuarters;
  appliedRefs: string[];
  updatedAt: string;
  _etag?: string;
}

export interface DepartmentBudget {
  department: string;
  monthlyMicros: number;
  /** "block": at 100 % calls charged to credits by the department's users are refused; "warn": told only. */
  mode: "warn" | "block";
}

export interface DepartmentBudgetView extends DepartmentBudget {
  /** Charged to credits by the department this month (the tenant's calendar month). */
  spentMicros: number;
}

export interface BudgetsView {
  currency: string;
  month: string;
  departments: DepartmentBudgetView[];
}

interface BudgetsDoc {
  id: "budgets";
  tenantId: string;
  departments: DepartmentBudget[];
  _etag?: string;
}

export type DepartmentSummary = Omit<UsageSummaryView, "groupBy" | "period"> & { groupBy: "department" };

const dayId = (day: string) => `dept-day:${day}`;
const quartersId = (day: string) => `dept-quarters:${day}`;
const keyOf = (department: string | null | undefined) => (department ? department : NO_DEPARTMENT_KEY);
const DAY_MS = 86_400_000;

/** The thresholds a spend crosses this month, the highest only (80 then 100). */
export function budgetLevel(spentMicros: number, monthlyMicros: number): 0 | 80 | 100 {
  if (monthlyMicros <= 0) return 0;
  if (spentMicros >= monthlyMicros) return 100;
  return spentMicros * 10 >= monthlyMicros * 8 ? 80 : 0;
}

export class DepartmentSpend {
  private readonly rollups: Container;
  private readonly state: Container;

  constructor(
    store: Store,
    private readonly directory: Directory,
    private readonly ledger: LedgerWriter,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {
    this.rollups = store.containers.rollups;
    this.state = store.containers.state;
  }

  /** Count batch `ref`'s records into their departments' days and quarters (once), then tell budgets crossed. */
  async tally(tenantId: string, ref: string, records: readonly RatedCallDoc[]): Promise<void> {
    if (records.length === 0) return;
    const users = await this.directory.users(tenantId);
    const departmentOf = new Map(users.map((u) => [u.id, u.department ?? null]));
    const days = new Map<string, { byDepartment: Record<string, DepartmentTally>; quarters: DepartmentQuarters }>();
    const touched = new Set<string>();
    for (const r of records) {
      const delta = days.get(r.day) ?? { byDepartment: {}, quarters: {} };
      days.set(r.day, delta);
      const department = keyOf(departmentOf.get(r.userId));
      touched.add(department);
      countCall(delta.byDepartment, delta.quarters, department, {
        startDateTime: r.startDateTime,
        billedMinutes: r.billedMinutes,
        chargeMicros: r.chargeMicros,
        chargedToCredits: r.chargedTo === "credits",
      });
    }
    await Promise.all(
      [...days].map(async ([day, delta]) => {
        // The quarters first: a day marked `quartered` then never counts a batch its quarters lack.
        await this.applyQuarters(tenantId, ref, day, delta.quarters);
        await this.applyDay(tenantId, ref, day, delta.byDepartment);
      }),
    );
    await this.tellBudgets(
      tenantId,
      [...touched].filter((k) => k !== NO_DEPARTMENT_KEY),
    );
  }

  private async applyDay(tenantId: string, ref: string, day: string, delta: Record<string, DepartmentTally>): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await readDoc<DepartmentDayDoc>(this.rollups, tenantId, dayId(day));
      if (doc?.appliedRefs.includes(ref)) return;
      // A day begun before the quarters stays unmarked (its quarters would not add up to its totals): read whole.
      const next: DepartmentDayDoc = doc
        ? structuredClone(doc)
        : { id: dayId(day), tenantId, type: "dept-day", day, byDepartment: {}, quartered: true, appliedRefs: [], updatedAt: "" };
      for (const [k, v] of Object.entries(delta)) {
        const slot = (next.byDepartment[k] ??= emptyCount());
        slot.calls += v.calls;
        slot.minutes += v.minutes;
        slot.chargeMicros += v.chargeMicros;
        slot.creditsMicros += v.creditsMicros;
      }
      next.appliedRefs.push(ref);
      next.updatedAt = this.clock.now().toISOString();
      const written = doc ? await replaceIfMatch(this.rollups, next, doc._etag ?? "") : (await createDoc(this.rollups, next)).created;
      if (written) return;
    }
    throw new Error(`department day ${day} kept changing`);
  }

  private async applyQuarters(tenantId: string, ref: string, day: string, delta: DepartmentQuarters): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await readDoc<DepartmentQuartersDoc>(this.rollups, tenantId, quartersId(day));
      if (doc?.appliedRefs.includes(ref)) return;
      const next: DepartmentQuartersDoc = doc ? structuredClone(doc) : { id: quartersId(day), tenantId, type: "dept-quarters", day, quarters: {}, appliedRefs: [], updatedAt: "" };
      mergeQuarters(next.quarters, delta);
      next.appliedRefs.push(ref);
      next.updatedAt = this.clock.now().toISOString();
      const written = doc ? await replaceIfMatch(this.rollups, next, doc._etag ?? "") : (await createDoc(this.rollups, next)).created;
      if (written) return;
    }
    throw new Error(`department quarters of ${day} kept changing`);
  }

  /**
   * Totals by department key over exactly [fromMs, toMs): the day documents of the UTC days it
   * touches, and the quarters of only the (at most two) days its edges cut: days + 2 point reads.
   */
  private async totalsOf(tenantId: string, fromMs: number, toMs: number): Promise<Map<string, DepartmentTally>> {
    const { days, edges } = daysOfPeriod(fromMs, toMs);
    const [dayDocs, quarterDocs] = await Promise.all([
      Promise.all(days.map((d) => readDoc<DepartmentDayDoc>(this.rollups, tenantId, dayId(d)))),
      Promise.all(edges.map((d) => readDoc<DepartmentQuartersDoc>(this.rollups, tenantId, quartersId(d)))),
    ]);
    const quartersOf = new Map(quarterDocs.filter((q): q is DepartmentQuartersDoc => q !== undefined).map((q) => [q.day, q.quarters]));
    const parts: DepartmentDay[] = dayDocs
      .filter((d): d is DepartmentDayDoc => d !== undefined)
      .map((d) => ({ day: d.day, byDepartment: d.byDepartment, quartered: d.quartered === true, quarters: quartersOf.get(d.day) }));
    return departmentTotals(parts, fromMs, toMs);
  }

  /**
   * GET /api/v1/usage/summary?groupBy=department: totals by department. With `timeZone` (a named
   * period): exactly the instants [from, to), its days that zone's; without: the whole UTC days the
   * range touches, as the other groupings.
   */
  async summary(tenantId: string, currency: string, range: Range, noDepartmentLabel: string, timeZone?: string): Promise<DepartmentSummary> {
    const zone = timeZone ?? "UTC";
    const fromMs = timeZone ? range.from.getTime() : Math.floor(range.from.getTime() / DAY_MS) * DAY_MS;
    const toMs = timeZone ? range.to.getTime() : Math.ceil(range.to.getTime() / DAY_MS) * DAY_MS;
    const groups: DepartmentSummary["groups"] = [];
    const totals: Tally = { calls: 0, minutes: 0, chargeMicros: 0 };
    for (const [k, v] of await this.totalsOf(tenantId, fromMs, toMs)) {
      const key = k === NO_DEPARTMENT_KEY ? NO_DEPARTMENT : k;
      groups.push({ key, label: key || noDepartmentLabel, calls: v.calls, minutes: v.minutes, chargeMicros: v.chargeMicros });
      totals.calls += v.calls;
      totals.minutes += v.minutes;
      totals.chargeMicros += v.chargeMicros;
    }
    groups.sort((a, b) => b.chargeMicros - a.chargeMicros || (a.key < b.key ? -1 : 1));
    return { from: localDayOf(fromMs, zone), to: localDayOf(toMs, zone), currency, groupBy: "department", groups, totals };
  }

  /** Credits spent this month (the tenant's calendar month) per department. */
  private async monthSpend(tenantId: string): Promise<{ month: string; spent: Map<string, number>; currency: string }> {
    const account = await this.ledger.readAccount(tenantId);
    const period = periodOf("this_month", this.clock.now(), account.timeZone ?? undefined);
    const spent = new Map<string, number>();
    for (const [k, v] of await this.totalsOf(tenantId, Date.parse(period.from), Date.parse(period.to))) spent.set(k, v.creditsMicros);
    return { month: period.firstDay.slice(0, 7), spent, currency: account.currency };
  }

  private async readBudgets(tenantId: string): Promise<BudgetsDoc | undefined> {
    return readDoc<BudgetsDoc>(this.state, tenantId, "budgets");
  }

  async budgets(tenantId: string): Promise<BudgetsView> {
    const [doc, { month, spent, currency }] = await Promise.all([this.readBudgets(tenantId), this.monthSpend(tenantId)]);
    return { currency, month, departments: (doc?.departments ?? []).map((b) => ({ ...b, spentMicros: spent.get(keyOf(b.department)) ?? 0 })) };
  }

  /** PUT /api/v1/budgets: the whole list (audited); one budget per department. */
  async putBudgets(tenantId: string, actor: Actor, departments: DepartmentBudget[]): Promise<BudgetsView> {
    const seen = new Set<string>();
    departments.forEach((b, i) => {
      if (!b.department.trim()) throw refuse.invalid(`departments/${i}/department`, "departmentEmpty");
      if (seen.has(b.department)) throw refuse.invalid(`departments/${i}/department`, "departmentTwice");
      seen.add(b.department);
    });
    await this.ledger.readAccount(tenantId);
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await this.readBudgets(tenantId);
      const next: BudgetsDoc = { id: "budgets", tenantId, departments };
      const written = doc ? await replaceIfMatch(this.state, next, doc._etag ?? "") : (await createDoc(this.state, next)).created;
      if (!written) continue;
      await this.audit.record(tenantId, actor, "budgets.updated", { departments: doc?.departments ?? [] }, { departments });
      await this.tellBudgets(
        tenantId,
        departments.map((b) => b.department),
      );
      return this.budgets(tenantId);
    }
    throw refuse.conflict("contention", "The budgets kept changing; try again");
  }

  /** Tell the admins of each department budget crossed this month (80 %, 100 %), once per month and level. */
  private async tellBudgets(tenantId: string, departments: readonly string[]): Promise<void> {
    const doc = await this.readBudgets(tenantId);
    const budgets = (doc?.departments ?? []).filter((b) => departments.includes(b.department));
    if (budgets.length === 0) return;
    const { month, spent, currency } = await this.monthSpend(tenantId);
    for (const b of budgets) {
      const spentMicros = spent.get(keyOf(b.department)) ?? 0;
      const level = budgetLevel(spentMicros, b.monthlyMicros);
      if (level === 0) continue;
      await this.outbox.emit(tenantId, "budget_threshold", `${encodeURIComponent(b.department)}:${month}:${level}`, {
        department: b.department,
        month,
        level,
        spentMicros,
        monthlyMicros: b.monthlyMicros,
        mode: b.mode,
        currency,
      });
    }
  }

  /** The call guard's budget check: a call charged to credits by a user of a department whose "block" budget is spent. */
  async checkCall(tenantId: string, userId: string | null, chargesCredits: boolean): Promise<"department_budget_reached" | undefined> {
    if (!userId || !chargesCredits) return undefined;
    const doc = await this.readBudgets(tenantId);
    if (!doc?.departments.some((b) => b.mode === "block")) return undefined;
    const department = (await this.directory.users(tenantId)).find((u) => u.id === userId)?.department;
    const budget = doc.departments.find((b) => b.department === department && b.mode === "block");
    if (!budget) return undefined;
    const { spent } = await this.monthSpend(tenantId);
    return (spent.get(keyOf(budget.department)) ?? 0) >= budget.monthlyMicros ? "department_budget_reached" : undefined;
  }
}
