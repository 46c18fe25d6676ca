/** Shapes of the API contract v1 (shared/API.md): what the API answers and the tab and bot read. */
import type { CurrencyCode } from "./money.js";
import type { UnreachedEventView } from "./notifications.js";

export type AccountStatus = "not_set_up" | "active" | "depleted";

export interface AutoRechargeSettings {
  enabled: boolean;
  amountMicros: number;
  thresholdMicros: number;
  /** Circuit breaker: at most this many recharges in a rolling 24 h (default 5). */
  maxRechargesPerDay?: number;
  /** Circuit breaker: at most this much recharged in a rolling 24 h (default, or null: 10 × amountMicros). */
  maxAmountPerDayMicros?: number | null;
}

export type RechargePauseReason = "max_recharges_per_day" | "max_amount_per_day";

/** The auto-recharge settings as the account shows them: the effective limits and whether the breaker paused it. */
export interface AutoRechargeView {
  enabled: boolean;
  amountMicros: number;
  thresholdMicros: number;
  maxRechargesPerDay: number;
  maxAmountPerDayMicros: number;
  paused: { at: string; reason: RechargePauseReason } | null;
}

export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** The card as people name it ("Visa •••• 4242"): every surface shows this, never the processor's brand code. */
  name: string;
}

export type RechargeState = "idle" | "in_flight" | "retry_scheduled" | "failed" | "succeeded";

export interface AccountView {
  tenantId: string;
  currency: CurrencyCode;
  status: AccountStatus;
  balanceMicros: number;
  autoRecharge: AutoRechargeView;
  paymentMethod: PaymentMethodView | null;
  /** Last recharge attempt, when there has been one. */
  lastRecharge: RechargeAttemptView | null;
  billingCountry: string;
  region: string;
  /** What the account needs next, computed by the API (the overview's banner and the bot's balance card offer it), or null. */
  nextAction: AccountNextAction | null;
  /** The tenant's IANA time zone ("UTC" until set): named periods are its calendar days. PUT /api/v1/account/time-zone changes it. */
  timeZone: string;
  /** GET /api/v1/account only: urgent events no admin was told about by any channel (API.md v1.2). */
  unreachedEvents?: UnreachedEventView[];
}

/** PUT /api/v1/account/time-zone: an IANA time zone ("Europe/Paris"); answered with the account. */
export interface TimeZoneRequest {
  timeZone: string;
}

/** The next step an account needs: add a card, turn on or resume auto-recharge, replace the card that failed, add funds. */
export type AccountNextAction = "add_card" | "turn_on_auto_recharge" | "resume_auto_recharge" | "replace_card" | "add_funds";

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
  /** Who posted it: the admin's upn (data, shown as it is), or the system job's id when `byJob` names one. */
  by: string;
  /** The system job that posted it (its words: the catalog's words.ledger.by.<job>), or null when a person did. */
  byJob: LedgerJob | null;
}

/** The system jobs that post ledger entries. */
export const LEDGER_JOBS = ["auto_recharge", "usage", "expiry", "reconciliation", "bench", "system"] as const;
export type LedgerJob = (typeof LEDGER_JOBS)[number];

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

/** The card payment range, stated by the tab before submit. */
export interface PaymentLimits {
  minPaymentMicros: number;
  maxPaymentMicros: number;
}

/** What GET /api/v1/me answers: MeView and the payment range (absent from servers before v1.1). */
export interface MeAnswer extends MeView {
  limits?: PaymentLimits;
}

/** POST /api/v1/account/recharge/retry. */
export interface RechargeRetryView {
  attempt: RechargeAttemptView;
}

/** GET /api/v1/account/forecast: runway at the pace of the last 30 days (nulls with `reason` while data is short). */
export interface ForecastView {
  currency: CurrencyCode;
  /** Days of usage the figures come from (at most 30). */
  basisDays: number;
  dailySpendMicros: number | null;
  /** Days until the balance reaches zero at that pace, without recharges (one decimal). */
  runwayDays: number | null;
  /** When the balance reaches zero (null when auto-recharge keeps it up, or data is short). */
  depletesAt: string | null;
  /** When auto-recharge is expected to run next (null when off or paused). */
  nextRechargeAt: string | null;
  /** Expected recharges in 30 days at that pace (one decimal; null when off). */
  rechargesPerMonth: number | null;
  reason?: string;
}

/** GET /api/v1/account/recommendation. */
export interface RecommendationView {
  currency: CurrencyCode;
  thresholdMicros: number | null;
  amountMicros: number | null;
  basis: { days: number; p95DailySpendMicros: number | null; avgDailySpendMicros: number | null };
  /** The rule's own figures, so a client can say it in its words: days of usage needed, busy days the threshold covers, days a recharge lasts, the smallest purchase. */
  rule: { minBasisDays: number; fixDays: number; amountDays: number; minPurchaseMicros: number };
  why: string;
}

/** GET /api/v1/account/impact: what the last 30 days of rated usage would have lost at a zero balance. */
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

/** GET/PUT /api/v1/guard: the toll-fraud guard of a tenant. */
export interface GuardSettings {
  /** ISO 3166-1 alpha-2 destinations no call may reach. */
  blockedCountries: string[];
  /** E.164 prefixes ("+882") no call may reach. */
  blockedPrefixes: string[];
  /** Premium-rate and satellite ranges (on by default). */
  blockPremiumRate: boolean;
  /** Only calls within the organisation's country (emergency and toll-free always pass). */
  domesticOnly: boolean;
  /** Per user and UTC day, at most this much charged to credits; null = no cap. */
  perUserDailyCapMicros: number | null;
  /** A user's or destination's last-hour spend above spikeFactor × its 30-day hourly baseline is a spike. */
  spikeFactor: number;
  /** Rules that differ for a user or an Entra group (a user's own exception wins over a group's; among groups, the first listed). */
  exceptions?: GuardException[];
}

/** One exception of the call guard: for one user or one Entra group (members resolved through Graph at call time), the rules that differ. */
export interface GuardException {
  userId?: string;
  groupId?: string;
  /** The user's or group's name, as the directory gave it when saved. */
  displayName?: string;
  blockedCountries?: string[];
  domesticOnly?: boolean;
  blockPremiumRate?: boolean;
}

/** What the guard would say of a number for one user (the Rates lookup with a user). */
export interface GuardVerdict {
  userId: string;
  allowed: boolean;
  reason?: "destination_blocked" | "domestic_only" | "user_cap_reached";
  /** Which exception applied, when one did (its user or group name). */
  exception?: string;
}
