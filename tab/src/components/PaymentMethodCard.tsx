import { Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { AccountView, PaymentMethodView } from "@cc/common";
import { usePaymentMethods } from "../api/queries";
import { describeError, fieldOf } from "../errors";
import { useI18n, type I18n } from "../i18n";
import { useMe } from "../me";
import { capitalise } from "../money";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorBar } from "./ErrorBar";
import { AddTestCard } from "./payment-methods/AddTestCard";
import { SavedCardRow } from "./payment-methods/SavedCardRow";
import { useCardChanges } from "./payment-methods/useCardChanges";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  list: { listStyleType: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

export function describeCard(card: PaymentMethodView, i18n: I18n): string {
  return i18n.t("cardLine", { brand: capitalise(card.brand), last4: card.last4, exp: `${String(card.expMonth).padStart(2, "0")}/${card.expYear}` });
}

/**
 * Saved cards: the default first, make another the default, remove one, add a sandbox test card. The list, the default,
 * removal with its confirmation and adding a card share one write in progress (useCardChanges).
 */
export function PaymentMethodCard({ account, onChanged }: { account: AccountView; onChanged: (account?: AccountView) => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useMe();
  const cards = usePaymentMethods();
  const { change, removing, setRemoving, addCard, makeDefault, remove } = useCardChanges(onChanged);
  const defaultId = account.paymentMethod?.id;
  const busy = change.isPending;
  const error = change.error ?? undefined;
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
          {list.map((card) => (
            <SavedCardRow
              key={card.id}
              card={card}
              name={describeCard(card, i18n)}
              isDefault={card.id === defaultId}
              replaceDefault={account.nextAction === "replace_card"}
              busy={busy}
              onMakeDefault={() => makeDefault(card.id)}
              onRemove={() => (change.reset(), setRemoving(card))}
            />
          ))}
        </ul>
      ) : null}
      {can.moveMoney ? <AddTestCard tokenError={tokenError} busy={busy} onAdd={addCard} /> : <Caption1 data-testid="billing-read-only">{t("needsBilling")}</Caption1>}
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
