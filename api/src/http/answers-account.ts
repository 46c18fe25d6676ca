/** Answer schemas of the account: the account, its cards, funds, recharges, runway, impact, the ledger and who the caller is (see answers.ts). */
import { z } from "zod";
import { LEDGER_JOBS } from "@cc/common";
import type {
  AccountView,
  ForecastView,
  FundsAddedView,
  ImpactView,
  LedgerEntryView,
  MeAnswer,
  PaymentMethodView,
  RechargeAttemptView,
  RechargeRetryView,
  RecommendationView,
} from "@cc/common";
import { aligned, currency, instant, micros, page, roleIds, type Same } from "./answer-parts.js";
import { unreachedEvent } from "./answers-notifications.js";

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
