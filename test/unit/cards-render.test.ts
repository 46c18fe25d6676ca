// @vitest-environment jsdom
/**
 * Every card the bot sends, expanded from its template with adaptivecards-templating and realistic
 * data, then parsed and rendered by the Adaptive Cards JS renderer (schema 1.5) in a DOM: no parse
 * event, no validation issue, no template expression left over, in English and in French.
 */
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type AccountView, type NotificationKind } from "@cc/common";
import { renderBalanceCard, renderConfirmCard, renderNotificationCard, renderUsageCard, type CardOutcome } from "../../bot/src/cards/index.js";
import { WORDS } from "../../bot/src/cards/words.js";
import type { Locale, UsagePeriod } from "../../bot/src/types.js";

import * as AC from "adaptivecards";

/** The renderer's verdict on a card: every parse event and validation issue, and its text once rendered. */
function check(json: Record<string, unknown>): { problems: string[]; text: string } {
  // The renderer's `lang` pattern is a /g RegExp, so its lastIndex survives between cards and
  // the next valid "en" would be refused: start each card from the beginning.
  AC.CardElement.langProperty.regEx!.lastIndex = 0;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) problems.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  const serialized = JSON.stringify(json);
  if (serialized.includes("${")) problems.push(`template expression left: ${serialized.match(/.{0,40}\$\{[^}]*\}/)?.[0]}`);
  if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(serialized)) problems.push("undefined, NaN or [object Object] in the card");
  if (json.version !== "1.5") problems.push(`version ${String(json.version)}`);
  const element = card.render();
  if (element) document.body.appendChild(element);
  if (!element) problems.push("rendered nothing");
  // Show-card bodies (Add funds) render on demand: their parse and validation are covered above.
  return { problems, text: element ? renderedText(element) : "" };
}

/** The words the renderer wrote; it sets `innerText`, which jsdom keeps as a plain property. */
function renderedText(root: HTMLElement): string {
  const parts = [root, ...Array.from(root.querySelectorAll<HTMLElement>("*"))].map((e) => (Object.prototype.hasOwnProperty.call(e, "innerText") ? String((e as { innerText?: unknown }).innerText) : ""));
  return `${root.textContent ?? ""} ${parts.filter(Boolean).join(" ")}`;
}

const at = "2026-11-30T14:05:00.000Z";
const EVENTS: Record<NotificationKind, Record<string, unknown>> = {
  recharge_succeeded: { amountMicros: 50_000_000, currency: "USD", balanceAfterMicros: 68_250_000, paymentMethod: "Visa •••• 4242" },
  recharge_failed: { amountMicros: 50_000_000, currency: "USD", reason: "expired_card", message: "The card Visa •••• 0069 expired in 12/2020.", willRetryAt: "2026-11-30T15:05:00.000Z", balanceMicros: 12_400_000, paymentMethod: "Visa •••• 0069" },
  balance_depleted: { currency: "EUR", balanceAfterMicros: 0, thresholdMicros: 20_000_000, entryId: "entry-1" },
  balance_low: { currency: "EUR", balanceAfterMicros: 18_750_000, thresholdMicros: 20_000_000, entryId: "entry-2" },
  funds_added: { amountMicros: 100_000_000, currency: "USD", balanceAfterMicros: 112_400_000, by: "megan@contoso.example" },
  recharge_paused: { reason: "max_recharges_per_day", message: "Auto-recharge ran 5 times today, the most allowed; it resumes tomorrow.", currency: "USD", limitCount: 5 },
  card_expiring: { paymentMethod: "Mastercard •••• 4444", expMonth: 12, expYear: 2026, message: "The default card expires at the end of this month." },
  spend_spike: { upn: "diego@contoso.example", destinationCountry: "CU", destinationName: "Cuba", amountMicros: 84_000_000, baselineMicros: 6_000_000, currency: "USD", message: "Calls to Cuba cost $84.00 today, 14 times the usual." },
};
const VERB: Partial<Record<NotificationKind, string>> = { recharge_failed: "retry_recharge", balance_low: "add_funds", balance_depleted: "add_funds", spend_spike: "block_destination", recharge_paused: "resume_auto_recharge" };
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
      const verb = VERB[kind];
      if (verb) {
        outcomes.push(["after an admin acted", { by: "Megan Bowen", verb, ok: true, amountMicros: 75_000_000, currency: String(EVENTS[kind].currency ?? "USD"), at }, undefined]);
        outcomes.push(["after a refused action", { by: "Lee Gu", verb, ok: false, message: "There is no failed recharge to retry.", at }, undefined]);
      }
      for (const [label, outcome, refreshUserIds] of outcomes) {
        it(`${kind} ${label} (${locale})`, () => {
          const card = renderNotificationCard(event, { locale, tabUrl: "https://teams.microsoft.com/l/entity/app/credits", outcome, refreshUserIds });
          const { problems, text } = check(card);
          expect(problems).toEqual([]);
          expect(card.lang).toBe(locale);
          expect(text).toContain(WORDS[locale].title[kind]);
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
});
