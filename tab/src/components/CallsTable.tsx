/**
 * The per-call list of the PSTN usage report: every rated call of the period, sortable by any
 * column, virtualised (fixed row height; only the rows in view plus a margin are in the DOM), so
 * 10,000+ calls scroll smoothly. A table in ARIA terms: aria-rowcount is the whole list and each
 * rendered row carries its aria-rowindex, so a screen reader knows where it is.
 */
import { Button, Menu, MenuItemCheckbox, MenuList, MenuPopover, MenuTrigger, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { RatedCallView } from "@cc/common";
import { useLayoutEffect, useMemo, useRef, useState, type UIEvent } from "react";
import { useI18n, type I18n, type MessageKey } from "../i18n";

export const ROW_HEIGHT = 36;
const VIEW_HEIGHT = 440;
const OVERSCAN = 8;

export type CallSortKey = "start" | "user" | "caller" | "callType" | "numberType" | "context" | "destination" | "number" | "duration" | "fee" | "charge" | "chargedTo";

interface Column {
  key: CallSortKey;
  numeric?: boolean;
}

/** The admin center report's columns (UPN and display name as one "User" column), in the report's order. */
const COLUMNS: Column[] = [
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
const PRIORITY: CallSortKey[] = ["start", "charge", "destination", "user", "callType", "duration", "chargedTo", "number", "numberType", "context", "fee", "caller"];

/** A cell's side padding (tokens.spacingHorizontalS on each side) and room for the sort arrow. */
const CELL_PADDING = 16;
/** Below this table width (px), start times are written short. */
const NARROW = 480;
const ARROW = 14;

let canvas: HTMLCanvasElement | undefined;
/** The width of each text in the given CSS font, measured (so no column is narrower than its longest cell). */
function measure(texts: Iterable<string>, font: string): number {
  canvas ??= document.createElement("canvas");
  // No canvas (a document with no layout): no measure; the columns then keep their least width.
  let ctx: CanvasRenderingContext2D | null;
  try {
    ctx = canvas.getContext("2d");
  } catch {
    ctx = null;
  }
  if (!ctx) return 0;
  ctx.font = font;
  let widest = 0;
  for (const text of texts) widest = Math.max(widest, ctx.measureText(text).width);
  return Math.ceil(widest);
}

/** A Graph or API value in words ("chargedTo.credits", "numberType.Toll Free"); a newer value as it came. */
const inWords = (i18n: I18n, prefix: string, value: string | null | undefined) =>
  !value ? "—" : i18n.has(`${prefix}.${value}`) ? i18n.t(`${prefix}.${value}` as MessageKey) : value;

const useStyles = makeStyles({
  wrap: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalS, minWidth: 0 },
  scroller: {
    alignSelf: "stretch",
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
const feeOf = (call: RatedCallView) => (call.chargedTo === "credits" ? (call.connectionFeeMicros ?? 0) : 0);

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** A cell's text, as shown. */
function cellText(
  call: RatedCallView,
  key: CallSortKey,
  i18n: I18n,
  money: (micros: number, currency: string) => string,
  destinationName: (call: RatedCallView) => string,
  callTypeName: (type: string) => string,
  shortStart?: Intl.DateTimeFormat,
): string {
  switch (key) {
    case "start":
      return shortStart ? shortStart.format(new Date(call.startDateTime)) : i18n.formatDateTime(call.startDateTime);
    case "user":
      return call.userDisplayName || call.userPrincipalName || "—";
    case "caller":
      return call.callerNumber || "—";
    case "callType":
      return callTypeName(call.callType);
    case "numberType":
      return inWords(i18n, "numberType", call.inventoryType);
    case "context":
      return inWords(i18n, "context", call.destinationContext);
    case "destination":
      return destinationName(call) || "—";
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
  const [font, setFont] = useState<{ body: string; head: string } | null>(null);
  const [room, setRoom] = useState(0);
  // The columns the admin chose (null: as many as fit, in PRIORITY order).
  const [chosen, setChosen] = useState<CallSortKey[] | null>(null);

  // The fonts the cells and headers are drawn in, and the width the table has (followed as it changes).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const style = getComputedStyle(el);
    setFont({ body: `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`, head: `600 ${style.fontSize} ${style.fontFamily}` });
    setRoom(el.clientWidth);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setRoom(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // In a narrow table (a phone, a side panel) the start time is short ("12/7/26, 3:57 PM"), so the charge fits beside it.
  const narrow = room > 0 && room < NARROW;
  const shortStart = useMemo(() => (narrow ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: "short", timeStyle: "short" }) : undefined), [narrow, i18n.locale]);
  const text = (call: RatedCallView, key: CallSortKey) => cellText(call, key, i18n, money, destinationName, callTypeName, shortStart);

  // Each column as wide as its widest cell or header, measured once per list and language.
  const widths = useMemo(() => {
    const out = {} as Record<CallSortKey, number>;
    for (const c of COLUMNS) {
      if (!font) {
        out[c.key] = 120;
        continue;
      }
      const texts = new Set<string>();
      for (const call of calls) texts.add(cellText(call, c.key, i18n, money, destinationName, callTypeName, shortStart));
      out[c.key] = Math.max(measure(texts, font.body), measure([i18n.t(`callsCol.${c.key}`)], font.head) + ARROW) + CELL_PADDING + 2;
    }
    return out;
  }, [calls, font, i18n, money, destinationName, callTypeName, shortStart]);

  // Shown: the chosen columns, else as many as fit in PRIORITY order (at least the first), in the report's order.
  const visible = useMemo(() => {
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
  }, [chosen, widths, room]);
  const TEMPLATE = visible.map((c) => `minmax(${widths[c.key]}px, 1fr)`).join(" ");
  const WIDTH = Math.max(
    room,
    visible.reduce((w, c) => w + widths[c.key], 0),
  );
  const toggle = (key: CallSortKey, on: boolean) => {
    const now = visible.map((c) => c.key);
    const next = on ? [...now, key] : now.filter((k) => k !== key);
    setChosen(next.length > 0 ? next : now);
  };

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

  const chooser = (
    <Menu
      checkedValues={{ columns: visible.map((c) => c.key) }}
      onCheckedValueChange={(_, data) => {
        const on = data.checkedItems as CallSortKey[];
        const changed = COLUMNS.find((c) => on.includes(c.key) !== visible.some((v) => v.key === c.key));
        if (changed) toggle(changed.key, on.includes(changed.key));
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <Button aria-label={i18n.t("columnsLabel")} data-testid="calls-columns">
          {i18n.t("columns")} ({visible.length}/{COLUMNS.length})
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {COLUMNS.map((c) => (
            <MenuItemCheckbox key={c.key} name="columns" value={c.key} data-testid={`calls-column-${c.key}`}>
              {i18n.t(`callsCol.${c.key}`)}
            </MenuItemCheckbox>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );

  return (
    <div className={styles.wrap}>
      {chooser}
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
            {visible.map((c) => (
              <div
                key={c.key}
                role="columnheader"
                className={mergeClasses(styles.headCell, c.numeric && styles.numeric)}
                aria-sort={sort.key === c.key ? (sort.desc ? "descending" : "ascending") : "none"}
              >
                <button
                  type="button"
                  className={styles.sortButton}
                  onClick={() => sortBy(c.key)}
                  data-testid={`calls-sort-${c.key}`}
                  style={c.numeric ? { justifyContent: "flex-end" } : undefined}
                >
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
                {visible.map((c) => (
                  <div
                    key={c.key}
                    role="cell"
                    className={mergeClasses(styles.cell, c.numeric && styles.numeric)}
                    title={c.key === "user" ? (call.userPrincipalName ?? undefined) : undefined}
                    data-col={c.key}
                  >
                    {text(call, c.key)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
