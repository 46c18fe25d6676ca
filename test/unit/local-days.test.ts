/**
 * Local days from the UTC quarter hours of the day rollups (api/src/usage/local-day-rules.ts,
 * rollups.ts): for random calls, zones and named periods, the summary assembled from the rollups
 * counts exactly the calls a brute-force pass over the records counts — the same calls, minutes and
 * money, by local day, destination, call type and user — including half- and quarter-hour zones and
 * the days Europe/Paris changes its clocks.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dayDeltas } from "../../api/src/usage/rollups.js";
import {
  completeLocalDaysBefore,
  impactPartOfDay,
  localDayOf,
  localDayWindow,
  quarterOf,
  summarizeDays,
  utcDaysTouching,
  type Grouping,
} from "../../api/src/usage/local-day-rules.js";
import { emptyImpactTally, impactOf, mergeImpact } from "../../api/src/usage/impact-rules.js";
import { PERIOD_NAMES, periodOf } from "../../api/src/usage/period-rules.js";
import type { RatedCallDoc } from "../../api/src/usage/rated-call.js";

const ZONES = ["UTC", "Europe/Paris", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Australia/Eucla", "Pacific/Chatham", "America/Los_Angeles", "Australia/Adelaide"];
const DESTINATIONS = ["FR", "GB", "US", ""];
const CALL_TYPES = ["user_out", "conf_out", "user_in"];
const PAID_BY = ["credits", "plan", "none"] as const;
const USERS = ["u1", "u2", "u3", ""];

interface Call {
  at: number;
  destination: string;
  callType: string;
  chargedTo: (typeof PAID_BY)[number];
  userId: string;
  minutes: number;
  micros: number;
}

function record(c: Call, i: number): RatedCallDoc {
  const iso = new Date(c.at).toISOString();
  return {
    id: `r${i}`,
    startDateTime: iso,
    day: iso.slice(0, 10),
    sortKey: `${iso}|r${i}`,
    userId: c.userId,
    userPrincipalName: c.userId ? `${c.userId}@contoso.example` : null,
    userDisplayName: c.userId ? c.userId.toUpperCase() : null,
    destinationCountry: c.destination,
    callType: c.callType,
    chargedTo: c.chargedTo,
    billedMinutes: c.minutes,
    chargeMicros: c.micros,
    currency: "USD",
    calleeNumber: "+33612345678",
  } as unknown as RatedCallDoc;
}

/** The independent answer: each record's own instant and its calendar day as `toLocaleDateString` says it. */
function bruteForce(calls: readonly Call[], from: number, to: number, zone: string, groupBy: Grouping) {
  const inside = calls.filter((c) => c.at >= from && c.at < to);
  const groups = new Map<string, { calls: number; minutes: number; chargeMicros: number }>();
  for (const c of inside) {
    const key =
      groupBy === "day"
        ? new Date(c.at).toLocaleDateString("sv-SE", { timeZone: zone })
        : groupBy === "destination"
          ? c.destination
          : groupBy === "callType"
            ? c.callType
            : c.userId;
    const g = groups.get(key) ?? { calls: 0, minutes: 0, chargeMicros: 0 };
    g.calls++;
    g.minutes += c.minutes;
    g.chargeMicros += c.micros;
    groups.set(key, g);
  }
  const totals = inside.reduce((t, c) => ({ calls: t.calls + 1, minutes: t.minutes + c.minutes, chargeMicros: t.chargeMicros + c.micros }), {
    calls: 0,
    minutes: 0,
    chargeMicros: 0,
  });
  return { totals, groups: Object.fromEntries([...groups].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

function assembled(calls: readonly Call[], from: number, to: number, zone: string, groupBy: Grouping) {
  // The day documents one ingestion writes (several ingestions add up the same way: test/integration/tenant-time-zone.test.ts).
  const deltas = [
    ...dayDeltas(
      calls.map(record),
      (code) => code,
      () => "US",
    ).values(),
  ];
  // The summary reads the documents of the UTC days the period touches, and only those.
  const touched = new Set(utcDaysTouching(from, to));
  const docs = deltas.filter((d) => touched.has(d.day));
  const users = new Map(docs.map((d) => [d.day, [d.byUser]]));
  const result = summarizeDays(docs, users, from, to, zone, groupBy);
  const groups = Object.fromEntries(
    result.groups.map((g) => [g.key, { calls: g.calls, minutes: g.minutes, chargeMicros: g.chargeMicros }] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { totals: result.totals, groups };
}

const base = Date.parse("2026-10-01T00:00:00Z");
const callArb = fc.record({
  at: fc.integer({ min: base - 120 * 86_400_000, max: base + 60 * 86_400_000 }),
  destination: fc.constantFrom(...DESTINATIONS),
  callType: fc.constantFrom(...CALL_TYPES),
  chargedTo: fc.constantFrom(...PAID_BY),
  userId: fc.constantFrom(...USERS),
  minutes: fc.integer({ min: 0, max: 30 }),
  micros: fc.integer({ min: 0, max: 5_000_000 }),
});

/** Calls near a period's edges (within 36 hours either side of its first or its end instant), where a zone's offset matters. */
const nearEdgeArb = fc.array(
  fc.record({ edge: fc.constantFrom<"from" | "to">("from", "to"), offsetMs: fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 }), call: callArb }),
  {
    maxLength: 60,
  },
);
const placed = (near: { edge: "from" | "to"; offsetMs: number; call: Call }[], from: number, to: number): Call[] =>
  near.map(({ edge, offsetMs, call }) => ({ ...call, at: (edge === "from" ? from : to) + offsetMs }));

describe("a period of local days from UTC quarter hours", () => {
  it("counts exactly the calls a brute-force pass over the records counts, for any zone, period and grouping", () => {
    fc.assert(
      fc.property(
        fc.array(callArb, { maxLength: 300 }),
        nearEdgeArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(...PERIOD_NAMES),
        fc.integer({ min: base - 60 * 86_400_000, max: base + 60 * 86_400_000 }),
        fc.constantFrom<Grouping>("day", "destination", "callType", "user"),
        (spread, near, zone, name, now, groupBy) => {
          const period = periodOf(name, new Date(now), zone);
          const from = Date.parse(period.from);
          const to = Date.parse(period.to);
          const calls = [...spread, ...placed(near, from, to)];
          const got = assembled(calls, from, to, zone, groupBy);
          expect(got).toEqual(bruteForce(calls, from, to, zone, groupBy));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("counts the zero-balance impact's calls of the period exactly, from whole days and the quarters of the days its edges cut", () => {
    fc.assert(
      fc.property(
        fc.array(callArb, { maxLength: 200 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: base - 60 * 86_400_000, max: base + 60 * 86_400_000 }),
        (calls, zone, now) => {
          const period = periodOf("30d", new Date(now), zone);
          const from = Date.parse(period.from);
          const to = Date.parse(period.to);
          const docs = [
            ...dayDeltas(
              calls.map(record),
              (code) => code,
              () => "US",
            ).values(),
          ].filter((d) => utcDaysTouching(from, to).includes(d.day));
          const total = emptyImpactTally();
          for (const doc of docs) {
            const part = impactPartOfDay(doc, from, to);
            if (part) mergeImpact(total, part === "whole" ? doc.impact! : part);
          }
          const got = impactOf(total, () => "");
          const inside = calls.filter((c) => c.at >= from && c.at < to && c.chargedTo === "credits");
          // user_out calls are international (a destination abroad) or beyond the plan (US, or unknown); conf_out are dial-outs; user_in are not toll-free here.
          const international = inside.filter((c) => c.callType === "user_out" && c.destination !== "" && c.destination !== "US");
          expect(got.international.calls).toBe(international.length);
          expect(got.beyondPlan.calls).toBe(inside.filter((c) => c.callType === "user_out").length - international.length);
          expect(got.conferenceDialOut).toEqual({
            calls: inside.filter((c) => c.callType === "conf_out").length,
            minutes: inside.filter((c) => c.callType === "conf_out").reduce((s, c) => s + c.minutes, 0),
          });
          // The callers: at least those inside, at most those of the UTC days touched.
          const users = new Set(international.filter((c) => c.userId).map((c) => c.userId)).size;
          expect(got.international.users).toBeGreaterThanOrEqual(users);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("puts a call on the Paris calendar day it happened on, across both clock changes of 2026", () => {
    const zone = "Europe/Paris";
    const calls: Call[] = [
      // 29 March 2026 (23 hours): 00:30 CET is 23:30 UTC the day before; 23:45 CEST is 21:45 UTC.
      { at: Date.parse("2026-03-28T23:30:00Z"), destination: "FR", callType: "user_out", chargedTo: "credits", userId: "u1", minutes: 1, micros: 1_000_000 },
      { at: Date.parse("2026-03-29T21:45:00Z"), destination: "FR", callType: "user_out", chargedTo: "credits", userId: "u1", minutes: 2, micros: 2_000_000 },
      // 00:15 CEST on 30 March is 22:15 UTC on the 29th: the 30th in Paris.
      { at: Date.parse("2026-03-29T22:15:00Z"), destination: "GB", callType: "user_out", chargedTo: "credits", userId: "u2", minutes: 3, micros: 3_000_000 },
      // 25 October 2026 (25 hours): 02:30 happens twice; 23:59 CET is 22:59 UTC.
      { at: Date.parse("2026-10-25T00:30:00Z"), destination: "US", callType: "conf_out", chargedTo: "credits", userId: "u3", minutes: 4, micros: 4_000_000 },
      { at: Date.parse("2026-10-25T01:30:00Z"), destination: "US", callType: "conf_out", chargedTo: "credits", userId: "u3", minutes: 5, micros: 5_000_000 },
      { at: Date.parse("2026-10-25T22:59:00Z"), destination: "US", callType: "conf_out", chargedTo: "credits", userId: "u3", minutes: 6, micros: 6_000_000 },
      { at: Date.parse("2026-10-25T23:00:00Z"), destination: "US", callType: "conf_out", chargedTo: "credits", userId: "u3", minutes: 7, micros: 7_000_000 },
    ];
    const spring = periodOf("7d", new Date("2026-03-31T10:00:00Z"), zone);
    const days = assembled(calls, Date.parse(spring.from), Date.parse(spring.to), zone, "day").groups;
    expect(days).toEqual({ "2026-03-29": { calls: 2, minutes: 3, chargeMicros: 3_000_000 }, "2026-03-30": { calls: 1, minutes: 3, chargeMicros: 3_000_000 } });
    const autumn = periodOf("7d", new Date("2026-10-26T10:00:00Z"), zone);
    expect(Date.parse(autumn.to) - Date.parse(autumn.from)).toBe(7 * 86_400_000 + 3_600_000); // a week with a 25-hour day
    expect(assembled(calls, Date.parse(autumn.from), Date.parse(autumn.to), zone, "day").groups).toEqual({
      "2026-10-25": { calls: 3, minutes: 15, chargeMicros: 15_000_000 },
      "2026-10-26": { calls: 1, minutes: 7, chargeMicros: 7_000_000 },
    });
  });

  it("knows the quarter hours, the local day windows and the days before today", () => {
    expect(quarterOf("2026-12-07T00:00:00Z")).toBe("00");
    expect(quarterOf("2026-12-07T05:44:59.999Z")).toBe("22");
    expect(quarterOf("2026-12-07T23:59:59Z")).toBe("95");
    expect(localDayOf(Date.parse("2026-12-07T18:20:00Z"), "Asia/Kathmandu")).toBe("2026-12-08"); // +5:45: 00:05 on the 8th
    expect(localDayOf(Date.parse("2026-12-07T18:10:00Z"), "Asia/Kathmandu")).toBe("2026-12-07");
    const stJohns = localDayWindow(new Date("2026-12-07T02:00:00Z"), "America/St_Johns"); // 22:30 on the 6th, −3:30
    expect([new Date(stJohns.from).toISOString(), new Date(stJohns.to).toISOString()]).toEqual(["2026-12-06T03:30:00.000Z", "2026-12-07T03:30:00.000Z"]);
    const basis = completeLocalDaysBefore(new Date("2026-12-07T20:00:00Z"), "Asia/Kolkata", 30); // 01:30 on the 8th in Kolkata
    expect([basis.days[0], basis.days[29], basis.days.length]).toEqual(["2026-11-08", "2026-12-07", 30]);
    expect(new Date(basis.to).toISOString()).toBe("2026-12-07T18:30:00.000Z");
    expect(utcDaysTouching(basis.from, basis.to)).toHaveLength(31);
  });
});
