/** The card for an event in a language, with what an admin did from one of its copies, if anything. */
import { notificationSummary, renderNotificationCard, type Locale, type ProactiveMessage } from "@cc/bot";
import type { OutboxEvent } from "./outbox.js";

export function cardMessage(event: OutboxEvent, locale: Locale, tabUrl: string, refreshUserIds?: string[]): ProactiveMessage {
  const outcome = event.action
    ? {
        by: event.action.by,
        verb: event.action.verb,
        ok: event.action.ok,
        message: event.action.message,
        amountMicros: event.action.amountMicros,
        currency: event.action.currency,
        at: event.action.at,
      }
    : null;
  return { card: renderNotificationCard(event, { locale, tabUrl, outcome, refreshUserIds }), summary: notificationSummary(event, locale) };
}
