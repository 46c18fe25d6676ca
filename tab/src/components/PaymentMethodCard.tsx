import { Body1, Button, Caption1, Field, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { AccountView, PaymentMethodView } from "@cc/common";
import { useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { SANDBOX_CARD_TOKENS } from "../api/credits";
import { toApiError, useResource } from "../api/useResource";
import { ErrorBar } from "./ErrorBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { listStyleType: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  addCard: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  addCardField: { flexGrow: 1, flexBasis: "220px", minWidth: 0 },
  // A native select is as wide as its longest option unless told otherwise.
  select: { width: "100%", minWidth: 0 },
});

export function describeCard(card: PaymentMethodView): string {
  return `${card.brand} •••• ${card.last4}, expires ${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

/** The default card, the other saved cards, and sandbox test cards to add. */
export function PaymentMethodCard({ account, onChanged }: { account: AccountView; onChanged: (account?: AccountView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const cards = useResource(() => api.paymentMethods(), [api]);
  const [token, setToken] = useState<string>(SANDBOX_CARD_TOKENS[0].token);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const current = account.paymentMethod;

  async function act(action: () => Promise<AccountView | undefined>) {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await action();
      await cards.reload();
      onChanged(updated);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const addCard = () =>
    act(async () => {
      await api.addPaymentMethod(token);
      return undefined; // the first card becomes the default: let the page re-read the account
    });
  const makeDefault = (id: string) => act(() => api.setDefaultPaymentMethod(id));

  const others = (cards.data ?? []).filter((card) => card.id !== current?.id);

  return (
    <div className={styles.root}>
      <ErrorBar error={error ?? cards.error} onDismiss={error ? () => setError(undefined) : undefined} />
      {current ? (
        <Body1 data-testid="payment-method" data-payment-method-id={current.id}>
          Default: {describeCard(current)}
        </Body1>
      ) : (
        <Body1 data-testid="payment-method-none">No payment method yet.</Body1>
      )}
      {others.length > 0 ? (
        <ul className={styles.list} data-testid="payment-methods">
          {others.map((card) => (
            <li key={card.id} className={styles.row} data-testid="payment-method-row">
              <Caption1>{describeCard(card)}</Caption1>
              <Button size="small" disabled={busy} onClick={() => makeDefault(card.id)} data-testid={`make-default-${card.id}`}>
                Make default
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.addCard}>
        <Field
          className={styles.addCardField}
          label="Add a test card (sandbox)"
          validationState={error?.fieldError("token") ? "error" : "none"}
          validationMessage={error?.fieldError("token")}
        >
          <Select className={styles.select} select={{ style: { width: "100%", textOverflow: "ellipsis" } }} value={token} onChange={(_, data) => setToken(data.value)} data-testid="test-card-select">
            {SANDBOX_CARD_TOKENS.map((card) => (
              <option key={card.token} value={card.token}>
                {card.label}
              </option>
            ))}
          </Select>
        </Field>
        <Button disabled={busy} onClick={addCard} data-testid="add-card-button">
          Add card
        </Button>
      </div>
    </div>
  );
}
