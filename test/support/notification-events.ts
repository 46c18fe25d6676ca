/** One realistic event of every notification kind, typed by the union in common/src/events.ts (the tests that render cards share them). */
import type { NotificationFacts, NotificationKind, StoredNotificationEvent } from "@cc/common";

export const EVENT_FACTS: { [K in NotificationKind]: NotificationFacts[K] } = {
  recharge_succeeded: { amountMicros: 50_000_000, currency: "USD", balanceAfterMicros: 68_250_000, paymentMethod: "Visa •••• 4242" },
  recharge_failed: {
    amountMicros: 50_000_000,
    currency: "USD",
    reason: "expired_card",
    expiredIn: "12/2020",
    willRetryAt: "2026-11-30T15:05:00.000Z",
    balanceMicros: 12_400_000,
    paymentMethod: "Visa •••• 0069",
  },
  balance_depleted: { currency: "EUR", balanceAfterMicros: -49_964_000, thresholdMicros: 20_000_000, entryId: "entry-1", suggestedTopUpMicros: 50_000_000 },
  balance_low: { currency: "EUR", balanceAfterMicros: 18_751_234, thresholdMicros: 20_000_000, entryId: "entry-2", suggestedTopUpMicros: 50_000_000 },
  funds_added: { amountMicros: 100_000_000, currency: "USD", balanceAfterMicros: 112_400_000, by: "megan@contoso.example" },
  recharge_paused: { reason: "max_recharges_per_day", currency: "USD", amountMicros: 50_000_000, limitCount: 5 },
  card_expiring: { paymentMethod: "Mastercard •••• 4444", expMonth: 12, expYear: 2026, expired: false },
  spend_spike: {
    upn: "diego@contoso.example",
    userId: "u-diego",
    destinationCountry: "CU",
    destinationName: "Cuba",
    amountMicros: 84_004_321,
    baselineMicros: 6_001_000,
    currency: "USD",
  },
  budget_threshold: { department: "Sales", month: "2026-11", level: 100, spentMicros: 512_340_000, monthlyMicros: 500_000_000, mode: "block", currency: "USD" },
};

/** The event of a kind as the outbox stores it. */
export function sampleEvent<K extends NotificationKind>(kind: K, at = "2026-11-30T14:05:00.000Z", id = `${kind}:evt-1`): StoredNotificationEvent {
  return { id, at, kind, data: EVENT_FACTS[kind] } as StoredNotificationEvent;
}

/** What a notification's card says (its rendered JSON), in a reader's language: events carry facts, the card words them. */
export async function cardText(event: { id: string; at: string; kind: string; data: unknown }, locale: "en" | "fr"): Promise<string> {
  const { renderNotificationCard } = await import("../../bot/src/cards/notification-card.js");
  return JSON.stringify(renderNotificationCard(event as StoredNotificationEvent, { locale, tabUrl: "https://teams.example/tab" }));
}
