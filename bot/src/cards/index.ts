/**
 * Adaptive Cards (schema 1.5) rendered from the JSON templates in this folder with
 * adaptivecards-templating. A template gets its words from the message catalog as data (namespace
 * "cards"); the numbers and names come from the API: the typed event facts (common/src/events.ts),
 * the account view. Amounts are said to the cent in the account's currency.
 */
import * as ACData from "adaptivecards-templating";
import { assertNever, intlFor, t, type AccountView, type MessageId, type StoredNotificationEvent } from "@cc/common";
import balanceTemplate from "./balance.json" with { type: "json" };
import notificationTemplate from "./notification.json" with { type: "json" };
import confirmTemplate from "./confirm.json" with { type: "json" };
import usageTemplate from "./usage.json" with { type: "json" };
import { day, money, when } from "./words.js";
import type { Locale, UsagePeriod } from "../types.js";

export type AdaptiveCardJson = Record<string, unknown>;

export interface BalanceCardData {
  lang: string;
  appName: string;
  balance: string;
  balanceColor: "Default" | "Warning" | "Attention";
  facts: { title: string; value: string }[];
  lastRecharge: string;
  next: string;
  asOf: string;
}

/** The language a card declares (`lang`): the pseudo-locale is English underneath. */
const langOf = (locale: Locale) => (locale === "fr" ? "fr" : "en");

/** The balance card's words and numbers, in the reader's language and the account's currency. */
export function balanceCardData(account: AccountView, locale: Locale = "en", now = new Date()): BalanceCardData {
  const w = (id: MessageId, values?: Parameters<typeof t>[2]) => t(locale, id, values);
  const m = (micros: number) => money(micros, account.currency, locale);
  const { autoRecharge, paymentMethod, lastRecharge } = account;
  const autoRechargeText = !autoRecharge.enabled
    ? w("cards.balance.off")
    : autoRecharge.paused
      ? w("cards.balance.autoRechargePaused", { reason: w("cards.pauseReason", { reason: autoRecharge.paused.reason }) })
      : w("cards.balance.autoRechargeOn", { amount: m(autoRecharge.amountMicros), threshold: m(autoRecharge.thresholdMicros) });
  return {
    lang: langOf(locale),
    appName: w("cards.app.name"),
    balance: m(account.balanceMicros),
    balanceColor: account.status === "depleted" ? "Attention" : account.status === "not_set_up" ? "Warning" : "Default",
    facts: [
      { title: w("cards.balance.status"), value: w("cards.balance.statusLabel", { status: account.status }) },
      { title: w("cards.balance.currency"), value: account.currency },
      { title: w("cards.balance.autoRecharge"), value: autoRechargeText },
      {
        title: w("cards.balance.paymentMethod"),
        value: paymentMethod
          ? w("cards.cardWithExpiry", { card: paymentMethod.name, expiry: `${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear}` })
          : w("cards.balance.none"),
      },
    ],
    lastRecharge: lastRecharge
      ? w("cards.balance.lastRecharge", {
          amount: m(lastRecharge.amountMicros),
          status: lastRecharge.status,
          failure: lastRecharge.failureCode ? "yes" : "none",
          failureWords: lastRecharge.failureCode ? w("cards.balance.failure", { code: lastRecharge.failureCode }) : "",
        })
      : "",
    // The next step the API found for this account (add a card, turn on or resume auto-recharge, replace the failed card, add funds).
    next: account.nextAction ? w("cards.balance.next", { action: account.nextAction }) : "",
    asOf: w("cards.balance.asOf", { at: when(now.toISOString(), locale) }),
  };
}

export function renderBalanceCard(account: AccountView, locale: Locale = "en", now?: Date): AdaptiveCardJson {
  return expand(balanceTemplate, balanceCardData(account, locale, now));
}

/**
 * Each template parsed once: building an ACData.Template parses every `${…}` expression (about
 * 10 ms of CPU for the notification card), and an instance is meant to be bound to data again and
 * again (its expand is synchronous and keeps no state between calls).
 */
const prepared = new Map<object, ACData.Template>();

function expand(template: object, data: object): AdaptiveCardJson {
  let parsed = prepared.get(template);
  if (!parsed) {
    parsed = new ACData.Template(template);
    prepared.set(template, parsed);
  }
  return parsed.expand({ $root: data }) as AdaptiveCardJson;
}

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

type Fact = { title: string; value: string };
type Actions = { showRetry: boolean; showUpdatePayment: boolean; showAddFunds: boolean; showAutoRecharge: boolean; showRestrict: boolean; showBlock: boolean; showResume: boolean };

/** What a notification card says for each kind: its words from the catalog, its facts from the event. */
function notificationBody(
  event: NotificationCardEvent,
  locale: Locale,
): { color: string; lines: string[]; facts: Fact[]; actions: Partial<Actions>; suggestedAmount: number | "" } {
  const w = (id: MessageId, values?: Parameters<typeof t>[2]) => t(locale, id, values);
  const expiry = (month: number, year: number) => `${String(month).padStart(2, "0")}/${year}`;
  const none = "—";
  switch (event.kind) {
    case "recharge_succeeded": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      return {
        color: "Good",
        lines: [
          w("cards.rechargeSucceeded", { amount: m(d.amountMicros), card: d.paymentMethod ?? none }),
          // The alerts this recharge made unnecessary were held for it: the card tells the dip it restored.
          ...(d.dip
            ? [w(d.dip.lowestMicros <= 0 ? "alerts.dip.restoredFromZero" : "alerts.dip.restoredFromLow", { lowest: m(d.dip.lowestMicros), amount: m(d.amountMicros) })]
            : []),
        ],
        facts: [
          { title: w("cards.fact.amount"), value: m(d.amountMicros) },
          { title: w("cards.fact.balance"), value: m(d.balanceAfterMicros) },
        ],
        actions: {},
        suggestedAmount: "",
      };
    }
    case "recharge_failed": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      const known = d.reason === "expired_card" || d.reason === "card_declined" || d.reason === "processing_error";
      const why = w((known ? `problems.${d.reason}` : "problems.card_refused") as MessageId, {
        card: d.paymentMethod ?? "none",
        past: d.expiredIn ? "yes" : d.paymentMethod ? "no" : "unknown",
        expiry: d.expiredIn ?? "",
      });
      const facts: Fact[] = [{ title: w("cards.fact.balanceNow"), value: m(d.balanceMicros) }];
      if (d.paymentMethod) facts.push({ title: w("cards.fact.card"), value: d.paymentMethod });
      if (d.willRetryAt) facts.push({ title: w("cards.fact.retry"), value: when(d.willRetryAt, locale) });
      return {
        color: "Attention",
        lines: [w("cards.rechargeFailed", { amount: m(d.amountMicros) }), why],
        facts,
        actions: { showRetry: true, showUpdatePayment: true },
        suggestedAmount: "",
      };
    }
    case "balance_low":
    case "balance_depleted": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      const low = event.kind === "balance_low";
      return {
        color: low ? "Warning" : "Attention",
        lines: [
          low ? w("cards.balanceLow", { balance: m(d.balanceAfterMicros), threshold: m(d.thresholdMicros) }) : w("cards.depleted"),
          ...(low && d.percentOfRecharge !== undefined ? [w("alerts.lowBalance.percentOfRecharge", { percent: d.percentOfRecharge })] : []),
        ],
        facts: low ? [] : [{ title: w("cards.fact.balanceNow"), value: m(d.balanceAfterMicros) }],
        // No card offers what is already done: "Turn on auto-recharge" only while it is off.
        actions: { showAddFunds: true, showAutoRecharge: d.autoRechargeEnabled !== true },
        // The API's suggestion, in units for the card's number input (whole cents: at most two decimals).
        suggestedAmount: d.suggestedTopUpMicros === undefined ? "" : Math.round(d.suggestedTopUpMicros / 10_000) / 100,
      };
    }
    case "funds_added": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      return {
        color: "Good",
        lines: [w("cards.fundsAdded", { amount: m(d.amountMicros), by: d.by || none })],
        facts: [
          { title: w("cards.fact.amount"), value: m(d.amountMicros) },
          { title: w("cards.fact.balance"), value: m(d.balanceAfterMicros) },
        ],
        actions: {},
        suggestedAmount: "",
      };
    }
    case "recharge_paused": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      const limit = d.reason === "max_recharges_per_day" ? w("cards.rechargeCount", { count: d.limitCount ?? 0 }) : m(d.limitMicros ?? 0);
      return {
        color: "Warning",
        lines: [w("cards.rechargePaused", { reason: d.reason, amount: m(d.amountMicros), limitCount: d.limitCount ?? 0, limit: m(d.limitMicros ?? 0) })],
        facts: [
          { title: w("cards.fact.reason"), value: w("cards.pauseReason", { reason: d.reason }) },
          { title: w("cards.fact.limit"), value: limit },
        ],
        actions: { showResume: true },
        suggestedAmount: "",
      };
    }
    case "card_expiring": {
      const d = event.data;
      return {
        color: "Warning",
        lines: [w("cards.cardExpiring", { expired: d.expired ? "yes" : "no", card: d.paymentMethod, expiry: expiry(d.expMonth, d.expYear) })],
        facts: [{ title: w("cards.fact.card"), value: w("cards.cardWithExpiry", { card: d.paymentMethod, expiry: expiry(d.expMonth, d.expYear) }) }],
        actions: { showUpdatePayment: true },
        suggestedAmount: "",
      };
    }
    case "spend_spike": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      const subject = d.destinationName ? "destination" : d.upn ? "user" : "other";
      const facts: Fact[] = [];
      if (d.upn) facts.push({ title: w("cards.fact.user"), value: d.upn });
      if (d.destinationName) facts.push({ title: w("cards.fact.destination"), value: d.destinationName });
      facts.push({ title: w("cards.fact.spend"), value: m(d.amountMicros) }, { title: w("cards.fact.usual"), value: m(d.baselineMicros) });
      return {
        color: "Warning",
        lines: [w("cards.spendSpike", { subject, destination: d.destinationName ?? "", upn: d.upn ?? "", amount: m(d.amountMicros), usual: m(d.baselineMicros) })],
        facts,
        actions: { showRestrict: true, showBlock: !!d.destinationCountry },
        suggestedAmount: "",
      };
    }
    case "budget_threshold": {
      const d = event.data;
      const m = (micros: number) => money(micros, d.currency, locale);
      const reached = d.level >= 100;
      return {
        color: reached ? "Attention" : "Warning",
        lines: [
          w("budgets.card.reached", { department: d.department, spent: m(d.spentMicros), budget: m(d.monthlyMicros), level: d.level, month: monthName(d.month, locale) }),
          ...(reached ? [d.mode === "block" ? w("budgets.card.blocks", { department: d.department }) : w("budgets.card.warns")] : []),
        ],
        facts: [],
        actions: {},
        suggestedAmount: "",
      };
    }
    default:
      return assertNever(event);
  }
}

/** "2026-11" as people say it: "November 2026", "novembre 2026". */
function monthName(month: string, locale: Locale): string {
  return intlFor(locale).formatDate(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1), { month: "long", year: "numeric", timeZone: "UTC" });
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

export interface ConfirmCardInput {
  verb: "confirm_add_funds" | "confirm_top_up";
  amountMicros: number;
  currency: string;
  /** The card as the API names it ("Visa •••• 4242"), or null when there is none yet. */
  paymentMethod: string | null;
  /**
   * The API's offer id the confirmation carries (see api/src/notifications/card-offers.ts): a double
   * click charges once. Named `idempotencyKey`, not `key`: some clients (Agents Playground) crash on
   * an Action.Execute data field named `key`.
   */
  idempotencyKey: string;
  eventId?: string;
  /** After the charge: the new balance (ok) or the API's refusal sentence (in the reader's language). */
  done?: { ok: true; balanceMicros: number } | { ok: false; message: string };
}

export function renderConfirmCard(input: ConfirmCardInput, locale: Locale): AdaptiveCardJson {
  const amount = money(input.amountMicros, input.currency, locale);
  const outcome = !input.done
    ? ""
    : input.done.ok
      ? t(locale, "cards.confirm.done", { amount, balance: money(input.done.balanceMicros, input.currency, locale) })
      : input.done.message;
  return expand(confirmTemplate, {
    lang: langOf(locale),
    appName: t(locale, "cards.app.name"),
    title: t(locale, "cards.confirm.title"),
    question: t(locale, "cards.confirm.question", { amount, card: input.paymentMethod ?? t(locale, "cards.confirm.noCard") }),
    confirmLabel: t(locale, "cards.confirm.confirm", { amount }),
    verb: input.verb,
    amountMicros: input.amountMicros,
    idempotencyKey: input.idempotencyKey,
    eventId: input.eventId ?? "",
    outcome,
    outcomeColor: input.done?.ok ? "Good" : "Attention",
  });
}

export function renderUsageCard(usage: UsagePeriod, locale: Locale): AdaptiveCardJson {
  const m = (micros: number) => money(micros, usage.currency, locale);
  const count = (n: number) => t(locale, "cards.usage.count", { count: n });
  const value = (l: UsagePeriod["destinations"][number]) => t(locale, "cards.usage.line", { amount: m(l.chargeMicros), minutes: l.minutes, calls: l.calls });
  return expand(usageTemplate, {
    lang: langOf(locale),
    title: t(locale, "cards.usage.title"),
    period: t(locale, "cards.usage.period", { from: day(usage.from, locale), to: day(usage.to, locale) }),
    totals: [
      { title: t(locale, "cards.usage.spend"), value: m(usage.totals.chargeMicros) },
      { title: t(locale, "cards.usage.minutes"), value: count(usage.totals.minutes) },
      { title: t(locale, "cards.usage.calls"), value: count(usage.totals.calls) },
    ],
    destinationsTitle: t(locale, "cards.usage.destinations"),
    // A destination is a country: its name in the reader's language ("Royaume-Uni"), else the API's label.
    destinations: usage.destinations
      .slice(0, 5)
      .map((l) => ({ title: /^[A-Z]{2}$/.test(l.key) ? (intlFor(locale).formatDisplayName(l.key, { type: "region" }) ?? l.label) : l.label, value: value(l) })),
    callTypesTitle: t(locale, "cards.usage.callTypes"),
    // Call types in words ("Dial-in to meetings"), never Graph's codes ("conf_in").
    callTypes: usage.callTypes.map((l) => ({ title: t(locale, "cards.callType", { type: l.key }), value: value(l) })),
    empty: usage.totals.calls === 0 ? t(locale, "cards.usage.empty") : "",
  });
}
