/**
 * The bot parses each card template once and binds it to data again and again: a card expanded
 * from the reused template is the card a freshly parsed template gives, whatever came before it.
 */
import { describe, expect, it } from "vitest";
import * as ACData from "adaptivecards-templating";
import { NOTIFICATION_KINDS } from "@cc/common";
import { notificationCardData, renderNotificationCard, type CardOutcome } from "../../bot/src/cards/notification-card.js";
import notificationTemplate from "../../bot/src/cards/notification.json" with { type: "json" };
import { sampleEvent } from "../support/notification-events.js";

/** A fresh expansion, less the `"refresh": null` a false `$when` leaves (renderNotificationCard drops it: the 1.5 schema refuses it). */
const fresh = (data: object) => {
  const card = new ACData.Template(notificationTemplate).expand({ $root: data }) as Record<string, unknown>;
  if (card.refresh === null) delete card.refresh;
  return card;
};

describe("card templates parsed once", () => {
  it("every kind, both languages, with and without an outcome and refresh users, in turn, equals a fresh expansion", () => {
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const [i, kind] of NOTIFICATION_KINDS.entries()) {
        for (const locale of ["en", "fr"] as const) {
          const sample = sampleEvent(kind, new Date(Date.UTC(2026, 0, 1 + i, 10 + round)).toISOString(), `${kind}:entry-${i}-${round}`);
          const event = { ...sample, data: { ...sample.data, ...("currency" in sample.data ? { currency: round ? "EUR" : "USD" } : {}) } } as typeof sample;
          const outcome: CardOutcome | null =
            (i + round) % 2 ? { by: "Megan", verb: "retry", ok: round === 0, message: "declined", amountMicros: 10_000_000, currency: "USD", at: event.at } : null;
          const options = { locale, tabUrl: "https://teams.example/tab", outcome, refreshUserIds: round ? [`user-${i}`] : undefined };
          expect(renderNotificationCard(event, options)).toEqual(fresh(notificationCardData(event, options)));
          compared++;
        }
      }
    }
    expect(compared).toBe(NOTIFICATION_KINDS.length * 4);
  });
});
