/** Answer schemas of the notifications: events and who was told, who is told of what, urgent events that reached nobody (see answers.ts). */
import { z } from "zod";
import { DELIVERY_REASON_CODES, NOTIFICATION_KINDS, type NotificationKind, type NotificationSettingsAnswer, type NotificationView, type UnreachedEventView } from "@cc/common";
import { aligned, instant, micros, page, roleIds, type Same } from "./answer-parts.js";

export const deliveryStatus = z.enum(["pending", "sent", "not_installed", "failed"]);
export const deliveryChannel = z.enum(["teams_chat", "teams_channel", "activity_feed", "email"]);
export const deliveryReasonCode = z
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
