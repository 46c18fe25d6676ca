/**
 * Issue 22, item 1: no amount a person reads in the notification e-mails (every kind, English and
 * French: subject, plain text and the HTML's visible text) or in the CLIs' lines (`npm run debit`,
 * `npm run simulate`) has more than two decimals, whatever sub-cent micros the facts carry. The
 * bot's cards have the same check in words-from-catalog.test.ts. No e-mail or CLI line says a rate
 * per minute, the one amount allowed more.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NOTIFICATION_KINDS, type NotificationKind, type StoredNotificationEvent } from "@cc/common";
import { renderEmail, type EmailContext } from "../../api/src/notifications/email-message.js";
import { debitDone, simulateCharged } from "../../api/src/local/cli/words.js";
import { EVENT_FACTS } from "../support/notification-events.js";

type Lang = "en" | "fr";

/**
 * The fraction digits of every decimal number a person reads: English writes 1,234.5678 (the
 * decimal point is the only "." between digits), French 1 234,5678 (the thousands are spaces, so
 * the decimal comma is the only "," between digits).
 */
function fractionDigits(text: string, lang: Lang): string[] {
  return [...text.matchAll(lang === "fr" ? /\d,(\d+)/g : /\d\.(\d+)/g)].map((m) => m[1]);
}

const toTheCent = (text: string, lang: Lang) => fractionDigits(text, lang).every((digits) => digits.length <= 2);

/** What a reader sees of an e-mail: the subject, the plain text and the HTML's text (tags and their styles left out), links aside. */
function visibleText(mail: { subject: string; text: string; html: string }): string {
  const html = mail.html
    .replace(/<head>[\s\S]*?<\/head>/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&amp;/g, "&");
  return [mail.subject, mail.text, html].join("\n").replace(/https?:\/\/\S+/g, " ");
}

const ctx = (locale: Lang): EmailContext => ({
  locale,
  org: "Contoso",
  roleId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  whyEmail: "not_installed",
  tabUrl: "https://teams.example/tab",
});

/** Every `…Micros` fact of a kind replaced by `pick(name)`: the amounts an event may carry. */
function withMicros(kind: NotificationKind, pick: (name: string) => number): StoredNotificationEvent {
  const data = Object.fromEntries(Object.entries(EVENT_FACTS[kind]).map(([k, v]) => [k, k.endsWith("Micros") && typeof v === "number" ? pick(k) : v]));
  return { id: `${kind}:evt`, at: "2026-11-30T14:05:00.000Z", kind, data } as StoredNotificationEvent;
}

describe("amounts in e-mails and CLI lines are said to the cent", () => {
  it("the check sees an amount said past the cent, and not thousands, dates or times", () => {
    expect(toTheCent("Balance: -$49.964", "en")).toBe(false);
    expect(toTheCent("Solde : -49,964 €", "fr")).toBe(false);
    expect(toTheCent("$1,234.50 on Nov 30, 2026, 2:05 PM; 3,180 minutes", "en")).toBe(true);
    expect(toTheCent("1\u202f234,50 $US le 30 nov. 2026 à 14:05", "fr")).toBe(true);
    // A deliberately wrong amount in a real e-mail is caught: the words of the kind with a raw figure in them.
    const mail = renderEmail(
      withMicros("funds_added", () => 100_004_999),
      ctx("en"),
    );
    expect(toTheCent(visibleText({ ...mail, text: `${mail.text}\nAmount: $100.004999` }), "en")).toBe(false);
  });

  it("every notification kind's e-mail, in English and French, for the sample facts and any sub-cent micros", () => {
    for (const lang of ["en", "fr"] as const) {
      for (const kind of NOTIFICATION_KINDS) {
        const text = visibleText(
          renderEmail(
            withMicros(kind, (name) => (EVENT_FACTS[kind] as unknown as Record<string, number>)[name]),
            ctx(lang),
          ),
        );
        expect(toTheCent(text, lang), `${lang} ${kind}: ${text}`).toBe(true);
        // Not vacuous: every kind but the card's expiry says at least one amount.
        if (kind !== "card_expiring") expect(fractionDigits(text, lang).length, `${lang} ${kind} says an amount`).toBeGreaterThan(0);
      }
    }
    fc.assert(
      fc.property(fc.constantFrom(...NOTIFICATION_KINDS), fc.constantFrom<Lang>("en", "fr"), fc.integer({ min: -5_000_000_000, max: 50_000_000_000 }), (kind, lang, micros) => {
        const text = visibleText(
          renderEmail(
            withMicros(kind, () => micros),
            ctx(lang),
          ),
        );
        return toTheCent(text, lang);
      }),
      { numRuns: 400 },
    );
  });

  it("the CLIs' lines, in English and French, for any sub-cent micros and the demo currencies", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Lang>("en", "fr"),
        fc.constantFrom("USD", "EUR", "GBP"),
        fc.integer({ min: 1, max: 50_000_000_000 }),
        fc.integer({ min: -5_000_000_000, max: 50_000_000_000 }),
        (lang, currency, amountMicros, balanceMicros) => {
          const lines = [
            debitDone({ amountMicros, balanceMicros, currency, tenant: "Contoso", entryId: "e1", status: balanceMicros <= 0 ? "depleted" : "active" }, lang),
            simulateCharged({ chargedMicros: amountMicros, balanceMicros, currency }, lang),
          ];
          for (const line of lines) {
            expect(fractionDigits(line, lang)).toHaveLength(2);
            expect(toTheCent(line, lang), line).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
