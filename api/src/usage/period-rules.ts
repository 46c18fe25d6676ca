/**
 * One definition of a named period ("last 30 days", "this month"…) for every surface: the bot's
 * usage command, the tab's usage page, exports and budgets ask the API for the same instants.
 *
 * A period is whole calendar days in the tenant's time zone, today included: "last 30 days" on
 * Dec 7 is Nov 8 00:00 through Dec 8 00:00 (exclusive) in that zone. Pure functions over values.
 */
import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, startOfDay, startOfMonth } from "date-fns";

export const PERIOD_NAMES = ["7d", "30d", "90d", "this_month", "last_month"] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** The zone when a tenant has none: UTC, the zone the day rollups are kept in. */
export const DEFAULT_TIME_ZONE = "UTC";

export interface Period {
  name: PeriodName;
  /** First instant (inclusive), UTC ISO. */
  from: string;
  /** End instant (exclusive), UTC ISO. */
  to: string;
  /** The calendar days a person reads, in the tenant's zone: first and last day, both included. */
  firstDay: string;
  lastDay: string;
  timeZone: string;
}

export function isPeriodName(value: unknown): value is PeriodName {
  return typeof value === "string" && (PERIOD_NAMES as readonly string[]).includes(value);
}

/** The zone as Intl names it ("europe/paris" → "Europe/Paris"), or undefined when Intl does not know it. */
export function canonicalTimeZone(zone: unknown): string | undefined {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** A zone Intl knows, else the default (a tenant setting is never a reason to fail a report). */
export function knownTimeZone(zone: string | null | undefined): string {
  return canonicalTimeZone(zone) ?? DEFAULT_TIME_ZONE;
}

function day(date: TZDate): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The instants and days of `name` at `now` in `timeZone`. */
export function periodOf(name: PeriodName, now: Date, timeZone: string = DEFAULT_TIME_ZONE): Period {
  const zone = knownTimeZone(timeZone);
  const today = startOfDay(new TZDate(now.getTime(), zone));
  const tomorrow = addDays(today, 1);
  let from: TZDate;
  let to: TZDate = tomorrow;
  switch (name) {
    case "7d":
      from = addDays(today, -6);
      break;
    case "30d":
      from = addDays(today, -29);
      break;
    case "90d":
      from = addDays(today, -89);
      break;
    case "this_month":
      from = startOfMonth(today);
      break;
    case "last_month":
      to = startOfMonth(today);
      from = addMonths(to, -1);
      break;
  }
  return { name, from: new Date(from.getTime()).toISOString(), to: new Date(to.getTime()).toISOString(), firstDay: day(from), lastDay: day(addDays(to, -1)), timeZone: zone };
}

/** The calendar month (yyyy-mm) an instant falls in, in the tenant's zone (budgets count per month). */
export function monthOf(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return day(new TZDate(at.getTime(), knownTimeZone(timeZone))).slice(0, 7);
}

/**
 * A calendar day a person picked (yyyy-mm-dd) as the instant it starts in the tenant's zone, or
 * undefined when the text is not a real day (then the range parser refuses it in words).
 */
export function localDayStart(day: unknown, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  if (typeof day !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  const start = new TZDate(y, m - 1, d, knownTimeZone(timeZone));
  return start.getMonth() === m - 1 && start.getDate() === d ? new Date(start.getTime()).toISOString() : undefined;
}
