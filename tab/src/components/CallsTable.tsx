/**
 * The per-call list of the PSTN usage report: every rated call of the period, sortable by any
 * column, virtualised (fixed row height; only the rows in view plus a margin are in the DOM), so
 * 10,000+ calls scroll smoothly. A table in ARIA terms: aria-rowcount is the whole list and each
 * rendered row carries its aria-rowindex, so a screen reader knows where it is.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import type { RatedCallView } from "@cc/common";
import { useMemo, useRef, useState, type UIEvent } from "react";
import { useI18n, type I18n, type MessageKey } from "../i18n";

export const ROW_HEIGHT = 36;
const VIEW_HEIGHT = 440;
const OVERSCAN = 8;

export type CallSortKey = "start" | "user" | "caller" | "callType" | "numberType" | "context" | "destination" | "number" | "duration" | "fee" | "charge" | "chargedTo";

interface Column {
  key: CallSortKey;
  width: number;
  numeric?: boolean;
}

/** The admin center report's columns (UPN and display name as one "User" column). */
const COLUMNS: Column[] = [
  { key: "start", width: 150 },
  { key: "user", width: 200 },
  { key: "caller", width: 130 },
  { key: "callType", width: 170 },
  { key: "numberType", width: 130 },
  { key: "context", width: 190 },
  { key: "destination", width: 170 },
  { key: "number", width: 170 },
  { key: "duration", width: 100, numeric: true },
  { key: "fee", width: 160, numeric: true },
  { key: "charge", width: 110, numeric: true },
  { key: "chargedTo", width: 110 },
];
const TEMPLATE = COLUMNS.map((c) => `${c.width}px`).join(" ");
const WIDTH = COLUMNS.reduce((w, c) => w + c.width, 0);

/** A Graph or API value in words ("chargedTo.credits", "numberType.Toll Free"); a newer value as it came. */
const inWords = (i18n: I18n, prefix: string, value: string | null | undefined) =>
  !value ? "—" : i18n.has(`${prefix}.${value}`) ? i18n.t(`${prefix}.${value}` as MessageKey) : value;

const useStyles = makeStyles({
  scroller: {
    height: `${VIEW_HEIGHT}px`,
    maxHeight: "70vh",
    overflow: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  header: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    display: "grid",
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  headCell: {
    display: "flex",
    alignItems: "center",
    height: `${ROW_HEIGHT}px`,
    padding: `0 ${tokens.spacingHorizontalS}`,
    fontWeight: tokens.fontWeightSemibold,
  },
  sortButton: {
    border: "none",
    background: "none",
    color: "inherit",
    font: "inherit",
    padding: 0,
    textAlign: "start",
    cursor: "pointer",
    width: "100%",
    display: "flex",
    gap: tokens.spacingHorizontalXS,
    alignItems: "center",
    whiteSpace: "nowrap",
    overflow: "hidden",
    textOverflow: "ellipsis",
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: "-2px" },
  },
  row: { display: "grid", height: `${ROW_HEIGHT}px`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, boxSizing: "border-box" },
  cell: { display: "flex", alignItems: "center", padding: `0 ${tokens.spacingHorizontalS}`, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", minWidth: 0 },
  numeric: { justifyContent: "flex-end", fontVariantNumeric: "tabular-nums" },
});

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

/** Only a fee actually charged to credits is a fee the organisation paid (as in the export). */
const feeOf = (call: RatedCallView) => (call.chargedTo === "credits" ? call.connectionFeeMicros ?? 0 : 0);

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function CallsTable({
  calls,
  money,
  destinationName,
  callTypeName,
  label,
}: {
  calls: RatedCallView[];
  money: (micros: number, currency: string) => string;
  destinationName: (call: RatedCallView) => string;
  callTypeName: (type: string) => string;
  label: string;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const [sort, setSort] = useState<{ key: CallSortKey; desc: boolean }>({ key: "start", desc: true });
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);

  const sorted = useMemo(() => {
    const keyed = calls.map((call) => ({ call, value: sortValue(call, sort.key, destinationName) }));
    keyed.sort((a, b) => {
      const order = a.value < b.value ? -1 : a.value > b.value ? 1 : a.call.id < b.call.id ? -1 : 1;
      return sort.desc ? -order : order;
    });
    return keyed.map((k) => k.call);
  }, [calls, sort, destinationName]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const shown = sorted.slice(first, last);

  function sortBy(key: CallSortKey) {
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key === "start" || key === "charge" || key === "duration" || key === "fee" }));
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }

  return (
    <div
      ref={scroller}
      className={styles.scroller}
      onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}
      role="table"
      aria-label={label}
      aria-rowcount={sorted.length + 1}
      tabIndex={0}
      data-testid="calls-table"
      data-rows={sorted.length}
    >
      <div role="rowgroup" className={styles.header} style={{ gridTemplateColumns: TEMPLATE, width: WIDTH }}>
        <div role="row" aria-rowindex={1} style={{ display: "contents" }}>
          {COLUMNS.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={`${styles.headCell} ${c.numeric ? styles.numeric : ""}`}
              aria-sort={sort.key === c.key ? (sort.desc ? "descending" : "ascending") : "none"}
            >
              <button type="button" className={styles.sortButton} onClick={() => sortBy(c.key)} data-testid={`calls-sort-${c.key}`} style={c.numeric ? { justifyContent: "flex-end" } : undefined}>
                {i18n.t(`callsCol.${c.key}`)}
                <span aria-hidden="true">{sort.key === c.key ? (sort.desc ? "↓" : "↑") : ""}</span>
              </button>
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: sorted.length * ROW_HEIGHT, width: WIDTH, position: "relative" }}>
        {shown.map((call, i) => {
          const index = first + i;
          return (
            <div
              key={call.id}
              role="row"
              aria-rowindex={index + 2}
              className={styles.row}
              style={{ gridTemplateColumns: TEMPLATE, position: "absolute", top: index * ROW_HEIGHT, left: 0, width: WIDTH }}
              data-testid="call-row"
              data-charge-micros={call.chargeMicros}
              data-start={call.startDateTime}
            >
              <div role="cell" className={styles.cell}>{i18n.formatDateTime(call.startDateTime)}</div>
              <div role="cell" className={styles.cell} title={call.userPrincipalName ?? undefined}>{call.userDisplayName || call.userPrincipalName || "—"}</div>
              <div role="cell" className={styles.cell}>{call.callerNumber || "—"}</div>
              <div role="cell" className={styles.cell}>{callTypeName(call.callType)}</div>
              <div role="cell" className={styles.cell}>{inWords(i18n, "numberType", call.inventoryType)}</div>
              <div role="cell" className={styles.cell}>{inWords(i18n, "context", call.destinationContext)}</div>
              <div role="cell" className={styles.cell}>{destinationName(call) || "—"}</div>
              <div role="cell" className={styles.cell}>{call.calleeNumber || "—"}</div>
              <div role="cell" className={`${styles.cell} ${styles.numeric}`}>{duration(call.duration)}</div>
              <div role="cell" className={`${styles.cell} ${styles.numeric}`}>{money(feeOf(call), call.currency)}</div>
              <div role="cell" className={`${styles.cell} ${styles.numeric}`}>{money(call.chargeMicros, call.currency)}</div>
              <div role="cell" className={styles.cell}>{inWords(i18n, "chargedTo", call.chargedTo)}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
