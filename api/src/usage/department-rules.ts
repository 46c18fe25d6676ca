/**
 * Spend by department over exact instants (pure, values in, values out; issue 22, items 1 and 6).
 * The department tallies are kept per UTC day (one document of whole-day totals by department) and,
 * in a second small document per UTC day, per UTC quarter hour (only the quarters with calls). Every
 * zone is whole quarter hours from UTC (local-day-rules.ts), so a period of the tenant's local days
 * is exactly: the whole UTC days inside it (their day totals) plus the quarters inside it of the at
 * most two UTC days its edges cut (their quarters). A day document written before the quarters has
 * none (and neither has a day one was added to after): it counts as a whole day at its UTC noon,
 * like the day rollups (exact in UTC, at most a day's shift in another zone).
 */
import { quarterOf, quarterStart, utcDaysTouching, utcNoon } from "./local-day-rules.js";

const DAY_MS = 86_400_000;

/** A department's count: calls, minutes, charge, and what of it was charged to credits (what a budget counts). */
export interface DepartmentCount {
  calls: number;
  minutes: number;
  chargeMicros: number;
  creditsMicros: number;
}

/** A count as the quarters store it, to keep the documents small: [calls, minutes, chargeMicros, creditsMicros]. */
export type Quad = [calls: number, minutes: number, chargeMicros: number, creditsMicros: number];

/** The quarters of one UTC day: "00".."95" → department key → its count in that quarter. */
export type DepartmentQuarters = Record<string, Record<string, Quad>>;

/** One call as the department tallies count it. */
export interface DepartmentCall {
  /** UTC ISO instant the call started (its quarter). */
  startDateTime: string;
  billedMinutes: number;
  chargeMicros: number;
  chargedToCredits: boolean;
}

export const emptyCount = (): DepartmentCount => ({ calls: 0, minutes: 0, chargeMicros: 0, creditsMicros: 0 });

/** Add one call to a department's count of the day and to its quarter. */
export function countCall(day: Record<string, DepartmentCount>, quarters: DepartmentQuarters, department: string, call: DepartmentCall): void {
  const credits = call.chargedToCredits ? call.chargeMicros : 0;
  addCount(day, department, { calls: 1, minutes: call.billedMinutes, chargeMicros: call.chargeMicros, creditsMicros: credits });
  const slot = ((quarters[quarterOf(call.startDateTime)] ??= {})[department] ??= [0, 0, 0, 0]);
  slot[0] += 1;
  slot[1] += call.billedMinutes;
  slot[2] += call.chargeMicros;
  slot[3] += credits;
}

/** Add `one` into `into[key]`. */
export function addCount(into: Record<string, DepartmentCount>, key: string, one: DepartmentCount): void {
  const slot = (into[key] ??= emptyCount());
  slot.calls += one.calls;
  slot.minutes += one.minutes;
  slot.chargeMicros += one.chargeMicros;
  slot.creditsMicros += one.creditsMicros;
}

/** Add the quarters `delta` into `into`. */
export function mergeQuarters(into: DepartmentQuarters, delta: DepartmentQuarters): void {
  for (const [q, byDepartment] of Object.entries(delta)) {
    const target = (into[q] ??= {});
    for (const [k, v] of Object.entries(byDepartment)) {
      const slot = (target[k] ??= [0, 0, 0, 0]);
      for (let i = 0; i < 4; i++) slot[i] += v[i];
    }
  }
}

/** Is UTC day `day` wholly inside [fromMs, toMs)? */
export function wholeDayInside(day: string, fromMs: number, toMs: number): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  return start >= fromMs && start + DAY_MS <= toMs;
}

/** The UTC days [fromMs, toMs) touches, and those of them its edges cut (at most two): the only days whose quarters are read. */
export function daysOfPeriod(fromMs: number, toMs: number): { days: string[]; edges: string[] } {
  const days = utcDaysTouching(fromMs, toMs);
  return { days, edges: days.filter((d) => !wholeDayInside(d, fromMs, toMs)) };
}

/** One UTC day as read: its totals by department; its quarters when the day was kept with them and the period's edge cuts it. */
export interface DepartmentDay {
  day: string;
  byDepartment: Record<string, DepartmentCount>;
  /** The day's tallies were kept with quarters from its first call (false: a day from before the quarters). */
  quartered: boolean;
  /** Read only for a day an edge cuts. */
  quarters?: DepartmentQuarters;
}

/**
 * Totals by department key over exactly [fromMs, toMs): a day inside counts its totals; a day an
 * edge cuts counts its quarters inside (a quarter at its first instant); a day without quarters
 * counts whole at its UTC noon.
 */
export function departmentTotals(days: readonly DepartmentDay[], fromMs: number, toMs: number): Map<string, DepartmentCount> {
  const totals: Record<string, DepartmentCount> = {};
  const inside = (at: number) => at >= fromMs && at < toMs;
  for (const d of days) {
    if (wholeDayInside(d.day, fromMs, toMs) || (!d.quartered && inside(utcNoon(d.day)))) {
      for (const [k, v] of Object.entries(d.byDepartment)) addCount(totals, k, v);
    } else if (d.quartered) {
      for (const [q, byDepartment] of Object.entries(d.quarters ?? {})) {
        if (!inside(quarterStart(d.day, q))) continue;
        for (const [k, [calls, minutes, chargeMicros, creditsMicros]] of Object.entries(byDepartment)) addCount(totals, k, { calls, minutes, chargeMicros, creditsMicros });
      }
    }
  }
  return new Map(Object.entries(totals));
}
