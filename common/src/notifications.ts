/** Shapes of the API contract v1 (shared/API.md) about notifications: kinds, deliveries, settings, what nobody was told. */
import { t } from "./i18n/catalog.js";

export type NotificationKind =
  "recharge_succeeded" | "recharge_failed" | "balance_depleted" | "balance_low" | "funds_added" | "recharge_paused" | "card_expiring" | "spend_spike" | "budget_threshold";

/** Every kind, in the order people read them (the tab's settings and lists). */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  "recharge_succeeded",
  "recharge_failed",
  "recharge_paused",
  "balance_low",
  "balance_depleted",
  "funds_added",
  "card_expiring",
  "spend_spike",
  "budget_threshold",
];

/** A kind's short name for people (the catalog's events.kind.*); an unknown kind (a newer server) as it came. */
export function notificationKindName(kind: string, lang: string = "en"): string {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind) ? t(lang, `events.kind.${kind as NotificationKind}`) : kind;
}

export type DeliveryStatus = "pending" | "sent" | "not_installed" | "failed";

/** How a notification reached (or was tried on) a person or a channel (API.md v1.2). */
export type DeliveryChannel = "teams_chat" | "teams_channel" | "activity_feed" | "email";

/** The kinds that must reach someone: they also ping the activity feed, and nobody told is a warning. */
export const URGENT_KINDS: readonly NotificationKind[] = ["recharge_failed", "balance_depleted", "recharge_paused", "spend_spike"];

/**
 * Why a delivery did not reach its recipient (or is still waiting), as a code the tab words with
 * its fix (tab catalog `reach.reason.*`); the raw text of Teams' or Graph's answer stays in the logs.
 */
export const DELIVERY_REASON_CODES = [
  "not_installed",
  "app_install_refused",
  "blocked",
  "forbidden",
  "mailbox_forbidden",
  "no_sender_mailbox",
  "throttled",
  "unconfirmed",
  "failed",
] as const;
export type DeliveryReasonCode = (typeof DELIVERY_REASON_CODES)[number];

/** One recipient and one channel: a recipient reached two ways appears once per channel (API.md v1.2). */
export interface NotificationRecipientView {
  upn: string;
  status: DeliveryStatus;
  /** Absent on events delivered before channels were recorded (they were all teams_chat). */
  channel?: DeliveryChannel | null;
  /** Why it did not reach them (absent once sent). */
  reasonCode?: DeliveryReasonCode;
  attempts: number;
}

export interface NotificationChannelView {
  teamId: string;
  channelId: string;
  name: string;
  status: DeliveryStatus;
  reasonCode?: DeliveryReasonCode;
  attempts: number;
}

/** Per tenant: which roles get which kinds, and the admin channels that also get every kind. */
export interface NotificationSettings {
  kinds: Partial<Record<NotificationKind, { roles: string[] }>>;
  channels: { teamId: string; channelId: string; name: string }[];
  /** Low-balance alerts (at most 5): a percentage of the recharge amount, or an amount; none: the auto-recharge threshold while auto-recharge is off. */
  lowBalanceThresholds?: LowBalanceThreshold[];
  /** Urgent kinds also ping each admin's Teams activity feed (default true). */
  activityFeed?: boolean;
}

/** What the tenant's low-balance thresholds mean today (answer only, issue 22). */
export interface LowBalanceToday {
  currency: string;
  autoRechargeOn: boolean;
  /** Per threshold, in the order of `lowBalanceThresholds`: its amount in micros today (null: a percentage with no recharge amount set). */
  amountsMicros: (number | null)[];
}

/** GET/PUT /api/v1/notification-settings answer: the settings as they act, with what the thresholds mean today. */
export interface NotificationSettingsAnswer extends NotificationSettings {
  lowBalanceToday?: LowBalanceToday;
}

/** An urgent event no admin was told about by any channel (API.md v1.2 `unreachedEvents`). */
export interface UnreachedEventView {
  eventId: string;
  kind: NotificationKind;
  at: string;
  /** Who was tried, on which channel, and why it did not reach them. */
  tried: { upn: string; channel: DeliveryChannel; status: DeliveryStatus; reasonCode?: DeliveryReasonCode }[];
}

/** What the local Graph received (local world only, GET /api/dev/graph-outbox). */
export interface LocalMailView {
  at: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** The wire form: JSON message, or MIME (base64 text/plain body). */
  format: "json" | "mime";
}

export interface LocalFeedItemView {
  at: string;
  userId: string;
  activityType: string;
  chainId: number | null;
  /** The text Teams shows, from the manifest's template and the parameters sent. */
  text: string;
  previewText: string;
  webUrl: string;
}

/** One low-balance alert threshold (issue 22): `{ percentOfRecharge: 25 }` or `{ amountMicros: 50000000 }`. */
export type LowBalanceThreshold = { percentOfRecharge: number } | { amountMicros: number };

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  at: string;
  tenantId: string;
  data: Record<string, unknown>;
  recipients: NotificationRecipientView[];
  channels: NotificationChannelView[];
}
