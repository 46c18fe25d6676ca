import type { AccountView, PaymentMethodView } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { keys, toApiError } from "../../api/queries";

/**
 * Every change of cards (add, make default, remove) as one write in progress: it answers the account or asks
 * the page to read it again, and the list is read again. The card being removed waits for its confirmation here.
 */
export function useCardChanges(onChanged: (account?: AccountView) => void) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<PaymentMethodView | null>(null);
  const change = useMutation<AccountView | undefined, ApiError, () => Promise<AccountView | undefined>>({
    mutationFn: (action) => action().catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: keys.paymentMethods });
      setRemoving(null);
      onChanged(updated);
    },
  });
  return {
    change,
    removing,
    setRemoving,
    // The first card becomes the default: the page reads the account again.
    addCard: (token: string) => change.mutate(() => api.addPaymentMethod(token).then(() => undefined)),
    makeDefault: (id: string) => change.mutate(() => api.setDefaultPaymentMethod(id)),
    remove: (card: PaymentMethodView) => change.mutate(() => api.removePaymentMethod(card.id).then(() => undefined)),
  };
}
