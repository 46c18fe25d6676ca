/** The usage report's period: presets, the days they cover, and the range the API is asked for. */
import type { UsageRange } from "../../api/credits";
import type { MessageKey } from "../../i18n";

export type Preset = "this_month" | "last_month" | "7d" | "30d" | "90d" | "custom";
export const PRESETS: { id: Preset; label: MessageKey }[] = [
  { id: "this_month", label: "preset.this_month" },
  { id: "last_month", label: "preset.last_month" },
  { id: "7d", label: "preset.7d" },
  { id: "30d", label: "preset.30d" },
  { id: "90d", label: "preset.90d" },
  { id: "custom", label: "preset.custom" },
];

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** yyyy-mm-dd of a local calendar day. */
export function isoDay(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** The days a preset covers, ending today (local calendar). */
export function presetDays(preset: Preset, today: string): { from: string; to: string } | undefined {
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

const isDay = (s: string | null): s is string => s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The period kept in the address (#/usage?preset=30d or #/usage?from=…&to=…), so a link reopens it. */
export function periodFrom(query: URLSearchParams, today: string): { preset: Preset; from: string; to: string } {
  const preset = query.get("preset") as Preset | null;
  const days = preset ? presetDays(preset, today) : undefined;
  if (preset && days) return { preset, ...days };
  const from = query.get("from");
  const to = query.get("to");
  // A From after To is kept as asked: the page says once why it is impossible (not a silent other period).
  if (isDay(from) && isDay(to)) return { preset: "custom", from, to };
  return { preset: "30d", ...presetDays("30d", today)! };
}

export const periodQuery = (preset: Preset, from: string, to: string): Record<string, string> => (preset === "custom" ? { from, to } : { preset });

/** The picked days as the API's range: from the first day's start to the end of the last (exclusive). */
/** Calendar days, `to` exclusive: the API counts them as the tenant's days (in its time zone). */
export function toRange(fromDay: string, toDay: string): UsageRange {
  return { from: fromDay, to: addDays(toDay, 1) };
}

/** Every day of the range (at most 400), so a day without calls is a zero bar, not a gap in the axis. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let day = fromDay; day <= toDay && days.length < 400; day = addDays(day, 1)) days.push(day);
  return days;
}
