import type { FundsAddedView, PaymentMethodView } from "@cc/common";
import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { toApiError } from "../../api/queries";

/** One submission: its key is reused only while its outcome is unknown (see ApiError.outcomeUnknown). */
export interface FundingAttempt {
  idempotencyKey: string;
  amountMicros: number;
  card: PaymentMethodView;
}

/**
 * The payment: one write, whose answer (or refusal) the dialog shows; the key is kept while the outcome is unknown.
 * The attempt in flight survives closing the dialog, so "try again" after a lost answer cannot charge twice.
 */
export function useFundingPayment(on: { paid(result: FundsAddedView, attempt: FundingAttempt): void; refused(error: ApiError, attempt: FundingAttempt): void }) {
  const api = useApi();
  const pending = useRef<FundingAttempt | null>(null);
  const payment = useMutation<FundsAddedView, ApiError, FundingAttempt>({
    mutationFn: (attempt) => api.addFunds(attempt.amountMicros, attempt.idempotencyKey, attempt.card.id).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (result, attempt) => {
      pending.current = null;
      on.paid(result, attempt);
    },
    onError: (apiError, attempt) => {
      if (!apiError.outcomeUnknown) pending.current = null;
      on.refused(apiError, attempt);
    },
  });

  function pay(amountMicros: number, payWith: PaymentMethodView) {
    // The same amount and card after a lost answer reuse its Idempotency-Key: trying again cannot charge twice.
    const attempt: FundingAttempt =
      pending.current?.amountMicros === amountMicros && pending.current.card.id === payWith.id
        ? pending.current
        : { idempotencyKey: crypto.randomUUID(), amountMicros, card: payWith };
    pending.current = attempt;
    payment.mutate(attempt);
  }

  return { payment, pay, hasPending: () => pending.current !== null };
}
