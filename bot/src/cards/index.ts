/**
 * Adaptive Cards (schema 1.5) rendered from the JSON templates in this folder with
 * adaptivecards-templating. View models hold display strings only: the numbers come from the API.
 */
import * as ACData from "adaptivecards-templating";
import { formatMoneyLocale, t, type AccountView, type NotificationKind } from "@cc/common";
import balanceTemplate from "./balance.json" with { type: "json" };
import notificationTemplate from "./notification.json" with { type: "json" };
import confirmTemplate from "./confirm.json" with { type: "json" };
import usageTemplate from "./usage.json" with { type: "json" };
import { money, when, WORDS } from "./words.js";
import type { Locale, UsagePeriod } from "../types.js";

export type AdaptiveCardJson = Record<string, unknown>;

export interface BalanceCardData {
  lang: Locale;
  appName: string;
  balance: string;
  balanceColor: "Default" | "Warning" | "Attention";
  facts: { title: string; value: string }[];
  lastRecharge: string;
  asOf: string;
}

/** The balance card's words and numbers, in the reader's language and the account's currency. */
export function balanceCardData(account: AccountView, locale: Locale = "en", now = new Date()): BalanceCardData {
  const w = WORDS[locale].balance;
  const m = (micros: number) => money(micros, account.currency, locale);
  const { autoRecharge, paymentMethod, lastRecharge } = account;
  return {
    lang: locale,
    appName: WORDS[locale].appName,
    balance: m(account.balanceMicros),
    balanceColor: account.status === "depleted" ? "Attention" : account.status === "not_set_up" ? "Warning" : "Default",
    facts: [
      { title: w.status, value: w.statusLabel[account.status] ?? account.status },
      { title: w.currency, value: account.currency },
      { title: w.autoRecharge, value: autoRecharge.enabled ? w.autoRechargeOn(m(autoRecharge.amountMicros), m(autoRecharge.thresholdMicros)) : w.off },
      { title: w.paymentMethod, value: paymentMethod ? w.card(`${paymentMethod.brand} •••• ${paymentMethod.last4}`, `${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear}`) : w.none },
    ],
    lastRecharge: lastRecharge
      ? w.lastRecharge(m(lastRecharge.amountMicros), w.rechargeStatus[lastRecharge.status] ?? lastRecharge.status, lastRecharge.failureCode ? (w.failure[lastRecharge.failureCode] ?? lastRecharge.failureCode) : "")
      : "",
    asOf: w.asOf(when(now.toISOString(), locale)),
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

/** An outbox event as a card shows it: the API's facts, untouched. */
export interface NotificationCardEvent {
  id: string;
  kind: NotificationKind;
  at: string;
  data: Record<string, unknown>;
}

/** What an admin did from a card, shown on every copy so nobody does it twice. */
export interface CardOutcome {
  by: string;
  verb: string;
  ok: boolean;
  /** The API's sentence when it refused. */
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

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export function notificationCardData(event: NotificationCardEvent, options: NotificationCardOptions) {
  const w = WORDS[options.locale];
  const d = event.data;
  const currency = str(d.currency) || "USD";
  const m = (micros: unknown) => money(num(micros), currency, options.locale);
  // The API's own sentence (a refusal, a spike), in French when it wrote one.
  const sentence = options.locale === "fr" && str(d.messageFr) ? str(d.messageFr) : str(d.message);
  const facts: { title: string; value: string }[] = [];
  const lines: string[] = [];
  let color = "Default";
  const actions = { showRetry: false, showUpdatePayment: false, showAddFunds: false, showAutoRecharge: false, showRestrict: false, showBlock: false, showResume: false };
  switch (event.kind) {
    case "recharge_succeeded":
      color = "Good";
      lines.push(w.rechargeSucceeded(m(d.amountMicros), str(d.paymentMethod) || "—"));
      // The alerts this recharge made unnecessary were held for it: the card tells the dip it restored.
      if (d.dip && typeof d.dip === "object") {
        const dip = d.dip as { lowestMicros?: unknown };
        const cents = (micros: unknown) => formatMoneyLocale(num(micros), currency, options.locale === "fr" ? "fr-FR" : "en-US");
        lines.push(t(options.locale, num(dip.lowestMicros) <= 0 ? "alerts.dip.restoredFromZero" : "alerts.dip.restoredFromLow", { lowest: cents(dip.lowestMicros), amount: cents(d.amountMicros) }));
      }
      facts.push({ title: w.fact.amount, value: m(d.amountMicros) }, { title: w.fact.balance, value: m(d.balanceAfterMicros) });
      break;
    case "recharge_failed":
      color = "Attention";
      lines.push(w.rechargeFailed(m(d.amountMicros)));
      if (sentence) lines.push(sentence);
      facts.push({ title: w.fact.balanceNow, value: m(d.balanceMicros) });
      if (str(d.paymentMethod)) facts.push({ title: w.fact.card, value: str(d.paymentMethod) });
      if (str(d.willRetryAt)) facts.push({ title: w.fact.retry, value: when(str(d.willRetryAt), options.locale) });
      Object.assign(actions, { showRetry: true, showUpdatePayment: true });
      break;
    case "balance_low":
      color = "Warning";
      lines.push(w.balanceLow(m(d.balanceAfterMicros), m(d.thresholdMicros)));
      if (typeof d.percentOfRecharge === "number") lines.push(t(options.locale, "alerts.lowBalance.percentOfRecharge", { percent: d.percentOfRecharge }));
      // No card offers what is already done: "Turn on auto-recharge" only while it is off.
      Object.assign(actions, { showAddFunds: true, showAutoRecharge: d.autoRechargeEnabled !== true });
      break;
    case "balance_depleted":
      color = "Attention";
      lines.push(w.depleted);
      facts.push({ title: w.fact.balanceNow, value: m(d.balanceAfterMicros) });
      Object.assign(actions, { showAddFunds: true, showAutoRecharge: d.autoRechargeEnabled !== true });
      break;
    case "funds_added":
      color = "Good";
      lines.push(w.fundsAdded(m(d.amountMicros), str(d.by) || "—"));
      facts.push({ title: w.fact.amount, value: m(d.amountMicros) }, { title: w.fact.balance, value: m(d.balanceAfterMicros) });
      break;
    case "recharge_paused":
      color = "Warning";
      if (sentence) lines.push(sentence);
      actions.showResume = true;
      break;
    case "card_expiring":
      color = "Warning";
      if (sentence) lines.push(sentence);
      if (str(d.paymentMethod)) facts.push({ title: w.fact.card, value: `${str(d.paymentMethod)} (${String(num(d.expMonth)).padStart(2, "0")}/${num(d.expYear)})` });
      actions.showUpdatePayment = true;
      break;
    case "budget_threshold": {
      color = num(d.level) >= 100 ? "Attention" : "Warning";
      const cents = (micros: unknown) => formatMoneyLocale(num(micros), currency, options.locale === "fr" ? "fr-FR" : "en-US");
      const department = str(d.department);
      lines.push(t(options.locale, "budgets.card.reached", { department, spent: cents(d.spentMicros), budget: cents(d.monthlyMicros), level: num(d.level), month: str(d.month) }));
      if (num(d.level) >= 100) lines.push(d.mode === "block" ? t(options.locale, "budgets.card.blocks", { department }) : t(options.locale, "budgets.card.warns"));
      break;
    }
    case "spend_spike":
      color = "Warning";
      if (sentence) lines.push(sentence);
      if (str(d.upn)) facts.push({ title: w.fact.user, value: str(d.upn) });
      if (str(d.destinationName)) facts.push({ title: w.fact.destination, value: str(d.destinationName) });
      facts.push({ title: w.fact.spend, value: m(d.amountMicros) }, { title: w.fact.usual, value: m(d.baselineMicros) });
      Object.assign(actions, { showRestrict: true, showBlock: str(d.destinationCountry) !== "" });
      break;
  }
  const outcome = options.outcome ? outcomeSentence(options.outcome, options.locale) : "";
  // Once someone acted, the buttons go: the card says who did what instead.
  if (options.outcome?.ok) for (const key of Object.keys(actions) as (keyof typeof actions)[]) actions[key] = false;
  const suggested = event.kind === "balance_low" || event.kind === "balance_depleted" ? Math.max(50, Math.ceil(num(d.thresholdMicros) / 1_000_000) * 2) : 50;
  return {
    lang: options.locale,
    appName: w.appName,
    refreshTitle: w.refresh,
    refreshUserIds: options.refreshUserIds ?? [],
    eventId: event.id,
    title: w.title[event.kind] ?? event.kind,
    color,
    lines,
    facts,
    stops: event.kind === "recharge_failed" || event.kind === "balance_low" || event.kind === "balance_depleted" ? w.stops : "",
    outcome,
    outcomeColor: options.outcome?.ok ? "Good" : "Attention",
    when: when(event.at, options.locale),
    labels: w.labels,
    tabUrl: options.tabUrl,
    suggestedAmount: suggested,
    ...actions,
  };
}

export function outcomeSentence(outcome: CardOutcome, locale: Locale): string {
  const w = WORDS[locale].outcome;
  if (!outcome.ok) return w.refused(outcome.by, outcome.message ?? "");
  const amount = outcome.amountMicros !== undefined ? money(outcome.amountMicros, outcome.currency ?? "USD", locale) : "";
  const what: Record<string, string> = {
    retry_recharge: w.retried,
    add_funds: w.added(amount),
    confirm_add_funds: w.added(amount),
    restrict_domestic: w.restricted,
    block_destination: w.blocked,
    resume_auto_recharge: w.resumed,
  };
  return w.done(outcome.by, what[outcome.verb] ?? outcome.verb);
}

export function renderNotificationCard(event: NotificationCardEvent, options: NotificationCardOptions): AdaptiveCardJson {
  const card = expand(notificationTemplate, notificationCardData(event, options));
  // A `$when` that is false leaves `"refresh": null`, which the 1.5 schema refuses (an object or nothing).
  if (card.refresh === null) delete card.refresh;
  return card;
}

/** Text for clients that show no card (and the activity summary). */
export function notificationSummary(event: NotificationCardEvent, locale: Locale): string {
  return `${WORDS[locale].appName}: ${WORDS[locale].title[event.kind] ?? event.kind}`;
}

export interface ConfirmCardInput {
  verb: "confirm_add_funds" | "confirm_top_up";
  amountMicros: number;
  currency: string;
  paymentMethod: string;
  /**
   * The API's offer id the confirmation carries (see api/src/notifications/card-offers.ts): a double
   * click charges once. Named `idempotencyKey`, not `key`: some clients (Agents Playground) crash on
   * an Action.Execute data field named `key`.
   */
  idempotencyKey: string;
  eventId?: string;
  /** After the charge: the new balance (ok) or the API's refusal sentence. */
  done?: { ok: true; balanceMicros: number } | { ok: false; message: string };
}

export function renderConfirmCard(input: ConfirmCardInput, locale: Locale): AdaptiveCardJson {
  const w = WORDS[locale].confirm;
  const amount = money(input.amountMicros, input.currency, locale);
  const outcome = !input.done ? "" : input.done.ok ? w.done(amount, money(input.done.balanceMicros, input.currency, locale)) : input.done.message;
  return expand(confirmTemplate, {
    lang: locale,
    appName: WORDS[locale].appName,
    title: w.title,
    question: w.question(amount, input.paymentMethod),
    confirmLabel: w.confirm(amount),
    verb: input.verb,
    amountMicros: input.amountMicros,
    idempotencyKey: input.idempotencyKey,
    eventId: input.eventId ?? "",
    outcome,
    outcomeColor: input.done?.ok ? "Good" : "Attention",
  });
}

export function renderUsageCard(usage: UsagePeriod, locale: Locale): AdaptiveCardJson {
  const w = WORDS[locale].usage;
  const m = (micros: number) => money(micros, usage.currency, locale);
  const day = (iso: string) => new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  const line = (l: UsagePeriod["destinations"][number]) => ({ title: l.label, value: `${m(l.chargeMicros)} · ${l.minutes} min · ${l.calls}` });
  return expand(usageTemplate, {
    lang: locale,
    title: w.title,
    period: w.period(day(usage.from), day(usage.to)),
    totals: [
      { title: w.spend, value: m(usage.totals.chargeMicros) },
      { title: w.minutes, value: String(usage.totals.minutes) },
      { title: w.calls, value: String(usage.totals.calls) },
    ],
    destinationsTitle: w.destinations,
    destinations: usage.destinations.slice(0, 5).map(line),
    callTypesTitle: w.callTypes,
    callTypes: usage.callTypes.map(line),
    empty: usage.totals.calls === 0 ? w.empty : "",
  });
}
