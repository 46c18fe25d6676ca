/**
 * The API contract v1 (shared/API.md) as typed calls. Shapes come from @cc/common; the few below
 * are not in common yet (dev endpoints) and should move there when the API adds them.
 */
import type {
  UsageGroupBy,
  UsageSummaryGroupView,
  UsageSummaryView,
  LocalFeedItemView,
  LocalMailView,
  AccountView,
  AutoRechargeSettings,
  DirectoryUserView,
  ForecastView,
  GuardSettings,
  NotificationSettings,
  NotificationSettingsAnswer,
  FundsAddedView,
  ImpactView,
  MeAnswer,
  RateView,
  RatedCallView,
  RecommendationView,
  LedgerEntryView,
  NotificationView,
  Page,
  PaymentMethodView,
} from "@cc/common";
import { ApiError, type ApiClient, type DownloadedFile } from "./client";

/** A v1.1 endpoint that may not exist yet on this server: null on 404, so its panel hides. */
async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return null;
    throw err;
  }
}

export type UsageSummary = UsageSummaryView;
export type UsageSummaryGroup = UsageSummaryGroupView;
export type { UsageGroupBy };

export interface DirectoryGroupView {
  id: string;
  displayName: string;
}

export interface RateForUserView {
  destinationName: string;
  countryCode: string;
  perMinuteMicros: number;
  currency: string;
  guard?: { userId: string; allowed: boolean; reason?: "destination_blocked" | "domestic_only" | "user_cap_reached"; exception?: string };
}

export interface BudgetsView {
  currency: string;
  month: string;
  departments: { department: string; monthlyMicros: number; mode: "warn" | "block"; spentMicros: number }[];
}

/** Instants picked by hand, or a named period the API resolves (the same instants the bot uses). */
export type UsageRange = { from: string; to: string } | { period: "7d" | "30d" | "90d" | "this_month" | "last_month" };

/** One activity the bot sent, as recorded by the local Bot Connector (dev only). */
export interface BotMessage {
  at: string;
  conversationId: string;
  activity: {
    type?: string;
    text?: string;
    attachments?: { contentType: string; content?: unknown }[];
  };
}

/** The sandbox processor's test cards, each with what it does (the `outcome` is an i18n key). */
export const SANDBOX_CARD_TOKENS = [
  { token: "tok_visa", outcome: "sandboxSucceeds" },
  { token: "tok_chargeDeclined", outcome: "sandboxDeclined" },
  { token: "tok_chargeDeclinedExpiredCard", outcome: "sandboxExpired" },
  { token: "tok_chargeDeclinedProcessingError", outcome: "sandboxProcessingError" },
  { token: "tok_visaPastExpiry", outcome: "sandboxPastExpiry" },
] as const;

/** Lists are `{ items, next }` by contract; a bare array is accepted too. */
function itemsOf<T>(list: Page<T> | T[]): T[] {
  return Array.isArray(list) ? list : list.items;
}

export function creditsApi(client: ApiClient) {
  return {
    devToken: (upn: string) => client.post<{ token: string }>("/api/dev/token", { upn }),

    me: () => client.get<MeAnswer>("/api/v1/me"),
    forecast: () => optional(client.get<ForecastView>("/api/v1/account/forecast")),
    recommendation: () => optional(client.get<RecommendationView>("/api/v1/account/recommendation")),
    impact: () => optional(client.get<ImpactView>("/api/v1/account/impact")),
    rate: (number: string) => client.get<RateView>("/api/v1/rates", { number }),
    resumeAutoRecharge: () => client.post<AccountView>("/api/v1/account/auto-recharge/resume", {}),
    guard: () => client.get<GuardSettings>("/api/v1/guard"),
    setGuard: (settings: GuardSettings) => client.put<GuardSettings>("/api/v1/guard", settings),
    // Issue 22: guard exceptions by group, the Rates lookup for a user, spend by department and budgets.
    groups: async () => itemsOf(await client.get<Page<DirectoryGroupView>>("/api/v1/groups")),
    rateFor: (number: string, userId: string) => client.get<RateForUserView>("/api/v1/rates", { number, userId }),
    departmentSummary: (range: UsageRange) => client.get<UsageSummary>("/api/v1/usage/summary", { ...range, groupBy: "department" }),
    departmentExport: (range: UsageRange, format: "csv" | "xlsx"): Promise<DownloadedFile> => client.download("/api/v1/usage/export", { format, groupBy: "department", ...range }),
    budgets: () => client.get<BudgetsView>("/api/v1/budgets"),
    setBudgets: (departments: { department: string; monthlyMicros: number; mode: "warn" | "block" }[]) => client.put<BudgetsView>("/api/v1/budgets", { departments }),
    notificationSettings: () => optional(client.get<NotificationSettingsAnswer>("/api/v1/notification-settings")),
    setNotificationSettings: (settings: NotificationSettings) => client.put<NotificationSettingsAnswer>("/api/v1/notification-settings", settings),
    /** PUT /api/v1/account/time-zone (Billing and Global Administrators; the s-tz branch adds the route). */
    setTimeZone: (timeZone: string) => client.put<AccountView>("/api/v1/account/time-zone", { timeZone }),
    removePaymentMethod: (id: string) => client.delete(`/api/v1/payment-methods/${encodeURIComponent(id)}`),

    account: () => client.get<AccountView>("/api/v1/account"),
    addFunds: (amountMicros: number, idempotencyKey: string, paymentMethodId?: string) =>
      client.post<FundsAddedView>("/api/v1/account/funds", paymentMethodId ? { amountMicros, paymentMethodId } : { amountMicros }, idempotencyKey),
    setAutoRecharge: (settings: AutoRechargeSettings) => client.put<AccountView>("/api/v1/account/auto-recharge", settings),

    paymentMethods: async () => itemsOf(await client.get<Page<PaymentMethodView> | PaymentMethodView[]>("/api/v1/payment-methods")),
    addPaymentMethod: (token: string) => client.post<PaymentMethodView>("/api/v1/payment-methods", { token }),
    setDefaultPaymentMethod: (paymentMethodId: string) => client.put<AccountView>("/api/v1/account/payment-method", { paymentMethodId }),

    ledger: (limit: number, cursor?: string | null) => client.get<Page<LedgerEntryView>>("/api/v1/ledger", { limit, cursor }),

    users: async () => itemsOf(await client.get<Page<DirectoryUserView> | DirectoryUserView[]>("/api/v1/users")),
    assignLicense: (userId: string) => client.put<unknown>(`/api/v1/licenses/${encodeURIComponent(userId)}`),
    removeLicense: (userId: string) => client.delete(`/api/v1/licenses/${encodeURIComponent(userId)}`),

    usageSummary: (range: UsageRange, groupBy: UsageGroupBy) => client.get<UsageSummary>("/api/v1/usage/summary", { ...range, groupBy }),
    usageRecords: (range: UsageRange, limit: number, cursor?: string | null) => client.get<Page<RatedCallView>>("/api/v1/usage/records", { ...range, limit, cursor }),
    usageExport: (range: UsageRange, format: "csv" | "xlsx"): Promise<DownloadedFile> => client.download("/api/v1/usage/export", { format, ...range }),

    notifications: (limit: number, cursor?: string | null) => client.get<Page<NotificationView>>("/api/v1/notifications", { limit, cursor }),
    botMessages: async () => itemsOf(await client.get<Page<BotMessage> | BotMessage[]>("/api/dev/bot-messages")),
    /** Dev only: the e-mails and activity feed items the local Graph received. */
    graphOutbox: () => client.get<{ mails: LocalMailView[]; feedItems: LocalFeedItemView[] }>("/api/dev/graph-outbox"),
  };
}

export type CreditsApi = ReturnType<typeof creditsApi>;
