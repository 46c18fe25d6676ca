import type { AccountNextAction, FundsAddedView, PaymentMethodView } from "@cc/common";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { usePaymentMethods } from "../../api/queries";
import { useI18n } from "../../i18n";
import { DEFAULT_MIN_PAYMENT_MICROS, useMe } from "../../me";
import { readMoney } from "../MoneyInput";
import type { ReceiptData } from "../Receipt";
import { chooseCard } from "./card-choice";
import { useFundingPayment } from "./useFundingPayment";

export type Step = { kind: "enter" } | { kind: "confirm"; amountMicros: number; card: PaymentMethodView } | { kind: "receipt"; receipt: ReceiptData };

export interface AddFundsProps {
  currency: string;
  /** The default card. */
  card: PaymentMethodView | null;
  nextAction?: AccountNextAction | null;
  /** Changes when another control (the overview's banner) asks the dialog to open. */
  openRequest?: number;
  onFunded: (result: FundsAddedView) => void;
}

/** The dialog's state: open or not, its step, the amount typed, the card picked and the payment. */
export function useAddFundsDialog({ currency, card, nextAction, openRequest = 0, onFunded }: AddFundsProps) {
  const i18n = useI18n();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState<Step>({ kind: "enter" });
  const [amountText, setAmountText] = useState("");
  const [inputError, setInputError] = useState<string>();
  const cards = usePaymentMethods();
  // Cards refused in this dialog: not offered again until it is opened anew.
  const [refused, setRefused] = useState<string[]>([]);
  const [chosenId, setChosenId] = useState<string>();
  const { payment, pay, hasPending } = useFundingPayment({
    paid: (result, attempt) => {
      setAmountText("");
      setStep({
        kind: "receipt",
        receipt: { amountMicros: attempt.amountMicros, currency, card: attempt.card, balanceMicros: result.balanceMicros, reference: result.entryId, at: new Date().toISOString() },
      });
      onFunded(result);
    },
    refused: (apiError, attempt) => {
      // A card refusal: that card is marked and another one is picked.
      if (apiError.status === 402) {
        setRefused((ids) => [...ids, attempt.card.id]);
        setChosenId(undefined);
      }
      setStep({ kind: "enter" });
    },
  });
  const minMicros = me.limits?.minPaymentMicros ?? DEFAULT_MIN_PAYMENT_MICROS;
  const maxMicros = me.limits?.maxPaymentMicros;
  const choice = chooseCard({ saved: cards.data ?? (card ? [card] : []), defaultCard: card, nextAction, refused, chosenId, now: new Date() });

  function openDialog() {
    // A fresh dialog: no stale error from the last time.
    setStep({ kind: "enter" });
    setRefused([]);
    setChosenId(undefined);
    payment.reset();
    setInputError(undefined);
    setAmountText(hasPending() ? amountText : "");
    setOpen(true);
  }
  useOpenRequest(openRequest, () => me.can.moveMoney && openDialog());

  function review(event: FormEvent) {
    event.preventDefault();
    if (!choice.chosen) return;
    const read = readMoney(amountText, currency, i18n, { minMicros, maxMicros });
    if ("error" in read) {
      setInputError(read.error);
      return;
    }
    setInputError(undefined);
    payment.reset();
    setStep({ kind: "confirm", amountMicros: read.micros, card: choice.chosen });
  }

  const entry = { amountText, setAmountText, inputError, choice, setChosenId, minMicros, maxMicros, review };
  return { open, setOpen, step, setStep, payment, pay, openDialog, entry };
}

/** The overview's banner asks for the dialog: each new request opens it once. */
function useOpenRequest(openRequest: number, openDialog: () => void) {
  const lastRequest = useRef(openRequest);
  useEffect(() => {
    if (openRequest === lastRequest.current) return;
    lastRequest.current = openRequest;
    openDialog();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- answers a new request only
  }, [openRequest]);
}
