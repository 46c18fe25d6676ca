/**
 * Spend by department over exact instants (api/src/usage/department-rules.ts): for random calls,
 * departments, zones (Asia/Kolkata +5:30 and others) and named periods, the totals assembled from
 * the day totals and the quarters of the edge days equal a brute-force sum of the calls inside the
 * period; only the days the period's edges cut need their quarters; a day kept before the quarters
 * counts whole at its UTC noon.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  countCall,
  daysOfPeriod,
  departmentTotals,
  mergeQuarters,
  type DepartmentCount,
  type DepartmentDay,
  type DepartmentQuarters,
} from "../../api/src/usage/department-rules.js";
import { PERIOD_NAMES, periodOf } from "../../api/src/usage/period-rules.js";

const ZONES = ["Asia/Kolkata", "Europe/Paris", "Asia/Kathmandu", "America/St_Johns", "UTC"];
const DEPARTMENTS = ["Sales", "Executive", "_none"];

interface Call {
  at: number;
  department: string;
  minutes: number;
  micros: number;
  credits: boolean;
}

/** The day documents as ingestion keeps them: batches of calls added up per UTC day, totals and quarters. */
function keep(batches: readonly Call[][]): DepartmentDay[] {
  const days = new Map<string, { byDepartment: Record<string, DepartmentCount>; quarters: DepartmentQuarters }>();
  for (const batch of batches) {
    const deltas = new Map<string, { byDepartment: Record<string, DepartmentCount>; quarters: DepartmentQuarters }>();
    for (const c of batch) {
      const iso = new Date(c.at).toISOString();
      const delta = deltas.get(iso.slice(0, 10)) ?? { byDepartment: {}, quarters: {} };
      deltas.set(iso.slice(0, 10), delta);
      countCall(delta.byDepartment, delta.quarters, c.department, { startDateTime: iso, billedMinutes: c.minutes, chargeMicros: c.micros, chargedToCredits: c.credits });
    }
    for (const [day, delta] of deltas) {
      const doc = days.get(day) ?? { byDepartment: {}, quarters: {} };
      days.set(day, doc);
      for (const [k, v] of Object.entries(delta.byDepartment)) {
        const slot = (doc.byDepartment[k] ??= { calls: 0, minutes: 0, chargeMicros: 0, creditsMicros: 0 });
        slot.calls += v.calls;
        slot.minutes += v.minutes;
        slot.chargeMicros += v.chargeMicros;
        slot.creditsMicros += v.creditsMicros;
      }
      mergeQuarters(doc.quarters, delta.quarters);
    }
  }
  return [...days].map(([day, d]) => ({ day, byDepartment: d.byDepartment, quartered: true, quarters: d.quarters }));
}

/** What the store reads for a period: every day's totals, the quarters of the edge days only. */
function read(kept: readonly DepartmentDay[], fromMs: number, toMs: number): DepartmentDay[] {
  const { days, edges } = daysOfPeriod(fromMs, toMs);
  return kept.filter((d) => days.includes(d.day)).map((d) => ({ ...d, quarters: edges.includes(d.day) ? d.quarters : undefined }));
}

function bruteForce(calls: readonly Call[], fromMs: number, toMs: number): Record<string, DepartmentCount> {
  const out: Record<string, DepartmentCount> = {};
  for (const c of calls) {
    if (c.at < fromMs || c.at >= toMs) continue;
    const slot = (out[c.department] ??= { calls: 0, minutes: 0, chargeMicros: 0, creditsMicros: 0 });
    slot.calls += 1;
    slot.minutes += c.minutes;
    slot.chargeMicros += c.micros;
    slot.creditsMicros += c.credits ? c.micros : 0;
  }
  return out;
}

const NOW_MIN = Date.parse("2026-01-01T00:00:00Z");
const NOW_MAX = Date.parse("2026-12-31T00:00:00Z");

const arbCall = (now: number) =>
  fc.record({
    // Within 100 days before now, to the minute, so that calls fall on and next to every period's edges.
    at: fc.integer({ min: 0, max: 100 * 1440 }).map((m) => now - m * 60_000),
    department: fc.constantFrom(...DEPARTMENTS),
    minutes: fc.integer({ min: 1, max: 30 }),
    micros: fc.integer({ min: 0, max: 5_000_000 }),
    credits: fc.boolean(),
  });

describe("department totals over a period's exact instants", () => {
  it("equal a brute-force sum of the period's calls, for random calls, zones and periods, reading quarters of the edge days only", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW_MIN, max: NOW_MAX }).chain((now) =>
          fc.record({
            now: fc.constant(now),
            zone: fc.constantFrom(...ZONES),
            name: fc.constantFrom(...PERIOD_NAMES),
            batches: fc.array(fc.array(arbCall(now), { maxLength: 30 }), { minLength: 1, maxLength: 4 }),
          }),
        ),
        ({ now, zone, name, batches }) => {
          const period = periodOf(name, new Date(now), zone);
          const fromMs = Date.parse(period.from);
          const toMs = Date.parse(period.to);
          const { days, edges } = daysOfPeriod(fromMs, toMs);
          expect(edges.length).toBeLessThanOrEqual(2);
          // A zone whose midnight is not UTC's cuts both edge days.
          if (zone === "Asia/Kolkata") expect(edges).toEqual([days[0], days[days.length - 1]]);
          const got = Object.fromEntries(departmentTotals(read(keep(batches), fromMs, toMs), fromMs, toMs));
          expect(got).toEqual(bruteForce(batches.flat(), fromMs, toMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("counts Kolkata's (+5:30) month from 18:30 UTC on the last day of the month before, to the quarter hour", () => {
    const period = periodOf("this_month", new Date("2026-12-15T12:00:00Z"), "Asia/Kolkata");
    expect([period.from, period.to]).toEqual(["2026-11-30T18:30:00.000Z", "2026-12-15T18:30:00.000Z"]);
    const fromMs = Date.parse(period.from);
    const toMs = Date.parse(period.to);
    const calls: Call[] = [
      { at: Date.parse("2026-11-30T18:29:00Z"), department: "Sales", minutes: 1, micros: 100_000, credits: true }, // Nov 30, 23:59 in Kolkata
      { at: Date.parse("2026-11-30T18:30:00Z"), department: "Sales", minutes: 2, micros: 200_000, credits: true }, // Dec 1, 00:00
      { at: Date.parse("2026-12-08T09:00:00Z"), department: "Sales", minutes: 4, micros: 400_000, credits: false },
      { at: Date.parse("2026-12-15T18:29:59Z"), department: "Executive", minutes: 8, micros: 800_000, credits: true }, // Dec 15, 23:59
      { at: Date.parse("2026-12-15T18:30:00Z"), department: "Executive", minutes: 16, micros: 1_600_000, credits: true }, // Dec 16, 00:00
    ];
    const kept = keep([calls.slice(0, 2), calls.slice(2)]);
    expect(daysOfPeriod(fromMs, toMs).edges).toEqual(["2026-11-30", "2026-12-15"]);
    expect(Object.fromEntries(departmentTotals(read(kept, fromMs, toMs), fromMs, toMs))).toEqual({
      Sales: { calls: 2, minutes: 6, chargeMicros: 600_000, creditsMicros: 200_000 },
      Executive: { calls: 1, minutes: 8, chargeMicros: 800_000, creditsMicros: 800_000 },
    });
  });

  it("counts a day kept before the quarters as a whole day at its UTC noon", () => {
    const whole = { Sales: { calls: 3, minutes: 9, chargeMicros: 900_000, creditsMicros: 900_000 } };
    const legacy: DepartmentDay[] = [{ day: "2026-11-30", byDepartment: whole, quartered: false }];
    // Paris's December begins at 23:00 UTC on Nov 30: after that day's noon, so the day is November's.
    const december = periodOf("this_month", new Date("2026-12-10T12:00:00Z"), "Europe/Paris");
    expect(departmentTotals(legacy, Date.parse(december.from), Date.parse(december.to)).size).toBe(0);
    const november = periodOf("last_month", new Date("2026-12-10T12:00:00Z"), "Europe/Paris");
    expect(Object.fromEntries(departmentTotals(legacy, Date.parse(november.from), Date.parse(november.to)))).toEqual(whole);
  });
});
