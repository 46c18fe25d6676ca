/**
 * Local days from UTC quarter hours (pure, values in, values out). The day rollups are kept per UTC
 * day with their tallies per quarter hour of that day (rollups.ts); every zone in use today is a
 * whole number of quarter hours from UTC (Asia/Kolkata +5:30, Asia/Kathmandu +5:45,
 * America/St_Johns −3:30, Australia/Eucla +8:45…), so every local midnight, DST days included, is a
 * quarter-hour boundary and a period of local days is exactly a set of quarters. A quarter belongs
 * to the local day its first instant falls in.
 */
import { TZDate } from "@date-fns/tz";
import { addDays, startOfDay } from "date-fns";
import { knownTimeZone } from "./period-rules.js";
import { partOfDayImpact, type ImpactTally, type QuarterImpact } from "./impact-rules.js";

export const QUARTER_MS = 900_000;
export const QUARTERS_PER_DAY = 96;
const DAY_MS = 86_400_000;

/** "00".."95": the UTC quarter hour of the day an ISO instant starts in (an unreadable instant: "00"). */
export function quarterOf(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "00";
  return String(Math.floor((((at % DAY_MS) + DAY_MS) % DAY_MS) / QUARTER_MS)).padStart(2, "0");
}

/** The first instant (epoch ms) of quarter `key` of UTC day `day` (yyyy-mm-dd). */
export function quarterStart(day: string, key: string): number {
  return Date.parse(`${day}T00:00:00Z`) + Number(key) * QUARTER_MS;
}

/** Noon of a UTC day: where a whole-day tally written before the quarters is counted. */
export function utcNoon(day: string): number {
  return Date.parse(`${day}T12:00:00Z`);
}

/** The UTC days (yyyy-mm-dd, oldest first) holding any instant of [fromMs, toMs). */
export function utcDaysTouching(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t < toMs; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (yyyy-mm-dd) an instant falls on in `zone`. */
export function localDayOf(atMs: number, zone: string): string {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: knownTimeZone(zone), year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(zone, format);
  }
  return format.format(atMs);
}

/** [from, to) of the local day containing `now` in `zone`, as epoch ms (23, 24 or 25 hours). */
export function localDayWindow(now: Date, zone: string): { from: number; to: number } {
  const today = startOfDay(new TZDate(now.getTime(), knownTimeZone(zone)));
  return { from: today.getTime(), to: addDays(today, 1).getTime() };
}

/** [from, to) of the `count` complete local days before the day containing `now`, and those days oldest first. */
export function completeLocalDaysBefore(now: Date, zone: string, count: number): { from: number; to: number; days: string[] } {
  const today = startOfDay(new TZDate(now.getTime(), knownTimeZone(zone)));
  const first = addDays(today, -count);
  const days = Array.from({ length: count }, (_, i) => localDayOf(addDays(first, i).getTime(), zone));
  return { from: first.getTime(), to: today.getTime(), days };
}

/** A count of calls (the rollups' Tally, declared here so this file stays free of the store). */
export interface Counted {
  calls: number;
  minutes: number;
  chargeMicros: number;
}

/** A count as the quarters store it, to keep the documents small: [calls, minutes, chargeMicros]. */
export type Triple = [calls: number, minutes: number, chargeMicros: number];

/** One UTC quarter hour of a day as stored: by destination (`d`), call type (`k`) and who paid (`p`); its totals are the sum of `p` (every call has one payer). */
export interface StoredQuarter {
  d: Record<string, Triple>;
  k: Record<string, Triple>;
  p: Record<string, Triple>;
  /** The quarter's calls charged to credits as the zero-balance impact counts them, without their callers (impact-rules.ts). */
  i?: QuarterImpact;
}

/** Add `one` into `map[key]`. */
export function addTriple(map: Record<string, Triple>, key: string, one: Triple): void {
  const slot = (map[key] ??= [0, 0, 0]);
  slot[0] += one[0];
  slot[1] += one[1];
  slot[2] += one[2];
}

/** A day rollup as read: whole-day tallies, and per quarter when it has them (rollups.ts DayRollupDoc). */
export interface DayParts extends Counted {
  day: string;
  byDestination: Record<string, Counted & { name?: string }>;
  byCallType: Record<string, Counted>;
  byChargedTo: Record<string, Counted>;
  quarters?: Record<string, StoredQuarter>;
}

/** A day's per-user totals as read from its shards (rollups.ts UserTally by userId), with the user's quarters when it has them. */
export type DayUsers = Record<string, Counted & { upn: string; displayName: string; quarters?: Record<string, Triple> }>;

/** Part of a day, read: its totals and its tallies by destination, call type and who paid. */
export interface DayPart extends Counted {
  byDestination: Record<string, Counted>;
  byCallType: Record<string, Counted>;
  byChargedTo: Record<string, Counted>;
}

/** A tally that sits at one instant: a quarter's (its first instant), or a whole day's written before the quarters (its UTC noon). */
export interface Slice<T> {
  at: number;
  value: T;
}

const counted = (t: Triple): Counted => ({ calls: t[0], minutes: t[1], chargeMicros: t[2] });
const countedMap = (m: Record<string, Triple>) => Object.fromEntries(Object.entries(m).map(([k, t]) => [k, counted(t)]));

/** The parts of one UTC day: its quarters when it has them, else the whole day at noon. */
export function daySlices(doc: DayParts): Slice<DayPart>[] {
  if (!doc.quarters) return [{ at: utcNoon(doc.day), value: doc }];
  return Object.entries(doc.quarters).map(([key, q]) => {
    const total: Triple = [0, 0, 0];
    for (const t of Object.values(q.p)) addTriple({ total }, "total", t);
    return { at: quarterStart(doc.day, key), value: { ...counted(total), byDestination: countedMap(q.d), byCallType: countedMap(q.k), byChargedTo: countedMap(q.p) } };
  });
}

/** One user's parts of a UTC day: the user's quarters when the entry has them, else the whole day at noon. */
export function userSlices(day: string, user: Counted & { quarters?: Record<string, Triple> }): Slice<Counted>[] {
  if (!user.quarters) return [{ at: utcNoon(day), value: user }];
  return Object.entries(user.quarters).map(([key, t]) => ({ at: quarterStart(day, key), value: counted(t) }));
}

/** Is the slice inside [fromMs, toMs)? */
export const within = (slice: Slice<unknown>, fromMs: number, toMs: number) => slice.at >= fromMs && slice.at < toMs;

export type Grouping = "day" | "user" | "destination" | "callType";

export interface GroupTotal extends Counted {
  key: string;
  label: string;
}

/** Keys the rollups use for "no user" and "no known destination". */
export const NO_USER = "_none";
export const UNKNOWN_DESTINATION = "_unknown";

/**
 * The calls of [fromMs, toMs) grouped by local day (in `zone`), user, destination or call type,
 * from the day rollups of the UTC days it touches (`users`: each day's shards, for `user`). Groups
 * by day ascending, the others by charge, then minutes, then key.
 */
export function summarizeDays(
  docs: readonly DayParts[],
  users: ReadonlyMap<string, readonly DayUsers[]>,
  fromMs: number,
  toMs: number,
  zone: string,
  groupBy: Grouping,
): { from: string; to: string; groups: GroupTotal[]; totals: Counted } {
  const groups = new Map<string, GroupTotal>();
  const totals: Counted = { calls: 0, minutes: 0, chargeMicros: 0 };
  const add = (key: string, label: string, t: Counted) => {
    const g = groups.get(key) ?? { key, label, calls: 0, minutes: 0, chargeMicros: 0 };
    g.calls += t.calls;
    g.minutes += t.minutes;
    g.chargeMicros += t.chargeMicros;
    if (label) g.label = label;
    groups.set(key, g);
  };
  for (const doc of docs) {
    for (const { at, value: part } of daySlices(doc)) {
      if (at < fromMs || at >= toMs) continue;
      totals.calls += part.calls;
      totals.minutes += part.minutes;
      totals.chargeMicros += part.chargeMicros;
      if (groupBy === "day") {
        const day = localDayOf(at, zone);
        add(day, day, part);
      } else if (groupBy === "destination") {
        for (const [k, v] of Object.entries(part.byDestination)) add(k === UNKNOWN_DESTINATION ? "" : k, doc.byDestination[k]?.name ?? "", v);
      } else if (groupBy === "callType") {
        for (const [k, v] of Object.entries(part.byCallType)) add(k, k, v);
      }
    }
    if (groupBy !== "user") continue;
    for (const shard of users.get(doc.day) ?? []) {
      for (const [k, v] of Object.entries(shard)) {
        for (const slice of userSlices(doc.day, v)) {
          if (within(slice, fromMs, toMs)) add(k === NO_USER ? "" : k, k === NO_USER ? "(no user)" : v.displayName || v.upn || k, slice.value);
        }
      }
    }
  }
  const ordered = [...groups.values()].sort(
    groupBy === "day" ? (a, b) => (a.key < b.key ? -1 : 1) : (a, b) => b.chargeMicros - a.chargeMicros || b.minutes - a.minutes || (a.key < b.key ? -1 : 1),
  );
  return { from: localDayOf(fromMs, zone), to: localDayOf(toMs, zone), groups: ordered, totals };
}

/**
 * How a UTC day's impact counts in [fromMs, toMs): "whole" when the day is inside (its whole tally),
 * the tally of its quarters inside when the period's edge cuts it (calls and minutes exact; the
 * callers are the whole day's), "whole" or nothing for a day from before the quarters (by its noon).
 */
export function impactPartOfDay(
  doc: { day: string; quarters?: Record<string, StoredQuarter>; impact?: ImpactTally },
  fromMs: number,
  toMs: number,
): ImpactTally | "whole" | undefined {
  const start = Date.parse(`${doc.day}T00:00:00Z`);
  if (start >= fromMs && start + DAY_MS <= toMs) return "whole";
  if (doc.quarters && doc.impact) {
    const inside = Object.entries(doc.quarters).filter(([key]) => within({ at: quarterStart(doc.day, key), value: null }, fromMs, toMs));
    return partOfDayImpact(
      inside.flatMap(([, q]) => (q.i ? [q.i] : [])),
      doc.impact,
    );
  }
  return within({ at: utcNoon(doc.day), value: null }, fromMs, toMs) ? "whole" : undefined;
}
