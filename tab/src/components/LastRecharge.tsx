import { Badge, Body1, Caption1, type BadgeProps } from "@fluentui/react-components";
import { formatMoney, type RechargeAttemptView } from "@cc/common";
import { formatDateTime } from "../format";

const color: Record<RechargeAttemptView["status"], BadgeProps["color"]> = {
  pending: "informative",
  succeeded: "success",
  failed: "danger",
  retry_scheduled: "warning",
};

const failureText: Record<string, string> = {
  card_declined: "the card was declined",
  expired_card: "the card has expired",
  processing_error: "the card processor had a temporary error",
};

export function LastRecharge({ attempt, currency }: { attempt: RechargeAttemptView | null; currency: string }) {
  if (!attempt) return <Caption1 data-testid="last-recharge-none">No automatic recharge yet.</Caption1>;
  return (
    <div data-testid="last-recharge" data-status={attempt.status} style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <Body1>
        Last recharge: {formatMoney(attempt.amountMicros, currency)}{" "}
        <Badge appearance="tint" color={color[attempt.status] ?? "subtle"}>
          {attempt.status.replace("_", " ")}
        </Badge>
      </Body1>
      <Caption1>
        {formatDateTime(attempt.at)} · {attempt.tries} {attempt.tries === 1 ? "try" : "tries"}
        {attempt.failureCode ? ` · ${failureText[attempt.failureCode] ?? attempt.failureCode}` : ""}
        {attempt.nextRetryAt ? ` · next try ${formatDateTime(attempt.nextRetryAt)}` : ""}
      </Caption1>
    </div>
  );
}
