import { Badge, Button, Caption1, Field, Select, makeStyles, tokens } from "@fluentui/react-components";
import { isCardExpired, type AccountView, type PaymentMethodView } from "@cc/common";
import { useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { SANDBOX_CARD_TOKENS } from "../api/credits";
import { keys, toApiError, usePaymentMethods } from "../api/queries";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { describeError, fieldOf } from "../errors";
import { useI18n, type I18n } from "../i18n";
import { useMe } from "../me";
import { capitalise } from "../money";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorBar } from "./ErrorBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  list: { listStyleType: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap", minWidth: 0 },
  text: { flexGrow: 1, flexBasis: "12rem", minWidth: 0, overflowWrap: "anywhere" },
  addCard: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  addCardField: { flexGrow: 1, flexBasis: "200px", minWidth: 0 },
  select: { width: "100%", minWidth: 0 },
});

export function describeCard(card: PaymentMethodView, i18n: I18n): string {
  return i18n.t("cardLine", { brand: capitalise(card.brand), last4: card.last4, exp: `${String(card.expMonth).padStart(2, "0")}/${card.expYear}` });
}

/** Saved cards: the default first, make another the default, remove one, add a sandbox test card. */
/** One component on purpose: the list, the default, removal with its confirmation and adding a card share one write in progress. */
export function PaymentMethodCard({ account, onChanged }: { account: AccountView; onChanged: (account?: AccountView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useMe();
  const cards = usePaymentMethods();
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string>(SANDBOX_CARD_TOKENS[0].token);
  const [removing, setRemoving] = useState<PaymentMethodView | null>(null);
  const defaultId = account.paymentMethod?.id;
  // Every change of cards answers the account or asks the page to read it again, and the list is read again.
  const change = useMutation<AccountView | undefined, ApiError, () => Promise<AccountView | undefined>>({
    mutationFn: (action) => action().catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: keys.paymentMethods });
      setRemoving(null);
      onChanged(updated);
    },
  });
  const busy = change.isPending;
  const error = change.error ?? undefined;

  // The first card becomes the default: the page reads the account again.
  const addCard = () => change.mutate(() => api.addPaymentMethod(token).then(() => undefined));
  const makeDefault = (id: string) => change.mutate(() => api.setDefaultPaymentMethod(id));
  const remove = (card: PaymentMethodView) => change.mutate(() => api.removePaymentMethod(card.id).then(() => undefined));

  const list = [...(cards.data ?? [])].sort((a, b) => Number(b.id === defaultId) - Number(a.id === defaultId));
  const tokenError = error && fieldOf(error) === "token" ? describeError(error, i18n).text : undefined;

  return (
    <div className={styles.root}>
      <ErrorBar
        error={tokenError || removing ? undefined : (error ?? cards.error ?? undefined)}
        onDismiss={error ? () => change.reset() : undefined}
        onRetry={cards.error ? () => void cards.refetch() : undefined}
      />
      {account.paymentMethod ? (
        <span data-testid="payment-method" data-payment-method-id={account.paymentMethod.id} hidden>
          {describeCard(account.paymentMethod, i18n)}
        </span>
      ) : null}
      {cards.data && list.length === 0 ? <Caption1 data-testid="payment-method-none">{t("noCard")}</Caption1> : null}
      {list.length > 0 ? (
        <ul className={styles.list} data-testid="payment-methods">
          {list.map((card) => {
            const name = describeCard(card, i18n);
            const isDefault = card.id === defaultId;
            return (
              <li key={card.id} className={styles.row} data-testid="payment-method-row" data-payment-method-id={card.id} data-default={isDefault}>
                <span className={styles.text}>{name}</span>
                {isDefault ? (
                  <Badge appearance="tint" color="brand">
                    {t("default")}
                  </Badge>
                ) : null}
                {isCardExpired(card, new Date()) ? (
                  <Badge appearance="tint" color="danger">
                    {t("expired")}
                  </Badge>
                ) : isDefault && account.nextAction === "replace_card" ? (
                  // The API says the default card needs replacing and it has not expired: the bank refused it.
                  <Badge appearance="tint" color="danger" data-testid="card-refused">
                    {t("cardFailed")}
                  </Badge>
                ) : null}
                {can.moveMoney && !isDefault ? (
                  <Button
                    size="small"
                    disabled={busy}
                    onClick={() => makeDefault(card.id)}
                    aria-label={t("makeDefaultLabel", { card: name })}
                    data-testid={`make-default-${card.id}`}
                  >
                    {t("makeDefault")}
                  </Button>
                ) : null}
                {can.moveMoney ? (
                  <Button
                    size="small"
                    appearance="subtle"
                    disabled={busy}
                    onClick={() => {
                      change.reset();
                      setRemoving(card);
                    }}
                    aria-label={t("removeLabel", { card: name })}
                    data-testid={`remove-card-${card.last4}`}
                  >
                    {t("remove")}
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {can.moveMoney ? (
        <div className={styles.addCard}>
          <Field className={styles.addCardField} label={t("addTestCard")} validationState={tokenError ? "error" : "none"} validationMessage={tokenError}>
            <Select
              className={styles.select}
              select={{ style: { width: "100%", textOverflow: "ellipsis" } }}
              value={token}
              onChange={(_, data) => setToken(data.value)}
              data-testid="test-card-select"
            >
              {SANDBOX_CARD_TOKENS.map((card) => (
                <option key={card.token} value={card.token}>
                  {t("sandboxCard", { token: card.token, outcome: t(card.outcome) })}
                </option>
              ))}
            </Select>
          </Field>
          <Button disabled={busy} onClick={addCard} data-testid="add-card-button">
            {t("addCard")}
          </Button>
        </div>
      ) : (
        <Caption1 data-testid="billing-read-only">{t("needsBilling")}</Caption1>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t("removeTitle")}
        confirmLabel={t("remove")}
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove(removing)}
        testId="remove-card-confirm"
      >
        <ErrorBar error={error} />
        {removing ? t("removeBody", { card: describeCard(removing, i18n) }) : null}
      </ConfirmDialog>
    </div>
  );
}
