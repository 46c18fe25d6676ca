import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { useI18n } from "../i18n";

/** Ask before an action that cannot be undone in one click (remove a card, remove licenses). */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  busy,
  onCancel,
  onConfirm,
  testId,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
  /** data-testid of the confirm button. */
  testId: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !busy && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent style={{ display: "flex", flexDirection: "column", gap: 12 }}>{children}</DialogContent>
          <DialogActions>
            <Button disabled={busy} onClick={onCancel}>
              {t("cancel")}
            </Button>
            <Button appearance="primary" disabled={busy} onClick={onConfirm} data-testid={testId}>
              {confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
