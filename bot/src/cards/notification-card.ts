/**
 * A notification card (schema 1.5, from notification.json, expanded with adaptivecards-templating):
 * the words of its kind (notification-body.ts), what an admin did from it, its buttons. A template
 * gets its words from the message catalog as data (namespace "cards"); the numbers and names come
 * from the API: the typed event facts (common/src/events.ts). Amounts are said to the cent in the
 * account's currency.
 */
import { t, type MessageId, type StoredNotificationEvent } from "@cc/common";
import notificationTemplate from "./notification.json" with { type: "json" };
import { notificationBody, type Actions } from "./notification-body.js";
import { expand, langOf, type AdaptiveCardJson } from "./template.js";
import { money, when } from "./words.js";
import type { Locale } from "../types.js";

/** An outbox event as a card shows it: its kind and the API's typed facts, untouched. */
export type NotificationCardEvent = StoredNotificationEvent;

/** What an admin did from a card, shown on every copy so nobody does it twice. */
export interface CardOutcome {
  by: string;
  verb: string;
  ok: boolean;
  /** The API's sentence when it refused (already in the reader's language). */
  message?: string;
  amountMicros?: number;
  currency?: string;
  at: string;
}

export interface NotificationCardOptions {
  locale: Locale;
  /** Deep link to the tab (update the payment method, turn on auto-recharge). */
  tabUrl: string;
  outcome?: CardOutcome | null;
  /** Channel posts: the admins whose clients fetch the current card (Universal Actions refresh). */
  refreshUserIds?: string[];
}

export function notificationCardData(event: NotificationCardEvent, options: NotificationCardOptions) {
  const { locale } = options;
  const w = (id: MessageId) => t(locale, id);
  const body = notificationBody(event, locale);
  const actions: Actions = {
    showRetry: false,
    showUpdatePayment: false,
    showAddFunds: false,
    showAutoRecharge: false,
    showRestrict: false,
    showBlock: false,
    showResume: false,
    ...body.actions,
  };
  const outcome = options.outcome ? outcomeSentence(options.outcome, locale) : "";
  // Once someone acted, the buttons go: the card says who did what instead.
  if (options.outcome?.ok) for (const key of Object.keys(actions) as (keyof Actions)[]) actions[key] = false;
  return {
    lang: langOf(locale),
    appName: w("cards.app.name"),
    refreshTitle: w("cards.refresh"),
    refreshUserIds: options.refreshUserIds ?? [],
    eventId: event.id,
    title: w(`cards.title.${event.kind}`),
    color: body.color,
    lines: body.lines,
    facts: body.facts,
    stops: event.kind === "recharge_failed" || event.kind === "balance_low" || event.kind === "balance_depleted" ? w("cards.stops") : "",
    outcome,
    outcomeColor: options.outcome?.ok ? "Good" : "Attention",
    when: when(event.at, locale),
    labels: {
      retry: w("cards.label.retry"),
      updatePayment: w("cards.label.updatePayment"),
      addFunds: w("cards.label.addFunds"),
      amount: w("cards.label.amount"),
      amountError: w("cards.label.amountError"),
      continue: w("cards.label.continue"),
      turnOnAutoRecharge: w("cards.label.turnOnAutoRecharge"),
      restrictDomestic: w("cards.label.restrictDomestic"),
      blockDestination: w("cards.label.blockDestination"),
      resume: w("cards.label.resume"),
    },
    tabUrl: options.tabUrl,
    suggestedAmount: body.suggestedAmount,
    ...actions,
  };
}

const OUTCOME_VERBS: Record<string, MessageId> = {
  retry_recharge: "cards.outcome.retry_recharge",
  add_funds: "cards.outcome.add_funds",
  confirm_add_funds: "cards.outcome.add_funds",
  restrict_domestic: "cards.outcome.restrict_domestic",
  block_destination: "cards.outcome.block_destination",
  resume_auto_recharge: "cards.outcome.resume_auto_recharge",
};

export function outcomeSentence(outcome: CardOutcome, locale: Locale): string {
  if (!outcome.ok) return t(locale, "cards.outcome.refused", { who: outcome.by, why: outcome.message ?? "" });
  const amount = outcome.amountMicros !== undefined ? money(outcome.amountMicros, outcome.currency ?? "USD", locale) : "";
  return t(locale, OUTCOME_VERBS[outcome.verb] ?? "cards.outcome.other", { who: outcome.by, amount });
}

export function renderNotificationCard(event: NotificationCardEvent, options: NotificationCardOptions): AdaptiveCardJson {
  const card = expand(notificationTemplate, notificationCardData(event, options));
  // A `$when` that is false leaves `"refresh": null`, which the 1.5 schema refuses (an object or nothing).
  if (card.refresh === null) delete card.refresh;
  return card;
}

/** Text for clients that show no card (and the activity summary). */
export function notificationSummary(event: Pick<NotificationCardEvent, "kind">, locale: Locale): string {
  return t(locale, "cards.summary", { title: t(locale, `cards.title.${event.kind}`) });
}
