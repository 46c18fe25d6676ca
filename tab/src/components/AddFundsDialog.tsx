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
  Radio,
  RadioGroup,
  Field,
  Badge,
  Tooltip,
} from "@fluentui/react-components";
import { isCardExpired, type AccountNextAction, type FundsAddedView, type PaymentMethodView } from "@cc/common";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, usePaymentMethods } from "../api/queries";
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
  card: PaymentMethodView;
}

type Step = { kind: "enter" } | { kind: "confirm"; amountMicros: number; card: PaymentMethodView } | { kind: "receipt"; receipt: ReceiptData };

/** Why a saved card cannot be picked: expired, or refused (by the bank, as the API's next action says, or in this dialog). */
type Unusable = "expired" | "cardFailed";

export function AddFundsDialog({
  currency,
  card,
  nextAction,
  openRequest = 0,
  onFunded,
}: {
  currency: string;
  /** The default card. */
  card: PaymentMethodView | null;
  nextAction?: AccountNextAction | null;
  /** Changes when another control (the overview's banner) asks the dialog to open. */
  openRequest?: number;
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
  const cards = usePaymentMethods();
  // Cards refused in this dialog: not offered again until it is opened anew.
  const [refused, setRefused] = useState<string[]>([]);
  const [chosenId, setChosenId] = useState<string>();
  // The payment: one write, whose answer (or refusal) the dialog shows; the key is kept while the outcome is unknown.
  const payment = useMutation<FundsAddedView, ApiError, FundingAttempt>({
    mutationFn: (attempt) => api.addFunds(attempt.amountMicros, attempt.idempotencyKey, attempt.card.id).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (result, attempt) => {
      pending.current = null;
      setAmountText("");
      setStep({
        kind: "receipt",
        receipt: { amountMicros: attempt.amountMicros, currency, card: attempt.card, balanceMicros: result.balanceMicros, reference: result.entryId, at: new Date().toISOString() },
      });
      onFunded(result);
    },
    onError: (apiError, attempt) => {
      if (!apiError.outcomeUnknown) pending.current = null;
      // A card refusal: that card is marked and another one is picked.
      if (apiError.status === 402) {
        setRefused((ids) => [...ids, attempt.card.id]);
        setChosenId(undefined);
      }
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

  const now = new Date();
  const saved = cards.data ?? (card ? [card] : []);
  const list = [...saved].sort((a, b) => Number(b.id === card?.id) - Number(a.id === card?.id));
  const unusable = (c: PaymentMethodView): Unusable | null =>
    isCardExpired(c, now) ? "expired" : refused.includes(c.id) || (c.id === card?.id && nextAction === "replace_card") ? "cardFailed" : null;
  // The chosen card, else the default when it can be charged, else the first that can.
  const usable = list.filter((c) => !unusable(c));
  const chosen = usable.find((c) => c.id === chosenId) ?? usable.find((c) => c.id === card?.id) ?? usable[0];

  function openDialog() {
    // A fresh dialog: no stale error from the last time.
    setStep({ kind: "enter" });
    setRefused([]);
    setChosenId(undefined);
    payment.reset();
    setInputError(undefined);
    setAmountText(pending.current ? amountText : "");
    setOpen(true);
  }

  // The overview's banner asks for the dialog.
  const lastRequest = useRef(openRequest);
  useEffect(() => {
    if (openRequest === lastRequest.current) return;
    lastRequest.current = openRequest;
    if (me.can.moveMoney) openDialog();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- answers a new request only
  }, [openRequest]);

  function review(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    const read = readMoney(amountText, currency, i18n, { minMicros, maxMicros });
    if ("error" in read) {
      setInputError(read.error);
      return;
    }
    setInputError(undefined);
    payment.reset();
    setStep({ kind: "confirm", amountMicros: read.micros, card: chosen });
  }

  function pay(amountMicros: number, payWith: PaymentMethodView) {
    // The same amount and card after a lost answer reuse its Idempotency-Key: trying again cannot charge twice.
    const attempt: FundingAttempt =
      pending.current?.amountMicros === amountMicros && pending.current.card.id === payWith.id
        ? pending.current
        : { idempotencyKey: crypto.randomUUID(), amountMicros, card: payWith };
    pending.current = attempt;
    payment.mutate(attempt);
  }

  const vars = { min: money(minMicros, currency), max: maxMicros ? money(maxMicros, currency) : "" };
  // Each error is shown once: next to the amount when it is about the amount, else above the form.
  const apiFieldError = error && fieldOf(error) === "amountMicros" ? describeError(error, i18n, vars).text : undefined;
  const bannerError = error && !apiFieldError ? error : undefined;
  const cardText = chosen ? describeCard(chosen, i18n) : t("noCard");

  const trigger = (
    <Button appearance="primary" onClick={openDialog} disabled={!me.can.moveMoney} data-testid="add-funds-button">
      {t("addFunds")}
    </Button>
  );

  return (
    <>
      {me.can.moveMoney ? (
        trigger
      ) : (
        <Tooltip content={t("needsBilling")} relationship="description">
          {trigger}
        </Tooltip>
      )}
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
              <DialogContent data-testid="add-funds-confirm">{t("confirmBody", { amount: money(step.amountMicros, currency), card: describeCard(step.card, i18n) })}</DialogContent>
              <DialogActions>
                <Button appearance="secondary" disabled={submitting} onClick={() => setStep({ kind: "enter" })}>
                  {t("cancel")}
                </Button>
                <Button appearance="primary" disabled={submitting} onClick={() => pay(step.amountMicros, step.card)} data-testid="add-funds-pay">
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
                    hint={chosen ? t("addFundsHint", { card: cardText }) : undefined}
                    minMicros={minMicros}
                    maxMicros={maxMicros}
                    testId="amount-input"
                    autoFocus
                  />
                  <Field label={t("payWith")} validationState={chosen ? "none" : "error"} validationMessage={chosen ? undefined : t(list.length === 0 ? "noCard" : "noUsableCard")}>
                    <RadioGroup value={chosen?.id ?? ""} onChange={(_, data) => setChosenId(data.value)} data-testid="add-funds-cards">
                      {list.map((c) => {
                        const why = unusable(c);
                        const name = describeCard(c, i18n);
                        return (
                          <Radio
                            key={c.id}
                            value={c.id}
                            disabled={why !== null}
                            data-testid={`add-funds-card-${c.last4}`}
                            data-unusable={why ?? ""}
                            label={
                              <span style={{ display: "inline-flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
                                {name}
                                {c.id === card?.id ? (
                                  <Badge appearance="tint" color="brand">
                                    {t("default")}
                                  </Badge>
                                ) : null}
                                {why ? (
                                  <Badge appearance="tint" color="danger">
                                    {t(why)}
                                  </Badge>
                                ) : null}
                              </span>
                            }
                          />
                        );
                      })}
                    </RadioGroup>
                  </Field>
                </DialogContent>
                <DialogActions>
                  <Button appearance="secondary" onClick={() => setOpen(false)}>
                    {t("cancel")}
                  </Button>
                  <Button appearance="primary" type="submit" disabled={!chosen} data-testid="add-funds-submit">
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
