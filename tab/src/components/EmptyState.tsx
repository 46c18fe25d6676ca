import { Body1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    color: tokens.colorNeutralForeground3,
    textAlign: "center",
  },
});

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.root} data-testid={testId ?? "empty-state"}>
      <Subtitle2>{title}</Subtitle2>
      {children ? <Body1>{children}</Body1> : null}
    </div>
  );
}
