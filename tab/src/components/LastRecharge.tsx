import { Badge, Body1, Caption1, type BadgeProps } from "@fluentui/react-components";
import type { AccountStatus, RechargeAttemptView } from "@cc/common";
import { useI18n, type MessageKey } from "../i18n";
import { useMoney } from "../money";

const color: Record<RechargeAttemptView["status"], BadgeProps["color"]> = {
  pending: "informative",
  succeeded: "success",
  failed: "danger",
  retry_scheduled: "warning",
};
const label: Record<RechargeAttemptView["status"], MessageKey> = {
  pending: "rechargePending",
  succeeded: "rechargeSucceeded",
  failed: "rechargeFailed",
  retry_scheduled: "rechargeRetry",
};

export function LastRecharge({ attempt, currency, status }: { attempt: RechargeAttemptView | null; currency: string; status: AccountStatus }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  if (!attempt) return <Caption1 data-testid="last-recharge-none">{t("lastRechargeNone")}</Caption1>;
  // A green "succeeded" beside a depleted balance needs its explanation.
  const spent = attempt.status === "succeeded" && status === "depleted";
  return (
    <div data-testid="last-recharge" data-status={attempt.status} style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <Body1>
        {t("lastRechargeAmount", { amount: money(attempt.amountMicros, currency) })}{" "}
        <Badge appearance="tint" color={spent ? "informative" : (color[attempt.status] ?? "subtle")}>
          {t(label[attempt.status] ?? "rechargePending")}
        </Badge>
      </Body1>
      <Caption1>
        {i18n.formatDateTime(attempt.at)}
        {attempt.failureCode && i18n.has(`failure_${attempt.failureCode}`) ? ` · ${t(`failure_${attempt.failureCode}` as MessageKey)}` : ""}
        {spent ? ` · ${t("rechargeSucceededButSpent")}` : ""}
      </Caption1>
    </div>
  );
}
