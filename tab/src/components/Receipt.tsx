import { Button, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { PaymentMethodView } from "@cc/common";
import { useI18n } from "../i18n";
import { useMoney } from "../money";
import { describeCard } from "./PaymentMethodCard";

export interface ReceiptData {
  amountMicros: number;
  currency: string;
  card: PaymentMethodView | null;
  balanceMicros: number;
  reference: string;
  at: string;
}

const useStyles = makeStyles({
  list: { display: "grid", gridTemplateColumns: "max-content minmax(0, 1fr)", gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, margin: 0 },
  value: { margin: 0, overflowWrap: "anywhere" },
});

/** What a payment did: printable (the dialog's Print button prints the page with it on top). */
export function Receipt({ receipt }: { receipt: ReceiptData }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const rows: [string, string, string][] = [
    [t("receiptAmount"), money(receipt.amountMicros, receipt.currency), "receipt-amount"],
    [t("receiptCard"), receipt.card ? describeCard(receipt.card, i18n) : "—", "receipt-card"],
    [t("receiptBalance"), money(receipt.balanceMicros, receipt.currency), "receipt-balance"],
    [t("receiptReference"), receipt.reference, "receipt-reference"],
    [t("receiptDate"), i18n.formatDateTime(receipt.at), "receipt-date"],
  ];
  return (
    <dl className={styles.list} data-testid="receipt">
      {rows.map(([label, value, id]) => (
        <div key={id} style={{ display: "contents" }}>
          <dt>{label}</dt>
          <dd className={styles.value} data-testid={id}>
            {value}
            {id === "receipt-reference" ? <CopyButton text={value} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The receipt number is what a person pastes into a support request or an accounting line: one press copies it. */
function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="small"
      appearance="subtle"
      aria-label={t("copyReference")}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
      data-testid="receipt-copy"
    >
      {copied ? t("copied") : t("copy")}
    </Button>
  );
}
