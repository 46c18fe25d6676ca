import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { ApiError } from "../api/client";

/** Shows a problem+json answer: its title, its detail, and its code when there is one. */
export function ErrorBar({ error, onDismiss }: { error: ApiError | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  const { title, detail, code } = error.problem;
  return (
    <MessageBar intent={error.status === 0 || error.status >= 500 ? "warning" : "error"} data-testid="error-bar" data-code={code}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {detail}
        {code ? <span style={{ opacity: 0.7 }}> ({code})</span> : null}
      </MessageBarBody>
      {onDismiss ? (
        <MessageBarActions>
          <Button appearance="transparent" size="small" onClick={onDismiss} data-testid="error-bar-dismiss">
            Dismiss
          </Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
