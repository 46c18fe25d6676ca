import { Badge, type BadgeProps } from "@fluentui/react-components";
import type { AccountStatus } from "@cc/common";
import type { Health } from "../health";

const color: Record<Health["level"], BadgeProps["color"]> = { ok: "success", info: "informative", warning: "warning", danger: "danger" };

export function StatusBadge({ status, health }: { status: AccountStatus; health: Health }) {
  return (
    <Badge appearance="filled" color={color[health.level]} data-testid="status" data-status={status} data-level={health.level}>
      {health.label}
    </Badge>
  );
}
