import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
} from "@fluentui/react-components";
import { parseDecimalToMicros, type FundsAddedView } from "@cc/common";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError } from "../api/useResource";
import { ErrorBar } from "./ErrorBar";

/** One submission: its key is reused only while its outcome is unknown (see ApiError.outcomeUnknown). */
interface FundingAttempt {
  idempotencyKey: string;
  amountMicros: number;
}

export function AddFundsDialog({ currency, onFunded }: { currency: string; onFunded: (result: FundsAddedView) => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [amountText, setAmountText] = useState("");
  const [inputError, setInputError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  // Survives closing the dialog, so "try again" after a lost answer cannot charge twice.
  const pending = useRef<FundingAttempt | null>(null);
  const amountInput = useRef<HTMLInputElement>(null);

  // The submit button is disabled while in flight, which drops focus: bring it back to the
  // amount so the user can correct it and Escape still closes the dialog.
  useEffect(() => {
    if (!submitting && (error || inputError)) amountInput.current?.focus();
  }, [submitting, error, inputError]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    let amountMicros: number;
    try {
      amountMicros = parseDecimalToMicros(amountText);
    } catch {
      setInputError("Enter an amount such as 50 or 50.00");
      return;
    }
    setInputError(undefined);
    setError(undefined);
    const attempt: FundingAttempt =
      pending.current?.amountMicros === amountMicros ? pending.current : { idempotencyKey: crypto.randomUUID(), amountMicros };
    pending.current = attempt;
    setSubmitting(true);
    try {
      const result = await api.addFunds(attempt.amountMicros, attempt.idempotencyKey);
      pending.current = null;
      setAmountText("");
      setOpen(false);
      onFunded(result);
    } catch (err) {
      const apiError = toApiError(err);
      if (!apiError.outcomeUnknown) pending.current = null;
      setError(apiError);
    } finally {
      setSubmitting(false);
    }
  }

  const amountError = inputError ?? error?.fieldError("amountMicros") ?? error?.fieldError("amount");

  return (
    <Dialog open={open} onOpenChange={(_, data) => setOpen(data.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" data-testid="add-funds-button">
          Add funds
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>Add funds</DialogTitle>
            <DialogContent style={{ display: "flex", flexDirection: "column", gap: 12 }}>
              <ErrorBar error={error} />
              {error?.outcomeUnknown ? (
                <MessageBar intent="info" data-testid="retry-hint">
                  <MessageBarBody>
                    We could not confirm this payment. Submitting the same amount again is safe: it will not be charged twice.
                  </MessageBarBody>
                </MessageBar>
              ) : null}
              <Field
                label={`Amount (${currency})`}
                hint="Charged once to the default payment method."
                validationState={amountError ? "error" : "none"}
                validationMessage={amountError}
              >
                <Input
                  ref={amountInput}
                  data-testid="amount-input"
                  inputMode="decimal"
                  autoFocus
                  value={amountText}
                  contentBefore={currency}
                  onChange={(_, data) => setAmountText(data.value)}
                />
              </Field>
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary" disabled={submitting}>
                  Cancel
                </Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={submitting} data-testid="add-funds-submit">
                {submitting ? "Adding…" : "Add funds"}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
