/** The words and facts of a notification card, kind by kind (notification-card.ts lays them out). */
import { assertNever, intlFor, t, type MessageId, type StoredNotificationEvent } from "@cc/common";
import { money, when } from "./words.js";
import type { Locale } from "../types.js";

export type Fact = { title: string; value: string };
export type Actions = {
  showRetry: boolean;
  showUpdatePayment: boolean;
  showAddFunds: boolean;
  showAutoRecharge: boolean;
  showRestrict: boolean;
  showBlock: boolean;
  showResume: boolean;
};
export type NotificationBody = { color: string; lines: string[]; facts: Fact[]; actions: Partial<Actions>; suggestedAmount: number | "" };
type Words = (id: MessageId, values?: Parameters<typeof t>[2]) => string;
const none = "—";

/** The amount moved and the balance after it: a recharge's and an addition's facts. */
const amountAndBalance = (w: Words, m: (micros: number) => string, d: { amountMicros: number; balanceAfterMicros: number }): Fact[] => [
  { title: w("cards.fact.amount"), value: m(d.amountMicros) },
  { title: w("cards.fact.balance"), value: m(d.balanceAfterMicros) },
];

/** What a notification card says for each kind: its words from the catalog, its facts from the event (a recharge, a low or empty balance, funds added here, the others in otherBody). */
export function notificationBody(event: StoredNotificationEvent, locale: Locale): NotificationBody {
  const w: Words = (id, values) => t(locale, id, values);
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
        facts: amountAndBalance(w, m, d),
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
        facts: amountAndBalance(w, m, d),
        actions: {},
        suggestedAmount: "",
      };
    }
    default:
      return otherBody(event, locale, w);
  }
}

/** A paused auto-recharge, an expiring card, a spend spike, a department budget. */
function otherBody(
  event: Extract<StoredNotificationEvent, { kind: "recharge_paused" | "card_expiring" | "spend_spike" | "budget_threshold" }>,
  locale: Locale,
  w: Words,
): NotificationBody {
  const expiry = (month: number, year: number) => `${String(month).padStart(2, "0")}/${year}`;
  switch (event.kind) {
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
