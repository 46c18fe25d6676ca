import type { RatedCallView } from "@cc/common";
import { useLayoutEffect, useMemo, useState, type RefObject } from "react";
import { useI18n } from "../../i18n";
import { COLUMNS, cellText, fitColumns, type CallSortKey, type CellWords } from "./calls-columns";
import { measure } from "./measure";

/** A cell's side padding (tokens.spacingHorizontalS on each side) and room for the sort arrow. */
const CELL_PADDING = 16;
/** Below this table width (px), start times are written short. */
const NARROW = 480;
const ARROW = 14;

/** The fonts the cells and headers are drawn in, and the width the table has (followed as it changes). */
function useRoom(scroller: RefObject<HTMLDivElement | null>) {
  const [font, setFont] = useState<{ body: string; head: string } | null>(null);
  const [room, setRoom] = useState(0);
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
  }, [scroller]);
  return { font, room };
}

/**
 * The columns shown and their widths: each column as wide as its widest cell or header, measured once per list and
 * language; as many as fit (or the ones the admin chose); the grid template and the width of a row.
 */
export function useColumnLayout(calls: RatedCallView[], scroller: RefObject<HTMLDivElement | null>, page: Omit<CellWords, "i18n" | "shortStart">) {
  const i18n = useI18n();
  const { money, destinationName, callTypeName } = page;
  const { font, room } = useRoom(scroller);
  // The columns the admin chose (null: as many as fit, in PRIORITY order).
  const [chosen, setChosen] = useState<CallSortKey[] | null>(null);
  // In a narrow table (a phone, a side panel) the start time is short ("12/7/26, 3:57 PM"), so the charge fits beside it.
  const narrow = room > 0 && room < NARROW;
  const shortStart = useMemo(() => (narrow ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: "short", timeStyle: "short" }) : undefined), [narrow, i18n.locale]);
  const words = useMemo<CellWords>(() => ({ i18n, money, destinationName, callTypeName, shortStart }), [i18n, money, destinationName, callTypeName, shortStart]);

  const widths = useMemo(() => {
    const out = {} as Record<CallSortKey, number>;
    for (const c of COLUMNS) {
      if (!font) {
        out[c.key] = 120;
        continue;
      }
      const texts = new Set<string>();
      for (const call of calls) texts.add(cellText(call, c.key, words));
      out[c.key] = Math.max(measure(texts, font.body), measure([words.i18n.t(`callsCol.${c.key}`)], font.head) + ARROW) + CELL_PADDING + 2;
    }
    return out;
  }, [calls, font, words]);

  const visible = useMemo(() => fitColumns(chosen, widths, room), [chosen, widths, room]);
  const template = visible.map((c) => `minmax(${widths[c.key]}px, 1fr)`).join(" ");
  const width = Math.max(
    room,
    visible.reduce((w, c) => w + widths[c.key], 0),
  );
  const toggle = (key: CallSortKey, on: boolean) => {
    const now = visible.map((c) => c.key);
    const next = on ? [...now, key] : now.filter((k) => k !== key);
    setChosen(next.length > 0 ? next : now);
  };
  return { visible, template, width, toggle, words };
}
