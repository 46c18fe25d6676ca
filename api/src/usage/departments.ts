/**
 * Spend by department (issue 22, item 6): the users' Entra `department` (read through Graph with
 * the directory), totals per department kept at ingestion, and an optional monthly budget per
 * department.
 *
 * Storage: one small document per tenant and UTC day in `rollups`, id `dept-day:<day>`, with one
 * tally per department (bounded by the tenant's departments, never by its users), maintained like
 * the day rollups (a batch's ref in `appliedRefs`: applied twice, counted once). A period's report
 * is point reads of its days; a budget's month is the tenant's calendar month (period-rules.ts).
 *
 * Budgets (`budgets` in `state`): at 80 % and 100 % of a department's monthly budget the notified
 * admins are told once per month (event id budget:<department>:<month>:<80|100>); at 100 % a
 * budget in "block" mode refuses calls charged to credits by that department's users
 * (`department_budget_reached`); "warn" only tells.
 */
import type { Container } from "@azure/cosmos";
import { createDoc, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { Directory } from "../directory/directory.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { Outbox } from "../notifications/outbox.js";
import type { Actor, AuditLog } from "../audit/audit-log.js";
import { refuse } from "../shared/refusal.js";
import type { RatedCallDoc } from "./rated-call.js";
import { daysOf, type Range } from "./report.js";
import { periodOf } from "./period-rules.js";
import type { Tally } from "./rollups.js";

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

export interface DepartmentSummary {
  from: string;
  to: string;
  currency: string;
  groupBy: "department";
  groups: { key: string; label: string; calls: number; minutes: number; chargeMicros: number }[];
  totals: Tally;
}

const dayId = (day: string) => `dept-day:${day}`;
const keyOf = (department: string | null | undefined) => (department ? department : NO_DEPARTMENT_KEY);
const empty = (): DepartmentTally => ({ calls: 0, minutes: 0, chargeMicros: 0, creditsMicros: 0 });

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

  /** Count batch `ref`'s records into their departments' days (once), then tell budgets crossed. */
  async tally(tenantId: string, ref: string, records: readonly RatedCallDoc[]): Promise<void> {
    if (records.length === 0) return;
    const users = await this.directory.users(tenantId);
    const departmentOf = new Map(users.map((u) => [u.id, u.department ?? null]));
    const days = new Map<string, Record<string, DepartmentTally>>();
    const touched = new Set<string>();
    for (const r of records) {
      const byDepartment = days.get(r.day) ?? {};
      days.set(r.day, byDepartment);
      const department = keyOf(departmentOf.get(r.userId));
      touched.add(department);
      const slot = (byDepartment[department] ??= empty());
      slot.calls += 1;
      slot.minutes += r.billedMinutes;
      slot.chargeMicros += r.chargeMicros;
      if (r.chargedTo === "credits") slot.creditsMicros += r.chargeMicros;
    }
    await Promise.all([...days].map(([day, delta]) => this.applyDay(tenantId, ref, day, delta)));
    await this.tellBudgets(
      tenantId,
      [...touched].filter((k) => k !== NO_DEPARTMENT_KEY),
    );
  }

  private async applyDay(tenantId: string, ref: string, day: string, delta: Record<string, DepartmentTally>): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await readDoc<DepartmentDayDoc>(this.rollups, tenantId, dayId(day));
      if (doc?.appliedRefs.includes(ref)) return;
      const next: DepartmentDayDoc = doc ? structuredClone(doc) : { id: dayId(day), tenantId, type: "dept-day", day, byDepartment: {}, appliedRefs: [], updatedAt: "" };
      for (const [k, v] of Object.entries(delta)) {
        const slot = (next.byDepartment[k] ??= empty());
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

  private async daysOf(tenantId: string, days: readonly string[]): Promise<DepartmentDayDoc[]> {
    const docs = await Promise.all(days.map((d) => readDoc<DepartmentDayDoc>(this.rollups, tenantId, dayId(d))));
    return docs.filter((d): d is DepartmentDayDoc => d !== undefined);
  }

  /** GET /api/v1/usage/summary?groupBy=department: totals by department over the UTC days the range touches. */
  async summary(tenantId: string, currency: string, range: Range, noDepartmentLabel: string): Promise<DepartmentSummary> {
    const days = daysOf(range);
    const groups = new Map<string, DepartmentSummary["groups"][number]>();
    const totals: Tally = { calls: 0, minutes: 0, chargeMicros: 0 };
    for (const doc of await this.daysOf(tenantId, days)) {
      for (const [k, v] of Object.entries(doc.byDepartment)) {
        const key = k === NO_DEPARTMENT_KEY ? NO_DEPARTMENT : k;
        const g = groups.get(key) ?? { key, label: key || noDepartmentLabel, calls: 0, minutes: 0, chargeMicros: 0 };
        g.calls += v.calls;
        g.minutes += v.minutes;
        g.chargeMicros += v.chargeMicros;
        groups.set(key, g);
        totals.calls += v.calls;
        totals.minutes += v.minutes;
        totals.chargeMicros += v.chargeMicros;
      }
    }
    const ordered = [...groups.values()].sort((a, b) => b.chargeMicros - a.chargeMicros || (a.key < b.key ? -1 : 1));
    const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return {
      from: days[0] ?? range.from.toISOString().slice(0, 10),
      to: days.length ? next(days[days.length - 1]) : range.to.toISOString().slice(0, 10),
      currency,
      groupBy: "department",
      groups: ordered,
      totals,
    };
  }

  /** Credits spent this month (the tenant's calendar month) per department. */
  private async monthSpend(tenantId: string): Promise<{ month: string; spent: Map<string, number>; currency: string }> {
    const account = await this.ledger.readAccount(tenantId);
    const period = periodOf("this_month", this.clock.now(), account.timeZone ?? undefined);
    const spent = new Map<string, number>();
    for (const doc of await this.daysOf(tenantId, daysOf({ from: new Date(period.from), to: new Date(period.to) }))) {
      for (const [k, v] of Object.entries(doc.byDepartment)) spent.set(k, (spent.get(k) ?? 0) + v.creditsMicros);
    }
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
