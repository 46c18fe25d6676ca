import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import type { ApiError } from "../api/client";
import { describeError } from "../errors";
import { useI18n } from "../i18n";

/**
 * An error in words (never a code or micros), with "Retry" when trying again may help. The code
 * stays in a data attribute for tests and support, not on screen.
 */
export function ErrorBar({ error, onDismiss, onRetry, vars }: { error: ApiError | null | undefined; onDismiss?: () => void; onRetry?: () => void; vars?: Record<string, string> }) {
  const i18n = useI18n();
  if (!error) return null;
  const { text, retryable } = describeError(error, i18n, vars);
  return (
    <MessageBar intent={retryable ? "warning" : "error"} data-testid="error-bar" data-code={error.code ?? (error.status === 0 ? "network" : String(error.status))} role="alert">
      <MessageBarBody>{text}</MessageBarBody>
      {onRetry || onDismiss ? (
        <MessageBarActions>
          {onRetry && retryable ? (
            <Button size="small" onClick={onRetry} data-testid="error-bar-retry">
              {i18n.t("retry")}
            </Button>
          ) : null}
          {onDismiss ? (
            <Button appearance="transparent" size="small" onClick={onDismiss} data-testid="error-bar-dismiss">
              {i18n.t("dismiss")}
            </Button>
          ) : null}
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
