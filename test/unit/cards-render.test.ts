// @vitest-environment jsdom
/**
 * Every card the bot sends, expanded from its template with adaptivecards-templating and realistic
 * data, then checked by Microsoft's rules (test/support/adaptive-cards.ts: the Adaptive Cards 1.5
 * JSON schema, then parsed and rendered by the Adaptive Cards JS renderer in a DOM: no schema error,
 * no parse event, no validation issue, no template expression left over, no data field named key),
 * in English and in French, as sent, as a channel post and after each action's outcome.
 */
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, t, type AccountView, type NotificationKind } from "@cc/common";
import { renderBalanceCard } from "../../bot/src/cards/balance-card.js";
import { renderConfirmCard } from "../../bot/src/cards/confirm-card.js";
import { renderNotificationCard, type CardOutcome } from "../../bot/src/cards/notification-card.js";
import { renderUsageCard } from "../../bot/src/cards/usage-card.js";
import { EVENT_FACTS, sampleEvent } from "../support/notification-events.js";
import type { Locale, UsagePeriod } from "../../bot/src/types.js";

import { cardProblems as check } from "../support/adaptive-cards.js";

const at = "2026-11-30T14:05:00.000Z";
/** Every verb a card of each kind records once someone acted (what its buttons lead to). */
const VERBS: Partial<Record<NotificationKind, string[]>> = {
  recharge_failed: ["retry_recharge"],
  balance_low: ["confirm_add_funds"],
  balance_depleted: ["confirm_add_funds"],
  spend_spike: ["restrict_domestic", "block_destination"],
  recharge_paused: ["resume_auto_recharge"],
};
const LOCALES: Locale[] = ["en", "fr"];

const account = (over: Partial<AccountView>): AccountView =>
  ({
    tenantId: "t",
    currency: "USD",
    status: "active",
    balanceMicros: 41_250_000,
    autoRecharge: { enabled: true, amountMicros: 50_000_000, thresholdMicros: 20_000_000, maxRechargesPerDay: 5, maxAmountPerDayMicros: 500_000_000, paused: null },
    paymentMethod: { id: "pm_1", brand: "visa", last4: "4242", expMonth: 4, expYear: 2029, name: "Visa •••• 4242" },
    lastRecharge: { id: "r1", status: "retry_scheduled", amountMicros: 50_000_000, tries: 1, failureCode: "expired_card", nextRetryAt: at, at },
    billingCountry: "US",
    region: "US",
    nextAction: null,
    ...over,
  }) as AccountView;

const usage: UsagePeriod = {
  period: "7d",
  from: "2026-11-23T00:00:00.000Z",
  to: "2026-11-30T00:00:00.000Z",
  currency: "USD",
  totals: { calls: 42, minutes: 318, chargeMicros: 27_340_000 },
  destinations: [
    { key: "GB", label: "United Kingdom", calls: 12, minutes: 140, chargeMicros: 9_100_000 },
    { key: "FR", label: "France", calls: 9, minutes: 61, chargeMicros: 4_020_000 },
  ],
  callTypes: [
    { key: "user_out", label: "user_out", calls: 30, minutes: 250, chargeMicros: 20_000_000 },
    { key: "conf_in", label: "conf_in", calls: 1, minutes: 68, chargeMicros: 7_340_000 },
  ],
};

describe("every card renders in the Adaptive Cards 1.5 renderer without a warning, in English and French", () => {
  for (const locale of LOCALES) {
    for (const kind of NOTIFICATION_KINDS) {
      const event = sampleEvent(kind, at);
      const outcomes: [string, CardOutcome | null, string[] | undefined][] = [
        ["as sent", null, undefined],
        ["as a channel post with refresh", null, ["a1f0c0de-0000-4000-8000-000000000001", "a1f0c0de-0000-4000-8000-000000000003"]],
      ];
      for (const verb of VERBS[kind] ?? []) {
        outcomes.push([
          `after an admin acted (${verb})`,
          { by: "Megan Bowen", verb, ok: true, amountMicros: 75_000_000, currency: "currency" in EVENT_FACTS[kind] ? String(EVENT_FACTS[kind].currency) : "USD", at },
          undefined,
        ]);
        outcomes.push([`after a refused action (${verb})`, { by: "Lee Gu", verb, ok: false, message: "There is no failed recharge to retry.", at }, undefined]);
      }
      for (const [label, outcome, refreshUserIds] of outcomes) {
        it(`${kind} ${label} (${locale})`, () => {
          const card = renderNotificationCard(event, { locale, tabUrl: "https://teams.microsoft.com/l/entity/app/credits", outcome, refreshUserIds });
          const { problems, text } = check(card);
          expect(problems).toEqual([]);
          expect(card.lang).toBe(locale);
          expect(text).toContain(t(locale, `cards.title.${kind}`));
          if (outcome?.ok) expect(text).toContain("Megan Bowen");
          // The card words the event's facts itself, in the reader's language: the refused card and when it expired.
          if (kind === "recharge_failed") expect(text).toContain(locale === "fr" ? "La carte Visa •••• 0069 a expiré en 12/2020" : "The card Visa •••• 0069 expired in 12/2020");
          // No API path, no code: words.
          expect(text).not.toMatch(/\/api\/|max_recharges_per_day|expired_card/);
        });
      }
    }

    it(`balance in each account state (${locale})`, () => {
      for (const a of [
        account({}),
        account({
          status: "depleted",
          balanceMicros: 0,
          autoRecharge: { enabled: false, amountMicros: 0, thresholdMicros: 0, maxRechargesPerDay: 5, maxAmountPerDayMicros: 0, paused: null },
          lastRecharge: null,
        }),
        account({ status: "not_set_up", balanceMicros: 0, paymentMethod: null, lastRecharge: null, currency: "EUR" }),
      ]) {
        const card = renderBalanceCard(a, locale, new Date(at));
        const { problems, text } = check(card);
        expect(problems).toEqual([]);
        expect(text).toContain(t(locale, "cards.balance.status"));
      }
      // The card as the API names it, never the processor's lower-case brand.
      expect(check(renderBalanceCard(account({}), locale, new Date(at))).text).toContain("Visa •••• 4242 (");
      // An account not set up offers its next step, as the API computed it.
      const notSetUp = check(
        renderBalanceCard(account({ status: "not_set_up", balanceMicros: 0, paymentMethod: null, lastRecharge: null, nextAction: "add_card" }), locale, new Date(at)),
      ).text;
      expect(notSetUp).toContain(t(locale, "cards.balance.next", { action: "add_card" }));
      expect(check(renderBalanceCard(account({}), locale, new Date(at))).text).toMatch(locale === "fr" ? /41,25\s\$US/ : /\$41\.25/);
    });

    it(`top-up confirmation asked, done and refused (${locale})`, () => {
      const base = { verb: "confirm_top_up" as const, amountMicros: 100_000_000, currency: "USD", paymentMethod: "Visa •••• 4242", idempotencyKey: "k-1" };
      for (const input of [
        base,
        { ...base, done: { ok: true as const, balanceMicros: 141_250_000 } },
        { ...base, verb: "confirm_add_funds" as const, eventId: "balance_low:e", done: { ok: false as const, message: "The card was declined." } },
      ]) {
        const { problems, text } = check(renderConfirmCard(input, locale));
        expect(problems).toEqual([]);
        expect(text).toContain(t(locale, "cards.confirm.title"));
      }
    });

    it(`usage with calls and without (${locale})`, () => {
      for (const u of [usage, { ...usage, totals: { calls: 0, minutes: 0, chargeMicros: 0 }, destinations: [], callTypes: [] }]) {
        const { problems, text } = check(renderUsageCard(u, locale));
        expect(problems).toEqual([]);
        expect(text).toContain(t(locale, "cards.usage.title"));
      }
      // Call types in words, and one call is "1 call".
      const text = check(renderUsageCard(usage, locale)).text;
      expect(text).not.toMatch(/user_out|conf_in/);
      expect(text).toContain(locale === "fr" ? "Appels entrants vers des réunions" : "Dial-in to meetings");
      expect(text).toContain(locale === "fr" ? "1 appel" : "1 call");
      // Destinations are countries, named in the reader's language.
      expect(text).toContain(locale === "fr" ? "Royaume-Uni" : "United Kingdom");
      expect(text).not.toMatch(/\b1 calls\b/);
    });
  }

  it("the check itself fails on a broken card (unknown element, unlabelled required input, leftover expression, wrong version)", () => {
    const broken = {
      type: "AdaptiveCard",
      version: "1.2",
      body: [
        { type: "TextBlok", text: "x" },
        { type: "Input.Number", id: "amount", isRequired: true },
        { type: "TextBlock", text: "${amount}" },
      ],
      actions: [
        { type: "Action.Execute", title: "Go", verb: 3 },
        { type: "Action.Nope", title: "No" },
      ],
    };
    const { problems } = check(broken);
    expect(problems.some((p) => p.includes("UnknownElementType"))).toBe(true);
    expect(problems.some((p) => p.includes("RequiredInputsShouldHaveLabel"))).toBe(true);
    expect(problems.some((p) => p.includes("UnknownActionType"))).toBe(true);
    expect(problems.some((p) => p.startsWith("template expression left"))).toBe(true);
  });

  it("the 1.5 schema refuses what the published schema refuses: unknown or 1.6 properties and elements, wrong enums and types, missing required ones, a null refresh, and a data field named key", () => {
    const card = (body: unknown[], more: Record<string, unknown> = {}) => ({ type: "AdaptiveCard", version: "1.5", body, ...more });
    const schemaProblems = (json: Record<string, unknown>) => check(json).problems.filter((p) => p.startsWith("schema") || p.includes("named key"));
    expect(
      schemaProblems(
        card([{ type: "TextBlock", text: "ok", size: "large", weight: "Bolder", wrap: true }], {
          refresh: { action: { type: "Action.Execute", verb: "refresh" }, userIds: ["u"] },
        }),
      ),
    ).toEqual([]);
    expect(schemaProblems(card([{ type: "TextBlock", text: "x", colour: "Good" }]))).toEqual([expect.stringContaining("colour")]);
    expect(schemaProblems(card([{ type: "TextBlock", text: "x", size: "Huge" }])).length).toBeGreaterThan(0);
    expect(schemaProblems(card([{ type: "TextBlock", text: "x", wrap: "yes" }])).length).toBeGreaterThan(0);
    expect(schemaProblems(card([{ type: "TextBlock" }])).length).toBeGreaterThan(0);
    expect(schemaProblems(card([{ type: "Input.Number", label: "Amount" }])).length).toBeGreaterThan(0);
    expect(schemaProblems(card([{ type: "Carousel", pages: [] }])).length).toBeGreaterThan(0);
    expect(schemaProblems(card([{ type: "TextBlock", text: "x" }], { version: "1.6" })).length).toBeGreaterThan(0);
    expect(schemaProblems(card([], { refresh: null })).length).toBeGreaterThan(0);
    expect(schemaProblems(card([], { actions: [{ type: "Action.Execute", verb: "go", title: "Go", role: "Button" }] })).length).toBeGreaterThan(0);
    expect(schemaProblems(card([], { actions: [{ type: "Action.Execute", verb: "go", title: "Go", data: { key: "k" } }] }))).toEqual([expect.stringContaining("named key")]);
    expect(
      schemaProblems(card([], { actions: [{ type: "Action.ShowCard", title: "More", card: { type: "AdaptiveCard", body: [{ type: "FactSet", facts: [{ title: "a" }] }] } }] }))
        .length,
    ).toBeGreaterThan(0);
  });
});
