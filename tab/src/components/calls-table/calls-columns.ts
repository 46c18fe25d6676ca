/** The calls table's columns: what each shows, how it sorts, which fit. Values in, values out. */
import type { RatedCallView } from "@cc/common";
import type { I18n, MessageKey } from "../../i18n";

export type CallSortKey = "start" | "user" | "caller" | "callType" | "numberType" | "context" | "destination" | "number" | "duration" | "fee" | "charge" | "chargedTo";

export interface Column {
  key: CallSortKey;
  numeric?: boolean;
}

/** The admin center report's columns (UPN and display name as one "User" column), in the report's order. */
export const COLUMNS: Column[] = [
  { key: "start" },
  { key: "user" },
  { key: "caller" },
  { key: "callType" },
  { key: "numberType" },
  { key: "context" },
  { key: "destination" },
  { key: "number" },
  { key: "duration", numeric: true },
  { key: "fee", numeric: true },
  { key: "charge", numeric: true },
  { key: "chargedTo" },
];

/** Which columns are shown first when not all fit: the table shows as many of these, in this order, as its width holds. */
export const PRIORITY: CallSortKey[] = ["start", "charge", "destination", "user", "callType", "duration", "chargedTo", "number", "numberType", "context", "fee", "caller"];

/** How a cell's words are found: the page's money, destination and call type names, and a short start time in a narrow table. */
export interface CellWords {
  i18n: I18n;
  money: (micros: number, currency: string) => string;
  destinationName: (call: RatedCallView) => string;
  callTypeName: (type: string) => string;
  shortStart?: Intl.DateTimeFormat;
}

/** A Graph or API value in words ("chargedTo.credits", "numberType.Toll Free"); a newer value as it came. */
const inWords = (i18n: I18n, prefix: string, value: string | null | undefined) =>
  !value ? "—" : i18n.has(`${prefix}.${value}`) ? i18n.t(`${prefix}.${value}` as MessageKey) : value;

/** Only a fee actually charged to credits is a fee the organisation paid (as in the export). */
const feeOf = (call: RatedCallView) => (call.chargedTo === "credits" ? (call.connectionFeeMicros ?? 0) : 0);

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

function sortValue(call: RatedCallView, key: CallSortKey, name: (call: RatedCallView) => string): string | number {
  switch (key) {
    case "start":
      return call.startDateTime;
    case "user":
      return (call.userDisplayName || call.userPrincipalName || "").toLowerCase();
    case "caller":
      return call.callerNumber;
    case "callType":
      return call.callType;
    case "numberType":
      return call.inventoryType ?? "";
    case "context":
      return call.destinationContext ?? "";
    case "destination":
      return name(call).toLowerCase();
    case "number":
      return call.calleeNumber;
    case "duration":
      return call.duration;
    case "fee":
      return feeOf(call);
    case "charge":
      return call.chargeMicros;
    case "chargedTo":
      return call.chargedTo;
  }
}

/** The calls in the column's order (ties by id, so the order is stable), descending when asked. */
export function sortCalls(calls: RatedCallView[], sort: { key: CallSortKey; desc: boolean }, destinationName: (call: RatedCallView) => string): RatedCallView[] {
  const keyed = calls.map((call) => ({ call, value: sortValue(call, sort.key, destinationName) }));
  keyed.sort((a, b) => {
    const order = a.value < b.value ? -1 : a.value > b.value ? 1 : a.call.id < b.call.id ? -1 : 1;
    return sort.desc ? -order : order;
  });
  return keyed.map((k) => k.call);
}

/** A column sorted for the first time: times and amounts biggest first, words from A. */
export const sortsDescending = (key: CallSortKey) => key === "start" || key === "charge" || key === "duration" || key === "fee";

/** A cell's text, as shown. */
export function cellText(call: RatedCallView, key: CallSortKey, words: CellWords): string {
  const { i18n, money, shortStart } = words;
  switch (key) {
    case "start":
      return shortStart ? shortStart.format(new Date(call.startDateTime)) : i18n.formatDateTime(call.startDateTime);
    case "user":
      return call.userDisplayName || call.userPrincipalName || "—";
    case "caller":
      return call.callerNumber || "—";
    case "callType":
      return words.callTypeName(call.callType);
    case "numberType":
      return inWords(i18n, "numberType", call.inventoryType);
    case "context":
      return inWords(i18n, "context", call.destinationContext);
    case "destination":
      return words.destinationName(call) || "—";
    case "number":
      return call.calleeNumber || "—";
    case "duration":
      return duration(call.duration);
    case "fee":
      return money(feeOf(call), call.currency);
    case "charge":
      return money(call.chargeMicros, call.currency);
    case "chargedTo":
      return inWords(i18n, "chargedTo", call.chargedTo);
  }
}

/** Shown: the chosen columns, else as many as fit in PRIORITY order (at least the first), in the report's order. */
export function fitColumns(chosen: CallSortKey[] | null, widths: Record<CallSortKey, number>, room: number): Column[] {
  let keys: CallSortKey[];
  if (chosen) keys = chosen;
  // No layout to fit in (nothing measured): every column.
  else if (room === 0) keys = PRIORITY;
  else {
    keys = [];
    let used = 0;
    for (const key of PRIORITY) {
      if (keys.length > 0 && used + widths[key] > room) continue;
      keys.push(key);
      used += widths[key];
    }
  }
  return COLUMNS.filter((c) => keys.includes(c.key));
}
