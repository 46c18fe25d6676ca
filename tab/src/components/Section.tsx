import { Card, CardHeader, Subtitle1, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactElement, ReactNode } from "react";

const useStyles = makeStyles({
  card: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalL, minWidth: 0 },
});

/** A titled card: the building block of every page. */
export function Section({ title, action, children, testId }: { title: string; action?: ReactElement; children: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.card} data-testid={testId}>
      <CardHeader
        header={
          <Subtitle1 as="h2" tabIndex={-1}>
            {title}
          </Subtitle1>
        }
        action={action}
      />
      {children}
    </Card>
  );
}
