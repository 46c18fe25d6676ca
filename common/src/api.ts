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
  /** Who posted it: the admin's upn, or "Auto-recharge", "Usage", "Expiry", "Reconciliation". */
  by: string;
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

export type NotificationKind = "recharge_succeeded" | "recharge_failed" | "balance_depleted" | "balance_low" | "funds_added";

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  at: string;
  tenantId: string;
  data: Record<string, unknown>;
  recipients: { upn: string; status: "pending" | "sent" | "failed" }[];
  channels: string[];
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

// ---- Contract v1.1 additions (shared/API.md "Additions v1.1") ----

/** The languages everything a person reads is written in. */
export type UiLanguage = "en" | "fr";

/** What the signed-in caller may do, computed by the API from their directory roles. */
export interface MeCapabilities {
  moveMoney: boolean;
  manageLicenses: boolean;
  manageNotifications: boolean;
  manageGuard: boolean;
  read: boolean;
}

/** GET /api/v1/me: who the caller is and what they may do. */
export interface MeView {
  tenantId: string;
  userId: string;
  upn: string;
  displayName: string;
  /** Directory role template ids. */
  roles: string[];
  /** BCP 47 tag, from Accept-Language ("fr-FR", "en-US"). */
  locale: string;
  can: MeCapabilities;
}

/** GET /api/v1/account/forecast (nulls with `reason` while data is short). */
export interface ForecastView {
  currency: CurrencyCode;
  basisDays: number;
  dailySpendMicros: number | null;
  runwayDays: number | null;
  depletesAt: string | null;
  nextRechargeAt: string | null;
  rechargesPerMonth: number | null;
  reason?: string;
}

/** GET /api/v1/account/recommendation */
export interface RecommendationView {
  currency: CurrencyCode;
  thresholdMicros: number;
  amountMicros: number;
  basis: { days: number; p95DailySpendMicros: number; avgDailySpendMicros: number };
  why: string;
}

/** GET /api/v1/account/impact: what stops when the balance reaches zero. */
export interface ImpactView {
  basisDays: number;
  tollFree: { number: string; calls: number; minutes: number }[];
  conferenceDialOut: { calls: number; minutes: number };
  international: { calls: number; users: number };
  beyondPlan: { calls: number; users: number };
}

/** GET /api/v1/rates?number= */
export interface RateView {
  prefix: string;
  destinationName: string;
  perMinuteMicros: number;
  tollFreePerMinuteMicros: number;
  connectionFeeMicros: number;
  currency: CurrencyCode;
}
