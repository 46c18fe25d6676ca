/**
 * One delivery record per (event, recipient, channel), with a deterministic id, in the outbox
 * container: `delivery:<event>:<user>` (Teams chat), `delivery:<event>:conv:<channel>` (a team
 * channel), `delivery:<event>:<user>:email` and `delivery:<event>:<user>:feed`. A record already
 * terminal is never sent again, across instances, rounds and restarts; GET /api/v1/notifications
 * shows them as the recipients of the event, one line per channel (API.md v1.2).
 */
import pRetry from "p-retry";
import { ConnectorError, type ConversationRef, type Locale } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { DeliveryChannel, DeliveryReasonCode, DeliveryStatus } from "@cc/common";
import type { Logger } from "pino";
import { queryAll } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";

export interface DeliveryDoc {
  id: string;
  tenantId: string;
  type: "delivery";
  eventId: string;
  recipient: { kind: "user"; userId: string; upn: string } | { kind: "channel"; conversationId: string; teamId: string; channelId: string; name: string };
  /** Absent on records written before channels were recorded: those are teams_chat or teams_channel. */
  channel?: DeliveryChannel;
  status: DeliveryStatus;
  /** Why it did not reach them, as a code the API shows (the tab words it). */
  reasonCode?: DeliveryReasonCode;
  /** The raw text of the answer, for support: never shown to people. */
  reason?: string;
  attempts: number;
  locale: Locale;
  activityId?: string;
  conversationId?: string;
  serviceUrl?: string;
  /** The reference the card was sent with: card updates go through it as it is. */
  reference?: ConversationRef;
  updatedAt: string;
}

/** A new try of a delivery to one admin on one channel, pending until it is sent or refused. */
export function pendingToUser(
  id: string,
  event: { id: string; tenantId: string },
  user: { id: string; upn: string },
  channel: DeliveryChannel,
  fields: { attempts: number; locale: Locale; updatedAt: string; reason?: string },
): DeliveryDoc {
  return {
    id,
    tenantId: event.tenantId,
    type: "delivery",
    eventId: event.id,
    recipient: { kind: "user", userId: user.id, upn: user.upn },
    channel,
    status: "pending",
    ...(fields.reason === undefined ? {} : { reason: fields.reason }),
    attempts: fields.attempts,
    locale: fields.locale,
    updatedAt: fields.updatedAt,
  };
}

export const TERMINAL: readonly DeliveryStatus[] = ["sent", "not_installed", "failed"];
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);
const GONE_CODES = new Set(["BotNotInConversationRoster", "MessageWritesBlocked", "ConversationNotFound", "ConversationBlockedByUser"]);

export function channelOf(doc: DeliveryDoc): DeliveryChannel {
  return doc.channel ?? (doc.recipient.kind === "channel" ? "teams_channel" : "teams_chat");
}

/** Every delivery record of an event (card actions update every copy; the overview looks for nobody told). */
export function deliveriesOf(container: Container, tenantId: string, eventId: string): Promise<DeliveryDoc[]> {
  return queryAll<DeliveryDoc>(container, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'delivery' AND c.eventId = @eventId", { "@eventId": eventId });
}

export interface RetryOptions {
  /** Rounds a recipient is tried before it is `failed`. */
  maxAttempts?: number;
  /** p-retry tries within one round. */
  retries?: number;
  minRetryMs?: number;
}

/** Run one delivery with retries; a transient failure left after them stays pending until maxAttempts rounds. */
export async function attempt(base: DeliveryDoc, run: () => Promise<Partial<DeliveryDoc>>, options: RetryOptions, clock: Clock, logger: Logger): Promise<DeliveryDoc> {
  try {
    const outcome = await pRetry(run, {
      retries: options.retries ?? 4,
      minTimeout: options.minRetryMs ?? 200,
      maxTimeout: 10_000,
      randomize: true,
      shouldRetry: ({ error }) => isTransient(error),
      onFailedAttempt: async ({ error }) => {
        // Teams said when: wait that long (the back-off still applies after).
        if (error instanceof ConnectorError && error.status === 429 && error.retryAfterMs) await new Promise((r) => setTimeout(r, Math.min(error.retryAfterMs ?? 0, 60_000)));
      },
    });
    return { ...base, ...outcome, updatedAt: clock.now().toISOString() } as DeliveryDoc;
  } catch (error) {
    const reason = error instanceof ConnectorError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    const giveUp = !isTransient(error) || base.attempts >= (options.maxAttempts ?? 5);
    logger.warn({ err: error, deliveryId: base.id, attempts: base.attempts, giveUp }, "a notification could not be delivered");
    const status = error instanceof ConnectorError ? error.status : statusOf(error);
    // Still pending after a transient failure: no reason yet, unless Teams said to wait.
    const reasonCode = giveUp ? "failed" : status === 429 ? "throttled" : undefined;
    return { ...base, status: giveUp ? "failed" : "pending", reasonCode, reason, updatedAt: clock.now().toISOString() };
  }
}

/** The app is no longer in this conversation (or the user blocked it): sending there again is pointless. */
export function isGone(error: unknown): boolean {
  return error instanceof ConnectorError && (error.status === 403 || error.status === 404 || GONE_CODES.has(error.code));
}

export function isTransient(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.status === undefined || RETRYABLE.has(error.status);
  // Graph client errors (app install, mail, feed) and network failures without a status.
  const status = statusOf(error);
  return status === undefined || RETRYABLE.has(status);
}

/** The HTTP status of a Graph client error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status > 0 ? status : undefined;
}

export function messageOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && code ? `${code}: ${message}` : message;
}
