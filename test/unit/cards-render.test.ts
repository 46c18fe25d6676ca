// @vitest-environment jsdom
/**
 * Every card the bot sends, expanded from its template with adaptivecards-templating and realistic
 * data, then checked by Microsoft's rules (test/support/adaptive-cards.ts: the Adaptive Cards 1.5
 * JSON schema, then parsed and rendered by the Adaptive Cards JS renderer in a DOM: no schema error,
 * no parse event, no validation issue, no template expression left over, no data field named key),
 * in English and in French, as sent, as a channel post and after each action's outcome.
 */
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type AccountView, type NotificationKind } from "@cc/common";
import { renderBalanceCard, renderConfirmCard, renderNotificationCard, renderUsageCard, type CardOutcome } from "../../bot/src/cards/index.js";
import { WORDS } from "../../bot/src/cards/words.js";
import type { Locale, UsagePeriod } from "../../bot/src/types.js";

import { cardProblems as check } from "../support/adaptive-cards.js";

const at = "2026-11-30T14:05:00.000Z";
const EVENTS: Record<NotificationKind, Record<string, unknown>> = {
  recharge_succeeded: { amountMicros: 50_000_000, currency: "USD", balanceAfterMicros: 68_250_000, paymentMethod: "Visa •••• 4242" },
  recharge_failed: { amountMicros: 50_000_000, currency: "USD", reason: "expired_card", message: "The card Visa •••• 0069 expired in 12/2020.", messageFr: "La carte Visa •••• 0069 a expiré en 12/2020.", willRetryAt: "2026-11-30T15:05:00.000Z", balanceMicros: 12_400_000, paymentMethod: "Visa •••• 0069" },
  balance_depleted: { currency: "EUR", balanceAfterMicros: 0, thresholdMicros: 20_000_000, entryId: "entry-1" },
  balance_low: { currency: "EUR", balanceAfterMicros: 18_750_000, thresholdMicros: 20_000_000, entryId: "entry-2" },
  funds_added: { amountMicros: 100_000_000, currency: "USD", balanceAfterMicros: 112_400_000, by: "megan@contoso.example" },
  recharge_paused: { reason: "max_recharges_per_day", message: "Auto-recharge ran 5 times today, the most allowed; it resumes tomorrow.", messageFr: "La recharge automatique a eu lieu 5 fois aujourd'hui, le maximum ; elle reprend demain.", currency: "USD", limitCount: 5 },
  card_expiring: { paymentMethod: "Mastercard •••• 4444", expMonth: 12, expYear: 2026, message: "The default card expires at the end of this month.", messageFr: "La carte par défaut expire à la fin de ce mois." },
  budget_threshold: { department: "Sales", month: "2026-11", level: 100, spentMicros: 512_340_000, monthlyMicros: 500_000_000, mode: "block", currency: "USD" },
  spend_spike: { upn: "diego@contoso.example", destinationCountry: "CU", destinationName: "Cuba", amountMicros: 84_000_000, baselineMicros: 6_000_000, currency: "USD", message: "Calls to Cuba cost $84.00 today, 14 times the usual.", messageFr: "Les appels vers Cuba ont coûté 84,00 $US aujourd'hui, 14 fois l'habituel." },
};
/** Every verb a card of each kind records once someone acted (what its buttons lead to). */
const VERBS: Partial<Record<NotificationKind, string[]>> = { recharge_failed: ["retry_recharge"], balance_low: ["confirm_add_funds"], balance_depleted: ["confirm_add_funds"], spend_spike: ["restrict_domestic", "block_destination"], recharge_paused: ["resume_auto_recharge"] };
const LOCALES: Locale[] = ["en", "fr"];

const account = (over: Partial<AccountView>): AccountView => ({
  tenantId: "t",
  currency: "USD",
  status: "active",
  balanceMicros: 41_250_000,
  autoRecharge: { enabled: true, amountMicros: 50_000_000, thresholdMicros: 20_000_000, maxRechargesPerDay: 5, maxAmountPerDayMicros: 500_000_000, paused: null },
  paymentMethod: { id: "pm_1", brand: "Visa", last4: "4242", expMonth: 4, expYear: 2029 },
  lastRecharge: { id: "r1", status: "retry_scheduled", amountMicros: 50_000_000, tries: 1, failureCode: "expired_card", nextRetryAt: at, at },
  billingCountry: "US",
  region: "US",
  ...over,
} as AccountView);

const usage: UsagePeriod = {
  period: "7d",
  from: "2026-11-23T00:00:00.000Z",
  to: "2026-11-30T00:00:00.000Z",
  currency: "USD",
  totals: { calls: 42, minutes: 318, chargeMicros: 27_340_000 },
  destinations: [{ label: "United Kingdom", calls: 12, minutes: 140, chargeMicros: 9_100_000 }, { label: "France", calls: 9, minutes: 61, chargeMicros: 4_020_000 }],
  callTypes: [{ label: "International", calls: 30, minutes: 250, chargeMicros: 20_000_000 }, { label: "Toll-free", calls: 12, minutes: 68, chargeMicros: 7_340_000 }],
};

describe("every card renders in the Adaptive Cards 1.5 renderer without a warning, in English and French", () => {
  for (const locale of LOCALES) {
    for (const kind of NOTIFICATION_KINDS) {
      const event = { id: `${kind}:evt-1`, kind, at, data: EVENTS[kind] };
      const outcomes: [string, CardOutcome | null, string[] | undefined][] = [["as sent", null, undefined], ["as a channel post with refresh", null, ["a1f0c0de-0000-4000-8000-000000000001", "a1f0c0de-0000-4000-8000-000000000003"]]];
      for (const verb of VERBS[kind] ?? []) {
        outcomes.push([`after an admin acted (${verb})`, { by: "Megan Bowen", verb, ok: true, amountMicros: 75_000_000, currency: String(EVENTS[kind].currency ?? "USD"), at }, undefined]);
        outcomes.push([`after a refused action (${verb})`, { by: "Lee Gu", verb, ok: false, message: "There is no failed recharge to retry.", at }, undefined]);
      }
      for (const [label, outcome, refreshUserIds] of outcomes) {
        it(`${kind} ${label} (${locale})`, () => {
          const card = renderNotificationCard(event, { locale, tabUrl: "https://teams.microsoft.com/l/entity/app/credits", outcome, refreshUserIds });
          const { problems, text } = check(card);
          expect(problems).toEqual([]);
          expect(card.lang).toBe(locale);
          expect(text).toContain(WORDS[locale].title[kind]);
          if (outcome?.ok) expect(text).toContain("Megan Bowen");
          // The API's own sentence in the reader's language, when it wrote one.
          const fr = EVENTS[kind].messageFr;
          if (locale === "fr" && typeof fr === "string") expect(text).toContain(fr);
        });
      }
    }

    it(`balance in each account state (${locale})`, () => {
      for (const a of [account({}), account({ status: "depleted", balanceMicros: 0, autoRecharge: { enabled: false, amountMicros: 0, thresholdMicros: 0, maxRechargesPerDay: 5, maxAmountPerDayMicros: 0, paused: null }, lastRecharge: null }), account({ status: "not_set_up", balanceMicros: 0, paymentMethod: null, lastRecharge: null, currency: "EUR" })]) {
        const card = renderBalanceCard(a, locale, new Date(at));
        const { problems, text } = check(card);
        expect(problems).toEqual([]);
        expect(text).toContain(WORDS[locale].balance.status);
      }
      expect(check(renderBalanceCard(account({}), locale, new Date(at))).text).toMatch(locale === "fr" ? /41,25\s\$US/ : /\$41\.25/);
    });

    it(`top-up confirmation asked, done and refused (${locale})`, () => {
      const base = { verb: "confirm_top_up" as const, amountMicros: 100_000_000, currency: "USD", paymentMethod: "Visa •••• 4242", idempotencyKey: "k-1" };
      for (const input of [base, { ...base, done: { ok: true as const, balanceMicros: 141_250_000 } }, { ...base, verb: "confirm_add_funds" as const, eventId: "balance_low:e", done: { ok: false as const, message: "The card was declined." } }]) {
        const { problems, text } = check(renderConfirmCard(input, locale));
        expect(problems).toEqual([]);
        expect(text).toContain(WORDS[locale].confirm.title);
      }
    });

    it(`usage with calls and without (${locale})`, () => {
      for (const u of [usage, { ...usage, totals: { calls: 0, minutes: 0, chargeMicros: 0 }, destinations: [], callTypes: [] }]) {
        const { problems, text } = check(renderUsageCard(u, locale));
        expect(problems).toEqual([]);
        expect(text).toContain(WORDS[locale].usage.title);
      }
    });
  }

  it("the check itself fails on a broken card (unknown element, unlabelled required input, leftover expression, wrong version)", () => {
    const broken = {
      type: "AdaptiveCard",
      version: "1.2",
      body: [{ type: "TextBlok", text: "x" }, { type: "Input.Number", id: "amount", isRequired: true }, { type: "TextBlock", text: "${amount}" }],
      actions: [{ type: "Action.Execute", title: "Go", verb: 3 }, { type: "Action.Nope", title: "No" }],
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
    expect(schemaProblems(card([{ type: "TextBlock", text: "ok", size: "large", weight: "Bolder", wrap: true }], { refresh: { action: { type: "Action.Execute", verb: "refresh" }, userIds: ["u"] } }))).toEqual([]);
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
    expect(schemaProblems(card([], { actions: [{ type: "Action.ShowCard", title: "More", card: { type: "AdaptiveCard", body: [{ type: "FactSet", facts: [{ title: "a" }] }] } }] })).length).toBeGreaterThan(0);
  });
});
