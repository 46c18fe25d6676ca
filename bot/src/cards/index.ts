/**
 * Adaptive Cards (schema 1.5) rendered from the JSON templates in this folder with
 * adaptivecards-templating. View models hold display strings only: the numbers come from the API.
 */
import * as ACData from "adaptivecards-templating";
import { formatMoney, type AccountStatus, type AccountView } from "@cc/common";
import balanceTemplate from "./balance.json" with { type: "json" };

export type AdaptiveCardJson = Record<string, unknown>;

export interface BalanceCardData {
  balance: string;
  balanceColor: "Default" | "Warning" | "Attention";
  statusLabel: string;
  currency: string;
  autoRecharge: string;
  paymentMethod: string;
  lastRecharge: string;
  asOf: string;
}

const statusLabel: Record<AccountStatus, string> = {
  not_set_up: "Not set up",
  active: "Active",
  depleted: "Depleted: calls that need credits are stopped",
};

const rechargeStatusLabel: Record<string, string> = {
  pending: "in progress",
  succeeded: "succeeded",
  failed: "failed",
  retry_scheduled: "failed, retry scheduled",
};

export function balanceCardData(account: AccountView, now = new Date()): BalanceCardData {
  const money = (micros: number) => formatMoney(micros, account.currency);
  const { autoRecharge, paymentMethod, lastRecharge } = account;
  return {
    balance: money(account.balanceMicros),
    balanceColor: account.status === "depleted" ? "Attention" : account.status === "not_set_up" ? "Warning" : "Default",
    statusLabel: statusLabel[account.status] ?? account.status,
    currency: account.currency,
    autoRecharge: autoRecharge.enabled
      ? `On: add ${money(autoRecharge.amountMicros)} when the balance falls below ${money(autoRecharge.thresholdMicros)}`
      : "Off",
    paymentMethod: paymentMethod
      ? `${paymentMethod.brand} •••• ${paymentMethod.last4} (expires ${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear})`
      : "None",
    lastRecharge: lastRecharge
      ? `Last recharge: ${money(lastRecharge.amountMicros)}, ${rechargeStatusLabel[lastRecharge.status] ?? lastRecharge.status}` +
        (lastRecharge.failureCode ? ` (${lastRecharge.failureCode.replace(/_/g, " ")})` : "")
      : "",
    asOf: now.toISOString().replace("T", " ").slice(0, 16) + " UTC",
  };
}

export function renderBalanceCard(account: AccountView, now?: Date): AdaptiveCardJson {
  return expand(balanceTemplate, balanceCardData(account, now));
}

function expand(template: object, data: object): AdaptiveCardJson {
  return new ACData.Template(template).expand({ $root: data }) as AdaptiveCardJson;
}
