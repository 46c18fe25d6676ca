/** The calls table's parts: the column chooser, the sortable header row and one call's row. */
import { Button, Menu, MenuItemCheckbox, MenuList, MenuPopover, MenuTrigger, mergeClasses } from "@fluentui/react-components";
import type { RatedCallView } from "@cc/common";
import { useI18n } from "../../i18n";
import { COLUMNS, cellText, type CallSortKey, type CellWords, type Column } from "./calls-columns";
import { ROW_HEIGHT, useCallsTableStyles } from "./styles";

/** The columns menu: one checkbox per column of the report, "Columns (shown/all)" on its button. */
export function ColumnChooser({ visible, onToggle }: { visible: Column[]; onToggle: (key: CallSortKey, on: boolean) => void }) {
  const i18n = useI18n();
  return (
    <Menu
      checkedValues={{ columns: visible.map((c) => c.key) }}
      onCheckedValueChange={(_, data) => {
        const on = data.checkedItems as CallSortKey[];
        const changed = COLUMNS.find((c) => on.includes(c.key) !== visible.some((v) => v.key === c.key));
        if (changed) onToggle(changed.key, on.includes(changed.key));
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
}

export interface HeaderRowProps {
  visible: Column[];
  template: string;
  width: number;
  sort: { key: CallSortKey; desc: boolean };
  onSort: (key: CallSortKey) => void;
}

/** The sticky header: each column's name is its sort button; aria-sort says the order. */
export function HeaderRow({ visible, template, width, sort, onSort }: HeaderRowProps) {
  const styles = useCallsTableStyles();
  const i18n = useI18n();
  return (
    <div role="rowgroup" className={styles.header} style={{ gridTemplateColumns: template, width }}>
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
              onClick={() => onSort(c.key)}
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
  );
}

/** One call, placed at its index in the whole list (the rows around it are not in the DOM). */
export function CallRow({
  call,
  index,
  visible,
  template,
  width,
  words,
}: {
  call: RatedCallView;
  index: number;
  visible: Column[];
  template: string;
  width: number;
  words: CellWords;
}) {
  const styles = useCallsTableStyles();
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={styles.row}
      style={{ gridTemplateColumns: template, position: "absolute", top: index * ROW_HEIGHT, left: 0, width }}
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
          {cellText(call, c.key, words)}
        </div>
      ))}
    </div>
  );
}
