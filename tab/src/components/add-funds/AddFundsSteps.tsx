/** The add-funds dialog's three steps: the amount and card, the confirmation, the receipt. */
import { Badge, Button, DialogActions, DialogBody, DialogContent, DialogTitle, Field, MessageBar, MessageBarBody, Radio, RadioGroup } from "@fluentui/react-components";
import type { PaymentMethodView } from "@cc/common";
import { useEffect, useRef, type FormEvent } from "react";
import type { ApiError } from "../../api/client";
import { describeError, fieldOf } from "../../errors";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import { ErrorBar } from "../ErrorBar";
import { MoneyInput } from "../MoneyInput";
import { describeCard } from "../PaymentMethodCard";
import { Receipt, type ReceiptData } from "../Receipt";
import type { CardChoice } from "./card-choice";

export function ReceiptStep({ receipt, onClose }: { receipt: ReceiptData; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <DialogBody>
      <DialogTitle>{t("receiptTitle")}</DialogTitle>
      <DialogContent>
        <Receipt receipt={receipt} />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => window.print()} data-testid="receipt-print">
          {t("print")}
        </Button>
        <Button appearance="primary" onClick={onClose} data-testid="receipt-close">
          {t("close")}
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

export function ConfirmStep(props: { amountMicros: number; card: PaymentMethodView; currency: string; submitting: boolean; onBack: () => void; onPay: () => void }) {
  const { amountMicros, card, currency, submitting, onBack, onPay } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  return (
    <DialogBody>
      <DialogTitle>{t("confirmTitle")}</DialogTitle>
      <DialogContent data-testid="add-funds-confirm">{t("confirmBody", { amount: money(amountMicros, currency), card: describeCard(card, i18n) })}</DialogContent>
      <DialogActions>
        <Button appearance="secondary" disabled={submitting} onClick={onBack}>
          {t("cancel")}
        </Button>
        <Button appearance="primary" disabled={submitting} onClick={onPay} data-testid="add-funds-pay">
          {submitting ? t("paying") : t("pay", { amount: money(amountMicros, currency) })}
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

export interface EnterStepProps {
  currency: string;
  amountText: string;
  setAmountText: (text: string) => void;
  inputError: string | undefined;
  choice: CardChoice;
  defaultId: string | undefined;
  setChosenId: (id: string) => void;
  minMicros: number;
  maxMicros: number | undefined;
  error: ApiError | undefined;
  submitting: boolean;
  review: (event: FormEvent) => void;
  onCancel: () => void;
}

export function EnterStep(props: EnterStepProps) {
  const { currency, amountText, setAmountText, inputError, choice, minMicros, maxMicros, error, submitting } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const amountInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!submitting && (error || inputError)) amountInput.current?.focus();
  }, [submitting, error, inputError]);

  const vars = { min: money(minMicros, currency), max: maxMicros ? money(maxMicros, currency) : "" };
  // Each error is shown once: next to the amount when it is about the amount, else above the form.
  const apiFieldError = error && fieldOf(error) === "amountMicros" ? describeError(error, i18n, vars).text : undefined;
  const bannerError = error && !apiFieldError ? error : undefined;
  const cardText = choice.chosen ? describeCard(choice.chosen, i18n) : t("noCard");
  return (
    <form onSubmit={props.review} noValidate>
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
            hint={choice.chosen ? t("addFundsHint", { card: cardText }) : undefined}
            minMicros={minMicros}
            maxMicros={maxMicros}
            testId="amount-input"
            autoFocus
          />
          <CardPicker choice={choice} defaultId={props.defaultId} onChoose={props.setChosenId} />
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onCancel}>
            {t("cancel")}
          </Button>
          <Button appearance="primary" type="submit" disabled={!choice.chosen} data-testid="add-funds-submit">
            {t("continue")}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** The saved cards to pay with: the default marked, a card that cannot be charged disabled with the reason. */
function CardPicker({ choice, defaultId, onChoose }: { choice: CardChoice; defaultId: string | undefined; onChoose: (id: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { list, chosen } = choice;
  return (
    <Field label={t("payWith")} validationState={chosen ? "none" : "error"} validationMessage={chosen ? undefined : t(list.length === 0 ? "noCard" : "noUsableCard")}>
      <RadioGroup value={chosen?.id ?? ""} onChange={(_, data) => onChoose(data.value)} data-testid="add-funds-cards">
        {list.map((c) => {
          const why = choice.unusable(c);
          return (
            <Radio
              key={c.id}
              value={c.id}
              disabled={why !== null}
              data-testid={`add-funds-card-${c.last4}`}
              data-unusable={why ?? ""}
              label={
                <span style={{ display: "inline-flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
                  {describeCard(c, i18n)}
                  {c.id === defaultId ? (
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
  );
}
