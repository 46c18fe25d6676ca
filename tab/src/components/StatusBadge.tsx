import { Badge, type BadgeProps } from "@fluentui/react-components";
import type { AccountStatus } from "@cc/common";

const look: Record<AccountStatus, { label: string; color: BadgeProps["color"] }> = {
  not_set_up: { label: "Not set up", color: "informative" },
  active: { label: "Active", color: "success" },
  depleted: { label: "Depleted", color: "danger" },
};

export function StatusBadge({ status }: { status: AccountStatus }) {
  const { label, color } = look[status] ?? { label: status, color: "subtle" };
  return (
    <Badge appearance="filled" color={color} data-testid="status" data-status={status}>
      {label}
    </Badge>
  );
}
