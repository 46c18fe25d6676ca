/**
 * The per-call list of the PSTN usage report: every rated call of the period, sortable by any
 * column, virtualised (fixed row height; only the rows in view plus a margin are in the DOM), so
 * 10,000+ calls scroll smoothly. A table in ARIA terms: aria-rowcount is the whole list and each
 * rendered row carries its aria-rowindex, so a screen reader knows where it is.
 */
import type { RatedCallView } from "@cc/common";
import { useMemo, useRef, useState, type UIEvent } from "react";
import { sortCalls, sortsDescending, type CallSortKey } from "./calls-table/calls-columns";
import { CallRow, ColumnChooser, HeaderRow } from "./calls-table/CallsTableParts";
import { ROW_HEIGHT, VIEW_HEIGHT, useCallsTableStyles } from "./calls-table/styles";
import { useColumnLayout } from "./calls-table/useColumnLayout";

export { ROW_HEIGHT };
export type { CallSortKey };

const OVERSCAN = 8;

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
  const styles = useCallsTableStyles();
  const [sort, setSort] = useState<{ key: CallSortKey; desc: boolean }>({ key: "start", desc: true });
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const { visible, template, width, toggle, words } = useColumnLayout(calls, scroller, { money, destinationName, callTypeName });
  const sorted = useMemo(() => sortCalls(calls, sort, destinationName), [calls, sort, destinationName]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const shown = sorted.slice(first, last);

  function sortBy(key: CallSortKey) {
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: sortsDescending(key) }));
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }

  return (
    <div className={styles.wrap}>
      <ColumnChooser visible={visible} onToggle={toggle} />
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
        <HeaderRow visible={visible} template={template} width={width} sort={sort} onSort={sortBy} />
        <div role="rowgroup" style={{ height: sorted.length * ROW_HEIGHT, width, position: "relative" }}>
          {shown.map((call, i) => (
            <CallRow key={call.id} call={call} index={first + i} visible={visible} template={template} width={width} words={words} />
          ))}
        </div>
      </div>
    </div>
  );
}
