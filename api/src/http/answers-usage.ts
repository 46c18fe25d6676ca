/** Answer schemas around usage: users and licenses, rates, the call guard, rated calls, ingestion, summaries, call authorization, budgets, the Graph poller (see answers.ts). */
import { z } from "zod";
import type { DirectoryUserView, GuardSettings, GuardVerdict, RatedCallView, RateView } from "@cc/common";
import type { IngestResult } from "../usage/rated-call.js";
import type { AuthorizeAnswer, UsageSummaryAnswer } from "../usage/usage.js";
import type { BudgetsView } from "../usage/departments.js";
import type { RateView as RateCardView } from "../usage/rates.js";
import type { PollResult } from "../usage/graph-poller.js";
import { aligned, currency, instant, micros, page, roleIds, type Same } from "./answer-parts.js";

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
