/**
 * zod schemas of what the API answers, for the OpenAPI document (http/contract.ts) and the tests
 * that hold real answers to it. The TypeScript shapes stay where the tab and the bot read them
 * (common/src/api.ts) and where the use cases make them; each schema here is checked against its
 * type at compile time (`aligned` below, both directions), so the document cannot drift from the
 * code's own types without typecheck failing. Objects are closed (additionalProperties false in
 * the document), so a field added to an answer without its schema is caught by the answer tests.
 */
import { z } from "zod";
import { LEDGER_JOBS, NOTIFICATION_KINDS, type NotificationKind } from "@cc/common";
import type {
  AccountView,
  UnreachedEventView,
  LocalMailView,
  LocalFeedItemView,
  DirectoryUserView,
  ForecastView,
  FundsAddedView,
  GuardSettings,
  GuardVerdict,
  ImpactView,
  LedgerEntryView,
  MeAnswer,
  NotificationSettingsAnswer,
  NotificationView,
  PaymentMethodView,
  ProblemDetails,
  RateView,
  RatedCallView,
  RechargeAttemptView,
  RechargeRetryView,
  RecommendationView,
} from "@cc/common";
import { DELIVERY_REASON_CODES } from "@cc/common";
import type { IngestResult } from "../usage/rated-call.js";
import type { AuthorizeAnswer, UsageSummaryAnswer } from "../usage/usage.js";
import type { BudgetsView } from "../usage/departments.js";
import type { RateView as RateCardView } from "../usage/rates.js";
import type { PollResult } from "../usage/graph-poller.js";
import type { JobsReport } from "../jobs.js";

/** True when A and B are assignable both ways; `aligned<…>()` fails typecheck otherwise. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export function aligned<_Check extends true>(): void {}

const micros = z.number().int().meta({ description: "integer micros of the account's currency (1 unit = 1,000,000)" });
const instant = z.string().meta({ format: "date-time" });
const currency = z.string().meta({ description: "ISO 4217 code", example: "USD" });
const roleIds = z.array(z.string()).meta({ description: "directory role template ids (Entra `wids`)" });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().optional().meta({ description: "what went wrong, for programs: invalid_input, forbidden, rate_limited, card_declined, below_minimum, …" }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "application/problem+json (RFC 9457)" });
aligned<Same<z.output<typeof problem>, ProblemDetails>>();

export const paymentMethod = z
  .object({
    id: z.string(),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.number().int(),
    expYear: z.number().int(),
    name: z.string().meta({ description: 'the card as people name it: "Visa •••• 4242"' }),
  })
  .meta({ id: "PaymentMethod" });
aligned<Same<z.output<typeof paymentMethod>, PaymentMethodView>>();

const cardFailureCode = z.enum(["card_declined", "expired_card", "processing_error"]);

export const rechargeAttempt = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "succeeded", "failed", "retry_scheduled"]),
    amountMicros: micros,
    tries: z.number().int(),
    failureCode: cardFailureCode.nullable(),
    nextRetryAt: instant.nullable(),
    at: instant,
  })
  .meta({ id: "RechargeAttempt" });
aligned<Same<z.output<typeof rechargeAttempt>, RechargeAttemptView>>();

const deliveryStatus = z.enum(["pending", "sent", "not_installed", "failed"]);
const deliveryChannel = z.enum(["teams_chat", "teams_channel", "activity_feed", "email"]);
const deliveryReasonCode = z
  .enum(DELIVERY_REASON_CODES)
  .meta({ description: "Why it did not reach them, as a code (the tab words it with its fix); the raw answer stays in the logs" });

/** An urgent event that reached nobody, with who was tried on which channel and why it failed. */
export const unreachedEvent = z
  .object({
    eventId: z.string(),
    kind: z.enum(NOTIFICATION_KINDS as [NotificationKind, ...NotificationKind[]]),
    at: instant,
    tried: z.array(z.object({ upn: z.string(), channel: deliveryChannel, status: deliveryStatus, reasonCode: deliveryReasonCode.optional() })),
  })
  .meta({ id: "UnreachedEvent" });
aligned<Same<z.output<typeof unreachedEvent>, UnreachedEventView>>();

export const account = z
  .object({
    tenantId: z.string(),
    currency,
    status: z.enum(["not_set_up", "active", "depleted"]),
    balanceMicros: micros,
    autoRecharge: z.object({
      enabled: z.boolean(),
      amountMicros: micros,
      thresholdMicros: micros,
      maxRechargesPerDay: z.number().int(),
      maxAmountPerDayMicros: micros,
      paused: z.object({ at: instant, reason: z.enum(["max_recharges_per_day", "max_amount_per_day"]) }).nullable(),
    }),
    paymentMethod: paymentMethod.nullable(),
    lastRecharge: rechargeAttempt.nullable(),
    billingCountry: z.string(),
    region: z.string(),
    nextAction: z
      .enum(["add_card", "turn_on_auto_recharge", "resume_auto_recharge", "replace_card", "add_funds"])
      .nullable()
      .meta({ description: "what the account needs next, or null" }),
    timeZone: z.string().meta({ description: "the tenant's IANA time zone (UTC until set): named periods are its calendar days", example: "Europe/Paris" }),
    unreachedEvents: z.array(unreachedEvent).optional().meta({ description: "GET only: urgent events no admin was told about by any channel (API.md v1.2)" }),
  })
  .meta({ id: "Account" });
aligned<Same<z.output<typeof account>, AccountView>>();

/** `{ items, next }`: every list of the API (API.md "Lists"). */
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

export const paymentMethods = page(paymentMethod);

export const fundsAdded = z.object({ entryId: z.string(), balanceMicros: micros }).meta({ id: "FundsAdded" });
aligned<Same<z.output<typeof fundsAdded>, FundsAddedView>>();

export const rechargeRetry = z.object({ attempt: rechargeAttempt });
aligned<Same<z.output<typeof rechargeRetry>, RechargeRetryView>>();

export const rechargeHistory = page(rechargeAttempt);

export const forecast = z
  .object({
    currency,
    basisDays: z.number().int(),
    dailySpendMicros: micros.nullable(),
    runwayDays: z.number().nullable(),
    depletesAt: instant.nullable(),
    nextRechargeAt: instant.nullable(),
    rechargesPerMonth: z.number().nullable(),
    reason: z.string().optional(),
  })
  .meta({ id: "Forecast" });
aligned<Same<z.output<typeof forecast>, ForecastView>>();

export const recommendation = z
  .object({
    currency,
    thresholdMicros: micros.nullable(),
    amountMicros: micros.nullable(),
    basis: z.object({ days: z.number().int(), p95DailySpendMicros: micros.nullable(), avgDailySpendMicros: micros.nullable() }),
    rule: z.object({ minBasisDays: z.number().int(), fixDays: z.number().int(), amountDays: z.number().int(), minPurchaseMicros: micros }),
    why: z.string(),
  })
  .meta({ id: "Recommendation" });
aligned<Same<z.output<typeof recommendation>, RecommendationView>>();

const callsAndMinutes = z.object({ calls: z.number().int(), minutes: z.number() });
const callsAndUsers = z.object({ calls: z.number().int(), users: z.number().int() });
export const impact = z
  .object({
    basisDays: z.number().int(),
    tollFree: z.array(z.object({ number: z.string(), calls: z.number().int(), minutes: z.number() })),
    conferenceDialOut: callsAndMinutes,
    international: callsAndUsers,
    beyondPlan: callsAndUsers,
  })
  .meta({ id: "Impact" });
aligned<Same<z.output<typeof impact>, ImpactView>>();

export const ledgerEntry = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    kind: z.enum(["funding", "auto_recharge", "usage", "adjustment", "expiry"]),
    amountMicros: micros,
    balanceAfterMicros: micros,
    currency,
    at: instant,
    ref: z.string(),
    by: z.string().meta({ description: "the admin's upn, or the system job's id when byJob names one" }),
    byJob: z.enum(LEDGER_JOBS).nullable().meta({ description: "the system job that posted the entry, or null when a person did" }),
  })
  .meta({ id: "LedgerEntry" });
aligned<Same<z.output<typeof ledgerEntry>, LedgerEntryView>>();
export const ledgerPage = page(ledgerEntry);

export const notification = z
  .object({
    id: z.string(),
    kind: z.enum([
      "recharge_succeeded",
      "recharge_failed",
      "balance_depleted",
      "balance_low",
      "funds_added",
      "recharge_paused",
      "card_expiring",
      "spend_spike",
      "budget_threshold",
    ]),
    at: instant,
    tenantId: z.string(),
    data: z.record(z.string(), z.unknown()),
    recipients: z.array(
      z.object({
        upn: z.string(),
        status: deliveryStatus,
        channel: deliveryChannel.nullable().optional().meta({ description: "How it reached (or was tried on) them; one line per recipient and channel" }),
        reasonCode: deliveryReasonCode.optional(),
        attempts: z.number().int(),
      }),
    ),
    channels: z.array(
      z.object({ teamId: z.string(), channelId: z.string(), name: z.string(), status: deliveryStatus, reasonCode: deliveryReasonCode.optional(), attempts: z.number().int() }),
    ),
  })
  .meta({ id: "Notification" });
aligned<Same<z.output<typeof notification>, NotificationView>>();
export const notificationPage = page(notification);

export const notificationSettings = z
  .object({
    kinds: z.partialRecord(notification.shape.kind, z.object({ roles: roleIds })),
    channels: z.array(z.object({ teamId: z.string(), channelId: z.string(), name: z.string() })),
    activityFeed: z.boolean().optional().meta({ description: "Urgent kinds also ping each admin's Teams activity feed (default true)" }),
    lowBalanceThresholds: z.array(z.union([z.object({ percentOfRecharge: z.number() }), z.object({ amountMicros: micros })])).optional(),
    lowBalanceToday: z
      .object({ currency: z.string(), autoRechargeOn: z.boolean(), amountsMicros: z.array(micros.nullable()) })
      .optional()
      .meta({
        description: "What each low-balance threshold means today, in its order: an amount in micros of the account's currency (null: a percentage with no recharge amount set)",
      }),
  })
  .meta({ id: "NotificationSettings" });
aligned<Same<z.output<typeof notificationSettings>, NotificationSettingsAnswer>>();

export const directoryUser = z
  .object({
    id: z.string(),
    upn: z.string(),
    displayName: z.string(),
    roles: roleIds,
    licensed: z.boolean(),
    callingPlan: z.enum(["none", "domestic", "domestic_international", "pay_as_you_go"]),
    usageLocation: z.string(),
  })
  .meta({ id: "DirectoryUser" });
aligned<Same<z.output<typeof directoryUser>, DirectoryUserView>>();
export const directoryUsers = page(directoryUser);

export const me = z
  .object({
    tenantId: z.string(),
    userId: z.string(),
    upn: z.string(),
    displayName: z.string(),
    roles: roleIds,
    locale: z.string().meta({ description: "BCP 47, from Accept-Language (fr-FR, en-US)" }),
    can: z.object({ moveMoney: z.boolean(), manageLicenses: z.boolean(), manageNotifications: z.boolean(), manageGuard: z.boolean(), read: z.boolean() }),
    limits: z.object({ minPaymentMicros: micros, maxPaymentMicros: micros }).optional(),
  })
  .meta({ id: "Me" });
aligned<Same<z.output<typeof me>, MeAnswer>>();

export const rate = z
  .object({
    prefix: z.string(),
    destinationName: z.string(),
    countryCode: z.string(),
    numberType: z.enum(["fixed", "mobile", "toll_free"]),
    perMinuteMicros: micros,
    tollFreePerMinuteMicros: micros,
    connectionFeeMicros: micros,
    currency,
  })
  .meta({ id: "Rate" });

/** GET /api/v1/rates?number&userId: the rate and what the call guard would say for that user. */
export const rateForUser = rate
  .extend({
    guard: z
      .object({
        userId: z.string(),
        allowed: z.boolean(),
        reason: z.enum(["destination_blocked", "domestic_only", "user_cap_reached"]).optional(),
        exception: z.string().optional().meta({ description: "the user's or group's exception that applied" }),
      })
      .optional(),
  })
  .meta({ id: "RateForUser" });
aligned<Same<NonNullable<z.output<typeof rateForUser>["guard"]>, GuardVerdict>>();

export const groups = z
  .object({ items: z.array(z.object({ id: z.string(), displayName: z.string() })), next: z.null() })
  .meta({ id: "DirectoryGroups", description: "Entra groups (Graph /groups), for guard exceptions" });
// The rate card's own view (usage/rates.ts) says more than the contract's (common): both must hold.
aligned<Same<z.output<typeof rate>, RateCardView>>();
aligned<z.output<typeof rate> extends RateView ? true : false>();

export const guard = z
  .object({
    blockedCountries: z.array(z.string()),
    blockedPrefixes: z.array(z.string()),
    blockPremiumRate: z.boolean(),
    domesticOnly: z.boolean(),
    perUserDailyCapMicros: micros.nullable(),
    spikeFactor: z.number(),
    exceptions: z
      .array(
        z.object({
          userId: z.string().optional(),
          groupId: z.string().optional(),
          displayName: z.string().optional(),
          blockedCountries: z.array(z.string()).optional(),
          domesticOnly: z.boolean().optional(),
          blockPremiumRate: z.boolean().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: "Guard" });
aligned<Same<z.output<typeof guard>, GuardSettings>>();

const text = z.string().nullable().optional();
const amount = z.number().nullable().optional();
export const ratedCall = z
  .object({
    id: z.string(),
    callId: text,
    userId: z.string(),
    userPrincipalName: text,
    userDisplayName: text,
    startDateTime: instant,
    endDateTime: instant,
    duration: z.number().int(),
    charge: amount,
    callType: z.string(),
    currency,
    calleeNumber: z.string(),
    usageCountryCode: text,
    tenantCountryCode: text,
    connectionCharge: amount,
    callerNumber: z.string(),
    destinationContext: text,
    destinationName: text,
    conferenceId: text,
    licenseCapability: text,
    inventoryType: text,
    operator: text,
    callDurationSource: text,
    otherPartyCountryCode: text,
    chargeMicros: micros,
    billedMinutes: z.number().int(),
    chargedTo: z.enum(["credits", "plan", "included", "none"]),
    ratedAt: instant,
    flags: z.array(z.string()),
    destinationCountry: z.string(),
    connectionFeeMicros: micros,
    perMinuteMicros: micros,
  })
  // Graph's row may carry fields this API does not know; they are kept as they came.
  .catchall(z.unknown())
  .meta({ id: "RatedCall", description: "a Graph pstnCallLogRow (Graph's field names) and its rating" });
aligned<Same<z.output<typeof ratedCall>, RatedCallView & Record<string, unknown>>>();
export const ratedCalls = page(ratedCall);

const fieldErrors = z.array(z.object({ path: z.string(), message: z.string() }));
export const ingestResult = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    recovered: z.number().int(),
    rejected: z.array(z.object({ index: z.number().int(), errors: fieldErrors })),
    chargedMicros: micros,
    balanceMicros: micros,
    currency,
  })
  .meta({ id: "IngestResult" });
aligned<Same<z.output<typeof ingestResult>, IngestResult>>();

const tally = { calls: z.number().int(), minutes: z.number(), chargeMicros: micros };
/** Whole UTC days: the rollups' grain. */
const day = z.string().meta({ format: "date", description: "a UTC day; `to` is the day after the last one counted" });
export const usageSummary = z
  .object({
    from: day,
    to: day,
    currency,
    groupBy: z.enum(["day", "user", "destination", "callType", "department"]),
    groups: z.array(z.object({ key: z.string(), label: z.string(), ...tally })),
    totals: z.object(tally),
    period: z
      .object({
        name: z.enum(["7d", "30d", "90d", "this_month", "last_month"]),
        from: instant,
        to: instant,
        firstDay: z.string().meta({ format: "date", description: "the period's first calendar day in the tenant's time zone" }),
        lastDay: z.string().meta({ format: "date", description: "the period's last calendar day (included)" }),
        timeZone: z.string().meta({ description: "IANA time zone of the tenant", example: "Europe/Paris" }),
      })
      .optional()
      .meta({ description: "the named period asked for (`period=`): the same instants for every surface" }),
  })
  .meta({ id: "UsageSummary" });
aligned<Same<z.output<typeof usageSummary>, UsageSummaryAnswer>>();

export const authorizeAnswer = z
  .object({
    allowed: z.boolean(),
    reason: z.enum(["no_license", "insufficient_balance", "destination_blocked", "domestic_only", "user_cap_reached", "department_budget_reached"]).optional(),
    perMinuteMicros: micros,
    currency,
  })
  .meta({ id: "CallAuthorization" });
aligned<Same<z.output<typeof authorizeAnswer>, AuthorizeAnswer>>();

export const budgets = z
  .object({
    currency,
    month: z.string().meta({ description: "the tenant's calendar month the spend counts (yyyy-mm)" }),
    departments: z.array(z.object({ department: z.string(), monthlyMicros: micros, mode: z.enum(["warn", "block"]), spentMicros: micros })),
  })
  .meta({ id: "DepartmentBudgets" });
aligned<Same<z.output<typeof budgets>, BudgetsView>>();

export const health = z.object({ status: z.literal("ok") });

export const devToken = z.object({ token: z.string(), tenantId: z.string(), userId: z.string(), upn: z.string(), displayName: z.string(), roles: roleIds });

export const jobsReport = z.object({
  rechargesRetried: z.number().int(),
  expiriesPosted: z.number().int(),
  usageRecordsRecovered: z.number().int(),
  chargesRecovered: z.number().int(),
  expiringCardsWarned: z.number().int(),
  notificationsDelivered: z.number().int(),
});
aligned<Same<z.output<typeof jobsReport>, JobsReport>>();

export const pollResult = z.object({
  tenantId: z.string(),
  status: z.enum(["polled", "up_to_date", "busy", "lease_lost"]),
  from: instant.nullable(),
  to: instant.nullable(),
  windows: z.number().int(),
  pages: z.number().int(),
  rows: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  chargedMicros: micros,
  watermark: instant.nullable(),
});
aligned<Same<z.output<typeof pollResult>, PollResult>>();

export const botMessages = page(
  z.object({ at: instant, conversationId: z.string(), activityId: z.string(), activity: z.record(z.string(), z.unknown()), updates: z.number().int() }),
);
// Checked against the local Bot Connector's SentActivity in local/http/dev.ts (the local world imports production, never the reverse).

/** What the local Graph received: e-mails as a person reads them and activity feed items with their text. */
export const graphOutbox = z.object({
  mails: z.array(z.object({ at: instant, from: z.string(), to: z.array(z.string()), subject: z.string(), html: z.string(), text: z.string(), format: z.enum(["json", "mime"]) })),
  feedItems: z.array(
    z.object({ at: instant, userId: z.string(), activityType: z.string(), chainId: z.number().int().nullable(), text: z.string(), previewText: z.string(), webUrl: z.string() }),
  ),
});
aligned<Same<z.output<typeof graphOutbox>["mails"][number], LocalMailView>>();
aligned<Same<z.output<typeof graphOutbox>["feedItems"][number], LocalFeedItemView>>();

/** The OpenAPI document itself: an object, described by the OpenAPI 3.1 specification rather than here. */
export const openApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });
