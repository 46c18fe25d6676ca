/** Shapes of the API contract v1 (shared/API.md): what the API answers and the tab and bot read. */
import type { CurrencyCode } from "./money.js";

export type AccountStatus = "not_set_up" | "active" | "depleted";

export interface AutoRechargeSettings {
  enabled: boolean;
  amountMicros: number;
  thresholdMicros: number;
}

export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type RechargeState = "idle" | "in_flight" | "retry_scheduled" | "failed" | "succeeded";

export interface AccountView {
  tenantId: string;
  currency: CurrencyCode;
  status: AccountStatus;
  balanceMicros: number;
  autoRecharge: AutoRechargeSettings;
  paymentMethod: PaymentMethodView | null;
  /** Last recharge attempt, when there has been one. */
  lastRecharge: RechargeAttemptView | null;
  billingCountry: string;
  region: string;
}

export interface RechargeAttemptView {
  id: string;
  status: "pending" | "succeeded" | "failed" | "retry_scheduled";
  amountMicros: number;
  tries: number;
  failureCode: CardFailureCode | null;
  nextRetryAt: string | null;
  at: string;
}

export type CardFailureCode = "card_declined" | "expired_card" | "processing_error";

export type LedgerEntryKind = "funding" | "auto_recharge" | "usage" | "adjustment" | "expiry";

export interface LedgerEntryView {
  id: string;
  seq: number;
  kind: LedgerEntryKind;
  amountMicros: number;
  balanceAfterMicros: number;
  currency: CurrencyCode;
  at: string;
  ref: string;
}

export interface FundsAddedView {
  entryId: string;
  balanceMicros: number;
}

export interface DirectoryUserView {
  id: string;
  upn: string;
  displayName: string;
  roles: string[];
  licensed: boolean;
  callingPlan: CallingPlan;
  usageLocation: string;
}

export type CallingPlan = "none" | "domestic" | "domestic_international" | "pay_as_you_go";

export type NotificationKind =
  | "recharge_succeeded"
  | "recharge_failed"
  | "balance_depleted"
  | "balance_low"
  | "funds_added"
  | "recharge_paused"
  | "card_expiring"
  | "spend_spike";

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ["recharge_succeeded", "recharge_failed", "balance_depleted", "balance_low", "funds_added", "recharge_paused", "card_expiring", "spend_spike"];

export type DeliveryStatus = "pending" | "sent" | "not_installed" | "failed";

export interface NotificationRecipientView {
  upn: string;
  status: DeliveryStatus;
  reason?: string;
  attempts: number;
}

export interface NotificationChannelView {
  teamId: string;
  channelId: string;
  name: string;
  status: DeliveryStatus;
  reason?: string;
  attempts: number;
}

/** Per tenant: which roles get which kinds, and the admin channels that also get every kind. */
export interface NotificationSettings {
  kinds: Partial<Record<NotificationKind, { roles: string[] }>>;
  channels: { teamId: string; channelId: string; name: string }[];
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  at: string;
  tenantId: string;
  data: Record<string, unknown>;
  recipients: NotificationRecipientView[];
  channels: NotificationChannelView[];
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}
