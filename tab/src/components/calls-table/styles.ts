import { makeStyles, tokens } from "@fluentui/react-components";

export const ROW_HEIGHT = 36;
export const VIEW_HEIGHT = 440;

export const useCallsTableStyles = makeStyles({
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
