/** "Am I OK?": the account's state in one sentence, with the action that fixes it. */
import type { AccountView } from "@cc/common";
import type { I18n, MessageKey } from "./i18n";

export interface Health {
  level: "ok" | "info" | "warning" | "danger";
  label: string;
  reason: string;
  fix?: "add_funds" | "add_card" | "update_card";
}

export function accountHealth(account: AccountView, i18n: I18n): Health {
  const { t } = i18n;
  const last = account.lastRecharge;
  const why = last?.failureCode && i18n.has(`failure_${last.failureCode}`) ? t(`failure_${last.failureCode}` as MessageKey) : t("failure_card_declined");
  if (last && (last.status === "failed" || last.status === "retry_scheduled")) {
    const reason =
      last.status === "retry_scheduled" && last.nextRetryAt ? t("reasonRechargeRetry", { why, when: i18n.formatDateTime(last.nextRetryAt) }) : t("reasonRechargeFailed", { why });
    return {
      level: account.status === "depleted" ? "danger" : "warning",
      label: account.status === "depleted" ? t("statusDepleted") : t("statusAttention"),
      reason: account.status === "depleted" ? `${reason} ${t("reasonDepleted")}` : reason,
      fix: last.failureCode === "processing_error" ? "add_funds" : "update_card",
    };
  }
  if (account.status === "depleted") return { level: "danger", label: t("statusDepleted"), reason: t("reasonDepleted"), fix: "add_funds" };
  if (account.status === "not_set_up") return { level: "info", label: t("statusNotSetUp"), reason: t("reasonNotSetUp"), fix: account.paymentMethod ? "add_funds" : "add_card" };
  return { level: "ok", label: t("statusActive"), reason: t("reasonActive") };
}
