import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Tooltip,
} from "@fluentui/react-components";
import type { FundsAddedView, PaymentMethodView } from "@cc/common";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError } from "../api/queries";
import { useMutation } from "@tanstack/react-query";
import { describeError, fieldOf } from "../errors";
import { useI18n } from "../i18n";
import { DEFAULT_MIN_PAYMENT_MICROS, useMe } from "../me";
import { useMoney } from "../money";
import { ErrorBar } from "./ErrorBar";
import { MoneyInput, readMoney } from "./MoneyInput";
import { describeCard } from "./PaymentMethodCard";
import { Receipt, type ReceiptData } from "./Receipt";

/** One submission: its key is reused only while its outcome is unknown (see ApiError.outcomeUnknown). */
interface FundingAttempt {
  idempotencyKey: string;
  amountMicros: number;
}

type Step = { kind: "enter" } | { kind: "confirm"; amountMicros: number } | { kind: "receipt"; receipt: ReceiptData };

export function AddFundsDialog({
  currency,
  card,
  onFunded,
}: {
  currency: string;
  card: PaymentMethodView | null;
  onFunded: (result: FundsAddedView) => void;
}) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState<Step>({ kind: "enter" });
  const [amountText, setAmountText] = useState("");
  const [inputError, setInputError] = useState<string>();
  // The payment: one write, whose answer (or refusal) the dialog shows; the key is kept while the outcome is unknown.
  const payment = useMutation<FundsAddedView, ApiError, FundingAttempt>({
    mutationFn: (attempt) => api.addFunds(attempt.amountMicros, attempt.idempotencyKey).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (result, attempt) => {
      pending.current = null;
      setAmountText("");
      setStep({
        kind: "receipt",
        receipt: { amountMicros: attempt.amountMicros, currency, card, balanceMicros: result.balanceMicros, reference: result.entryId, at: new Date().toISOString() },
      });
      onFunded(result);
    },
    onError: (apiError) => {
      if (!apiError.outcomeUnknown) pending.current = null;
      setStep({ kind: "enter" });
    },
  });
  const error = payment.error ?? undefined;
  const submitting = payment.isPending;
  // Survives closing the dialog, so "try again" after a lost answer cannot charge twice.
  const pending = useRef<FundingAttempt | null>(null);
  const amountInput = useRef<HTMLInputElement>(null);
  const minMicros = me.limits?.minPaymentMicros ?? DEFAULT_MIN_PAYMENT_MICROS;
  const maxMicros = me.limits?.maxPaymentMicros;

  useEffect(() => {
    if (!submitting && step.kind === "enter" && (error || inputError)) amountInput.current?.focus();
  }, [submitting, error, inputError, step.kind]);

  function openDialog() {
    // A fresh dialog: no stale error from the last time.
    setStep({ kind: "enter" });
    payment.reset();
    setInputError(undefined);
    setAmountText(pending.current ? amountText : "");
    setOpen(true);
  }

  function review(event: FormEvent) {
    event.preventDefault();
    const read = readMoney(amountText, currency, i18n, { minMicros, maxMicros });
    if ("error" in read) {
      setInputError(read.error);
      return;
    }
    setInputError(undefined);
    payment.reset();
    setStep({ kind: "confirm", amountMicros: read.micros });
  }

  function pay(amountMicros: number) {
    // The same amount after a lost answer reuses its Idempotency-Key: trying again cannot charge twice.
    const attempt: FundingAttempt =
      pending.current?.amountMicros === amountMicros ? pending.current : { idempotencyKey: crypto.randomUUID(), amountMicros };
    pending.current = attempt;
    payment.mutate(attempt);
  }

  const vars = { min: money(minMicros, currency), max: maxMicros ? money(maxMicros, currency) : "" };
  // Each error is shown once: next to the amount when it is about the amount, else above the form.
  const apiFieldError = error && fieldOf(error) === "amountMicros" ? describeError(error, i18n, vars).text : undefined;
  const bannerError = error && !apiFieldError ? error : undefined;
  const cardText = card ? describeCard(card, i18n) : t("noCard");

  const trigger = (
    <Button appearance="primary" onClick={openDialog} disabled={!me.can.moveMoney} data-testid="add-funds-button">
      {t("addFunds")}
    </Button>
  );

  return (
    <>
      {me.can.moveMoney ? trigger : <Tooltip content={t("needsBilling")} relationship="description">{trigger}</Tooltip>}
      <Dialog open={open} onOpenChange={(_, data) => !submitting && setOpen(data.open)}>
        <DialogSurface aria-describedby={undefined}>
          {step.kind === "receipt" ? (
            <DialogBody>
              <DialogTitle>{t("receiptTitle")}</DialogTitle>
              <DialogContent>
                <Receipt receipt={step.receipt} />
              </DialogContent>
              <DialogActions>
                <Button onClick={() => window.print()} data-testid="receipt-print">
                  {t("print")}
                </Button>
                <Button appearance="primary" onClick={() => setOpen(false)} data-testid="receipt-close">
                  {t("close")}
                </Button>
              </DialogActions>
            </DialogBody>
          ) : step.kind === "confirm" ? (
            <DialogBody>
              <DialogTitle>{t("confirmTitle")}</DialogTitle>
              <DialogContent data-testid="add-funds-confirm">{t("confirmBody", { amount: money(step.amountMicros, currency), card: cardText })}</DialogContent>
              <DialogActions>
                <Button appearance="secondary" disabled={submitting} onClick={() => setStep({ kind: "enter" })}>
                  {t("cancel")}
                </Button>
                <Button appearance="primary" disabled={submitting} onClick={() => pay(step.amountMicros)} data-testid="add-funds-pay">
                  {submitting ? t("paying") : t("pay", { amount: money(step.amountMicros, currency) })}
                </Button>
              </DialogActions>
            </DialogBody>
          ) : (
            <form onSubmit={review} noValidate>
              <DialogBody>
                <DialogTitle>{t("addFunds")}</DialogTitle>
                <DialogContent style={{ display: "flex", flexDirection: "column", gap: 12 }}>
                  <ErrorBar error={bannerError} vars={vars} />
                  {error?.outcomeUnknown ? (
                    <MessageBar intent="info" data-testid="retry-hint">
                      <MessageBarBody>{t("retryHint")}</MessageBarBody>
                    </MessageBar>
                  ) : null}
                  <MoneyInput
                    ref={amountInput}
                    label={t("amount")}
                    currency={currency}
                    value={amountText}
                    onChange={setAmountText}
                    error={inputError ?? apiFieldError}
                    hint={t("addFundsHint", { card: cardText })}
                    minMicros={minMicros}
                    maxMicros={maxMicros}
                    testId="amount-input"
                    autoFocus
                  />
                </DialogContent>
                <DialogActions>
                  <Button appearance="secondary" onClick={() => setOpen(false)}>
                    {t("cancel")}
                  </Button>
                  <Button appearance="primary" type="submit" data-testid="add-funds-submit">
                    {t("continue")}
                  </Button>
                </DialogActions>
              </DialogBody>
            </form>
          )}
        </DialogSurface>
      </Dialog>
    </>
  );
}
