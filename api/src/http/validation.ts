/** zod schemas of the API's inputs (bodies, queries, headers). */
import { z } from "zod";
import { NOTIFICATION_KINDS, NOTIFIED_ROLES, type NotificationKind, type NotificationSettings } from "@cc/common";
import { refuse } from "../shared/refusal.js";

const micros = z.number({ error: "must be a number of micros" }).int("must be a whole number of micros").refine(Number.isSafeInteger, "is too large");

export const addFundsBody = z.object({ amountMicros: micros.refine((v) => v > 0, "must be more than 0") }).strict();
export const autoRechargeBody = z
  .object({
    enabled: z.boolean(),
    amountMicros: micros.min(0, "must be 0 or more"),
    thresholdMicros: micros.min(0, "must be 0 or more"),
    maxRechargesPerDay: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(100, "must be 100 or less").optional(),
    maxAmountPerDayMicros: micros.min(0, "must be 0 or more").nullable().optional(),
  })
  .strict();
export const paymentMethodBody = z.object({ token: z.string().min(1).max(200) }).strict();
/**
 * An id this API gave (a payment method's `pm-…`, an entry's): letters, digits and `- _ . :` only.
 * Store ids cannot hold `/ \ # ?`, so anything else is 400 here rather than a store error later.
 */
export const resourceId = z.string().min(1).max(200).regex(/^[A-Za-z0-9_.:-]+$/, "is not an id this API gave");

export const defaultPaymentMethodBody = z.object({ paymentMethodId: resourceId }).strict();
export const devTokenBody = z.object({ upn: z.string().min(3).max(200) }).strict();
export const devDebitBody = z.object({ amountMicros: micros.refine((v) => v > 0, "must be more than 0") }).strict();

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const userIdParam = z.string().min(1).max(100).regex(/^[A-Za-z0-9-]+$/, "is not a user id");

/** Idempotency-Key: 1–255 printable ASCII characters. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string {
  const value = headers["idempotency-key"];
  if (typeof value !== "string" || value.length === 0) throw refuse.invalid("Idempotency-Key", "This request moves money: send an Idempotency-Key header");
  if (value.length > 255 || !/^[\x21-\x7e]+$/.test(value)) throw refuse.invalid("Idempotency-Key", "must be 1 to 255 printable characters");
  return value;
}

const roleTemplateId = z.string().refine((id) => (NOTIFIED_ROLES as readonly string[]).includes(id), "is not one of the notified directory roles (a role template id)");
const channelText = z.string().min(1, "must not be empty").max(200, "must be 200 characters or fewer");

/** PUT /api/v1/notification-settings: roles per kind (notified roles only), admin channels without duplicates. */
export const notificationSettingsBody = z
  .object({
    kinds: z
      .record(z.string(), z.object({ roles: z.array(roleTemplateId).max(NOTIFIED_ROLES.length).transform((r) => [...new Set(r)]) }).strict())
      .superRefine((kinds, ctx) => {
        for (const kind of Object.keys(kinds)) {
          if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) ctx.addIssue({ code: "custom", path: [kind], message: `is not a notification kind (${NOTIFICATION_KINDS.join(", ")})` });
        }
      })
      .transform((k) => k as Partial<Record<NotificationKind, { roles: string[] }>>),
    channels: z
      .array(z.object({ teamId: channelText, channelId: channelText, name: z.string().max(200) }).strict())
      .max(50, "at most 50 admin channels")
      .refine((c) => new Set(c.map((x) => x.channelId)).size === c.length, "lists a channel twice"),
  })
  .strict()
  .transform((s): NotificationSettings => s);

/** GET /tab/first-frame: the theme the tab will draw itself in (kept in the browser; the rest the server knows). */
export const firstFrameQuery = z.object({ theme: z.enum(["default", "dark", "contrast"]).default("default") }).strict();
