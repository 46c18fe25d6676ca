/** A usage summary as a table: the group, calls, minutes (hidden in a narrow panel) and the charge, money right-aligned. */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, mergeClasses } from "@fluentui/react-components";
import type { UsageSummaryGroup } from "../../api/credits";
import { EmptyState } from "../../components/EmptyState";
import { useI18n } from "../../i18n";

const useStyles = makeStyles({
  // In a 320 px side panel the minutes give way, so the charge stays in view.
  wideOnly: { "@media (max-width: 480px)": { display: "none" } },
  scroll: { overflowX: "auto", minWidth: 0 },
  name: { overflowWrap: "break-word", minWidth: "5rem" },
  numeric: { textAlign: "right", justifyContent: "flex-end" },
});

interface Props {
  groups: UsageSummaryGroup[];
  currency: string;
  keyLabel: string;
  name: (key: string) => string;
  money: (micros: number, currency: string) => string;
}

export function GroupTable({ groups, currency, keyLabel, name, money }: Props) {
  // Hooks first, before any early return (React's rules of hooks).
  const styles = useStyles();
  const { t, locale } = useI18n();
  if (groups.length === 0) return <EmptyState title={t("noCallsInPeriod")} />;
  const sorted = [...groups].sort((a, b) => b.chargeMicros - a.chargeMicros);
  const count = (n: number) => n.toLocaleString(locale);
  return (
    // Scrolls sideways inside its card on a narrow panel; focusable, so a keyboard can scroll it too.
    <div className={styles.scroll} tabIndex={0} role="region" aria-label={keyLabel}>
      <Table size="small" aria-label={keyLabel} style={{ tableLayout: "auto" }}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{keyLabel}</TableHeaderCell>
            {/* Numbers and money right-aligned, their headers too (the header's own button is a flex box). */}
            <TableHeaderCell className={styles.numeric} button={{ className: styles.numeric }}>
              {t("calls")}
            </TableHeaderCell>
            <TableHeaderCell className={mergeClasses(styles.wideOnly, styles.numeric)} button={{ className: styles.numeric }}>
              {t("minutes")}
            </TableHeaderCell>
            <TableHeaderCell className={styles.numeric} button={{ className: styles.numeric }}>
              {t("charge")}
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sorted.map((group) => (
            <TableRow key={group.key} data-testid="usage-group-row" data-key={group.key}>
              <TableCell className={styles.name}>{name(group.key)}</TableCell>
              <TableCell className={styles.numeric}>{count(group.calls)}</TableCell>
              <TableCell className={mergeClasses(styles.wideOnly, styles.numeric)}>{count(group.minutes)}</TableCell>
              <TableCell className={styles.numeric}>{money(group.chargeMicros, currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
