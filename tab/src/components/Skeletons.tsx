/**
 * Loading placeholders the size of what replaces them, so nothing jumps when the data arrives.
 */
import { Skeleton, SkeletonItem, makeStyles, tokens } from "@fluentui/react-components";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 320px), 1fr))", gap: tokens.spacingHorizontalL },
  card: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingVerticalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

/** A chart or table's place: 280 px, the daily chart's height. */
export function ChartSkeleton({ height = 280 }: { height?: number }) {
  const { t } = useI18n();
  return (
    <Skeleton aria-label={t("loading")} data-testid="loading">
      <SkeletonItem shape="rectangle" style={{ height }} />
    </Skeleton>
  );
}

/** Rows of a list (ledger, users, notifications). */
export function ListSkeleton({ rows = 6, rowHeight = 44 }: { rows?: number; rowHeight?: number }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Skeleton aria-label={t("loading")} className={styles.stack} data-testid="loading">
      {Array.from({ length: rows }, (_, i) => (
        <SkeletonItem key={i} shape="rectangle" style={{ height: rowHeight }} />
      ))}
    </Skeleton>
  );
}

/** The overview's cards while the account loads: same grid, same card heights as the real ones. */
export function OverviewSkeleton() {
  const styles = useStyles();
  const { t } = useI18n();
  const card = (height: number, key: number) => (
    <div key={key} className={styles.card} style={{ minHeight: height }}>
      <SkeletonItem size={20} style={{ width: "40%" }} />
      <SkeletonItem size={48} style={{ width: "60%" }} />
      <SkeletonItem size={16} />
      <SkeletonItem size={16} style={{ width: "80%" }} />
      <SkeletonItem size={32} style={{ width: "50%" }} />
    </div>
  );
  return (
    <Skeleton aria-label={t("loading")} className={styles.grid} data-testid="loading">
      {[300, 300, 300].map(card)}
    </Skeleton>
  );
}
