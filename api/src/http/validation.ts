/**
 * zod schemas of the API's inputs (bodies, queries, path parameters, headers): the one place both
 * the routes (which parse with them) and the OpenAPI document (http/contract.ts, which is
 * generated from them) read, so what is documented is what is checked.
 */
import { z } from "zod";
import { NOTIFICATION_KINDS, NOTIFIED_ROLES, type NotificationKind, type NotificationSettings } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { MAX_BATCH_ROWS } from "../usage/ingest.js";
import { says } from "./field-words.js";

// The words of every check are the catalog's (field-words.ts), picked by zod's issue code; `says(…)` where a code is not precise enough.
// zod's int() holds only safe integers (a larger number is "too large").
const micros = z.number().int();

export const addFundsBody = z
  .object({
    amountMicros: micros.positive(),
    paymentMethodId: z.string().min(1).max(200).optional().meta({ description: "the saved card to charge; the default card when absent" }),
  })
  .strict();
export const autoRechargeBody = z
  .object({
    enabled: z.boolean(),
    amountMicros: micros.min(0),
    thresholdMicros: micros.min(0),
    maxRechargesPerDay: z.number().int().min(1).max(100).optional(),
    maxAmountPerDayMicros: micros.min(0).nullable().optional(),
  })
  .strict();
/** PUT /api/v1/account/time-zone; the zone itself is checked with Intl by the use case (accounts/time-zone.ts). */
export const timeZoneBody = z
  .object({ timeZone: z.string().min(1).max(64).meta({ example: "Europe/Paris" }) })
  .strict()
  .meta({ id: "TimeZoneRequest" });
export const paymentMethodBody = z.object({ token: z.string().min(1).max(200) }).strict();
/**
 * An id this API gave (a payment method's `pm-…`, an entry's): letters, digits and `- _ . :` only.
 * Store ids cannot hold `/ \ # ?`, so anything else is 400 here rather than a store error later.
 */
export const resourceId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, says("resourceId"));

export const defaultPaymentMethodBody = z.object({ paymentMethodId: resourceId }).strict();
export const devTokenBody = z.object({ upn: z.string().min(3).max(200) }).strict();
export const devDebitBody = z.object({ amountMicros: micros.positive() }).strict();

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const userIdParam = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9-]+$/, says("userId"));

/** Idempotency-Key: 1–255 printable ASCII characters. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string {
  const value = headers["idempotency-key"];
  if (typeof value !== "string" || value.length === 0) throw refuse.invalid("Idempotency-Key", "idempotencyKeyMissing");
  if (value.length > 255 || !/^[\x21-\x7e]+$/.test(value)) throw refuse.invalid("Idempotency-Key", "idempotencyKeyForm");
  return value;
}

// The checks are refinements (for their words); `enum` tells the OpenAPI document the same sets.
const roleTemplateId = z
  .string()
  .refine((id) => (NOTIFIED_ROLES as readonly string[]).includes(id), says("notifiedRole"))
  .meta({ enum: [...NOTIFIED_ROLES] });
const channelText = z.string().min(1).max(200);

/** PUT /api/v1/notification-settings: roles per kind (notified roles only), admin channels without duplicates. */
export const notificationSettingsBody = z
  .object({
    kinds: z
      .record(
        z.string().meta({ enum: [...NOTIFICATION_KINDS] }),
        z
          .object({
            roles: z
              .array(roleTemplateId)
              .max(NOTIFIED_ROLES.length)
              .transform((r) => [...new Set(r)]),
          })
          .strict(),
      )
      .superRefine((kinds, ctx) => {
        for (const kind of Object.keys(kinds)) {
          if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind))
            ctx.addIssue({ code: "custom", path: [kind], message: says("notificationKind").error, params: { kinds: NOTIFICATION_KINDS.join(", ") } });
        }
      })
      .transform((k) => k as Partial<Record<NotificationKind, { roles: string[] }>>),
    channels: z
      .array(z.object({ teamId: channelText, channelId: channelText, name: z.string().max(200) }).strict())
      .max(50)
      .refine((c) => new Set(c.map((x) => x.channelId)).size === c.length, says("duplicateChannel")),
    activityFeed: z.boolean().optional(),
    lowBalanceThresholds: z
      .array(z.union([z.object({ percentOfRecharge: z.number().gt(0).max(100) }).strict(), z.object({ amountMicros: micros.positive() }).strict()], says("lowBalanceThreshold")))
      .max(5)
      .optional()
      .meta({ description: "low-balance alerts: each crossing told once per descent, the lowest when several are crossed at once (absent: unchanged)" }),
  })
  .strict()
  .transform((s): NotificationSettings => s);

/** GET /tab/first-frame: the theme the tab will draw itself in (kept in the browser; the rest the server knows). */
export const firstFrameQuery = z.object({ theme: z.enum(["default", "dark", "contrast"]).default("default") }).strict();

/** GET /api/v1/usage/records: a page of a time range (the range is checked by the use case: whole instants, at most 92 days). */
export const usageRecordsQuery = pageQuery.extend({
  from: z.string().optional().meta({ description: "ISO 8601 instant or date; default 30 days before `to`" }),
  to: z.string().optional().meta({ description: "ISO 8601 instant or date; default now" }),
  period: z
    .string()
    .optional()
    .meta({ description: "a named period in the tenant's time zone, today included (instead of from and to): 7d, 30d, 90d, this_month or last_month", examples: ["30d"] }),
});

/** GET /api/v1/usage/summary. */
export const summaryQuery = usageRecordsQuery.pick({ from: true, to: true, period: true }).extend({
  groupBy: z.enum(["day", "user", "destination", "callType", "department"]).default("day"),
});

/** GET /api/v1/usage/export: `format` is checked by the use case (csv or xlsx; csv when empty). */
export const exportQuery = usageRecordsQuery.pick({ from: true, to: true, period: true }).extend({
  format: z
    .string()
    .optional()
    .meta({ description: "csv (default) or xlsx", examples: ["csv", "xlsx"] }),
  groupBy: z.enum(["department"]).optional().meta({ description: "department: the spend-by-department totals instead of the call records" }),
});

/** PUT /api/v1/budgets: one monthly budget per department (at most 200). */
export const budgetsBody = z
  .object({
    departments: z
      .array(
        z
          .object({
            department: z.string().min(1).max(256),
            monthlyMicros: micros.positive(),
            mode: z.enum(["warn", "block"]),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();

/** GET /api/v1/rates: the number is checked by the rate card (E.164: + and up to 15 digits). */
export const ratesQuery = z.object({
  number: z.string().optional().meta({ description: "E.164 number, e.g. +442079460000", example: "+442079460000" }),
  userId: z.string().max(64).optional().meta({ description: "a directory user: the answer adds `guard`, whether the call guard would let this user call the number" }),
});

export const recordsBody = z
  .object({
    records: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BATCH_ROWS)
      .meta({ description: "Graph pstnCallLogRow objects (Graph's field names); each row is checked on its own and a bad one is rejected with its index" }),
  })
  .strict();

export const authorizeBody = z
  .object({
    userId: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9-]*$/, says("userId")),
    callType: z.string().trim().min(1).max(64),
    number: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^(?:\+\d{2,15}|\d{2,6})$/, says("phoneNumber")),
    inventoryType: z.string().max(64).nullish(),
  })
  .strict();

export const guardBody = z
  .object({
    blockedCountries: z.array(z.string().max(8)).max(300),
    blockedPrefixes: z.array(z.string().max(20)).max(300),
    blockPremiumRate: z.boolean(),
    domesticOnly: z.boolean(),
    perUserDailyCapMicros: micros.nullable(),
    spikeFactor: z.number().finite(),
    exceptions: z
      .array(
        z
          .object({
            userId: z.string().min(1).max(64).optional(),
            groupId: z.string().min(1).max(64).optional(),
            displayName: z.string().max(256).optional(),
            blockedCountries: z.array(z.string().max(8)).max(300).optional(),
            domesticOnly: z.boolean().optional(),
            blockPremiumRate: z.boolean().optional(),
          })
          .strict(),
      )
      .max(100)
      .optional()
      .meta({ description: "rules that differ for a user or an Entra group (absent: unchanged)" }),
  })
  .strict();

/** POST /api/dev/graph/poll: poll up to `until` (default now). */
export const pollBody = z
  .object({ until: z.iso.datetime({ offset: true }).optional() })
  .strict()
  .optional();

/** Path parameter of DELETE /api/v1/payment-methods/{id}: taken as sent; the use case answers 404 for an id it does not know. */
export const paymentMethodIdParam = z.string();
