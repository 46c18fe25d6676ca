import { Badge, Button, makeStyles, tokens } from "@fluentui/react-components";
import { isCardExpired, type PaymentMethodView } from "@cc/common";
import { useI18n } from "../../i18n";
import { useMe } from "../../me";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap", minWidth: 0 },
  text: { flexGrow: 1, flexBasis: "12rem", minWidth: 0, overflowWrap: "anywhere" },
});

export interface SavedCardRowProps {
  card: PaymentMethodView;
  /** The card as people read it (describeCard). */
  name: string;
  isDefault: boolean;
  /** The API says the default card needs replacing. */
  replaceDefault: boolean;
  busy: boolean;
  onMakeDefault: () => void;
  onRemove: () => void;
}

/** One saved card: its name, default and refusal badges, and (for those who may move money) make default and remove. */
export function SavedCardRow({ card, name, isDefault, replaceDefault, busy, onMakeDefault, onRemove }: SavedCardRowProps) {
  const styles = useStyles();
  const { t } = useI18n();
  const { can } = useMe();
  return (
    <li className={styles.row} data-testid="payment-method-row" data-payment-method-id={card.id} data-default={isDefault}>
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
      ) : isDefault && replaceDefault ? (
        // The API says the default card needs replacing and it has not expired: the bank refused it.
        <Badge appearance="tint" color="danger" data-testid="card-refused">
          {t("cardFailed")}
        </Badge>
      ) : null}
      {can.moveMoney && !isDefault ? (
        <Button size="small" disabled={busy} onClick={onMakeDefault} aria-label={t("makeDefaultLabel", { card: name })} data-testid={`make-default-${card.id}`}>
          {t("makeDefault")}
        </Button>
      ) : null}
      {can.moveMoney ? (
        <Button size="small" appearance="subtle" disabled={busy} onClick={onRemove} aria-label={t("removeLabel", { card: name })} data-testid={`remove-card-${card.last4}`}>
          {t("remove")}
        </Button>
      ) : null}
    </li>
  );
}
