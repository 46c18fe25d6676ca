import { Button, Dialog, DialogSurface, Tooltip } from "@fluentui/react-components";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { ConfirmStep, EnterStep, ReceiptStep } from "./add-funds/AddFundsSteps";
import { useAddFundsDialog, type AddFundsProps } from "./add-funds/useAddFundsDialog";

/** Add funds: the amount and a saved card, a confirmation, one payment (its key kept while its outcome is unknown), a receipt. */
export function AddFundsDialog(props: AddFundsProps) {
  const { t } = useI18n();
  const me = useMe();
  const { open, setOpen, step, setStep, payment, pay, openDialog, entry } = useAddFundsDialog(props);
  const submitting = payment.isPending;

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
            <ReceiptStep receipt={step.receipt} onClose={() => setOpen(false)} />
          ) : step.kind === "confirm" ? (
            <ConfirmStep
              amountMicros={step.amountMicros}
              card={step.card}
              currency={props.currency}
              submitting={submitting}
              onBack={() => setStep({ kind: "enter" })}
              onPay={() => pay(step.amountMicros, step.card)}
            />
          ) : (
            <EnterStep {...entry} currency={props.currency} defaultId={props.card?.id} error={payment.error ?? undefined} submitting={submitting} onCancel={() => setOpen(false)} />
          )}
        </DialogSurface>
      </Dialog>
    </>
  );
}
