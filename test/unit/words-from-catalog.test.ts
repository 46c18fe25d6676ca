/**
 * Every word a person reads on the bot's cards comes from the message catalog, and every amount
 * is said to the cent. In the pseudo-locale "en-XA" the catalog's text is accented and bracketed
 * (⟦Àûţö-ŕéçĥàŕĝé⟧): each card kind, in each state, is rendered there and every visible text run
 * (text, fact titles and values, button titles, input labels) must be catalog text or a value
 * (an amount, a date, a card or person's name). Then every card, in English and French, and the
 * CLI's lines, show no amount with more than two decimals, from facts that have sub-cent micros.
 */
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, t, type AccountView } from "@cc/common";
import { renderBalanceCard } from "../../bot/src/cards/balance-card.js";
import { renderConfirmCard } from "../../bot/src/cards/confirm-card.js";
import { renderNotificationCard, type CardOutcome } from "../../bot/src/cards/notification-card.js";
import type { AdaptiveCardJson } from "../../bot/src/cards/template.js";
import { renderUsageCard } from "../../bot/src/cards/usage-card.js";
import { helpText, GREETING } from "../../bot/src/routes.js";
import type { Locale, UsagePeriod } from "../../bot/src/types.js";
import { debitDone, simulateCharged } from "../../api/src/local/cli/words.js";
import { EVENT_FACTS, sampleEvent } from "../support/notification-events.js";

const at = "2026-11-30T14:05:00.000Z";

/** The visible text runs of a card: TextBlock text, fact titles and values, action titles, input labels and error messages. */
function textRuns(card: unknown): string[] {
  const runs: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    const type = typeof o.type === "string" ? o.type : "";
    if ((type === "TextBlock" || type === "TextRun") && typeof o.text === "string") runs.push(o.text);
    if (type.startsWith("Action.") && typeof o.title === "string") runs.push(o.title);
    if (type.startsWith("Input.")) for (const key of ["label", "errorMessage", "placeholder"]) if (typeof o[key] === "string") runs.push(o[key] as string);
    if (type === "FactSet" && Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) runs.push(f.title, f.value);
    for (const [key, value] of Object.entries(o)) if (key !== "facts") visit(value);
  };
  visit(card);
  return runs.filter((r) => r.trim() !== "");
}

/** Values a card shows as they are: amounts, dates, card and person names, destinations, currency codes, ids. */
const VALUES = [
  /-?[$€][\d,]+\.\d{2}|-?[\d\s\u202f\u00a0]+,\d{2}\s?(?:\$US|€)/g,
  /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}(?:, \d{1,2}:\d{2}\s?[AP]M)?/g,
  /(?:Visa|Mastercard|American Express) •••• \d{4}/g,
  /[\w.-]+@[\w.-]+/g,
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/g,
  /\b(?:Megan Bowen|Lee Gu|Cuba|United Kingdom|France|USD|EUR|Sales)\b/g,
  /\b\d+(?:\/\d+)?\b/g,
];
const withoutValues = (run: string) => VALUES.reduce((s, re) => s.replace(re, ""), run);

/** A run is the catalog's when it is bracketed text, or a value alone; either way no plain letter is left once values are taken out. */
function plainWords(card: AdaptiveCardJson): string[] {
  return textRuns(card).filter(
    (run) =>
      /[A-Za-z]/.test(withoutValues(run)) ||
      (!run.includes("⟦") &&
        withoutValues(run)
          .trim()
          .replace(/[·()\-–:,.\s]/g, "") !== ""),
  );
}

const account = (over: Partial<AccountView> = {}): AccountView => ({
  tenantId: "t",
  currency: "USD",
  status: "active",
  balanceMicros: 41_254_999,
  autoRecharge: { enabled: true, amountMicros: 50_000_000, thresholdMicros: 20_004_000, maxRechargesPerDay: 5, maxAmountPerDayMicros: 500_000_000, paused: null },
  paymentMethod: { id: "pm_1", brand: "visa", last4: "4242", expMonth: 4, expYear: 2029, name: "Visa •••• 4242" },
  lastRecharge: { id: "r1", status: "retry_scheduled", amountMicros: 50_000_000, tries: 1, failureCode: "expired_card", nextRetryAt: at, at },
  billingCountry: "US",
  region: "US",
  nextAction: "replace_card",
  timeZone: "UTC",
  ...over,
});

const ACCOUNTS: AccountView[] = [
  account(),
  account({
    status: "depleted",
    balanceMicros: -49_964_000,
    autoRecharge: {
      enabled: true,
      amountMicros: 50_000_000,
      thresholdMicros: 20_000_000,
      maxRechargesPerDay: 5,
      maxAmountPerDayMicros: 100_000_000,
      paused: { at, reason: "max_amount_per_day" },
    },
    nextAction: "resume_auto_recharge",
  }),
  account({ status: "not_set_up", balanceMicros: 0, paymentMethod: null, lastRecharge: null, currency: "EUR", nextAction: "add_card" }),
  account({
    status: "not_set_up",
    balanceMicros: 0,
    lastRecharge: null,
    autoRecharge: { enabled: false, amountMicros: 0, thresholdMicros: 0, maxRechargesPerDay: 5, maxAmountPerDayMicros: 0, paused: null },
    nextAction: "add_funds",
  }),
];

const USAGE: UsagePeriod = {
  period: "30d",
  from: "2026-11-07T00:00:00.000Z",
  to: "2026-12-07T00:00:00.000Z",
  currency: "USD",
  totals: { calls: 604, minutes: 3180, chargeMicros: 94_791_000 },
  destinations: [{ key: "GB", label: "United Kingdom", calls: 1, minutes: 1, chargeMicros: 9_104_400 }],
  callTypes: [
    { key: "conf_in", label: "conf_in", calls: 1, minutes: 68, chargeMicros: 7_345_678 },
    { key: "user_out", label: "user_out", calls: 30, minutes: 250, chargeMicros: 20_000_001 },
  ],
};

/** Every card the bot sends: each notification kind as sent, after an action and after a refusal; the balance in each state; the confirmation; usage. */
function everyCard(locale: Locale): [string, AdaptiveCardJson][] {
  const cards: [string, AdaptiveCardJson][] = [];
  for (const kind of NOTIFICATION_KINDS) {
    const event = sampleEvent(kind, at);
    const outcomes: (CardOutcome | null)[] = [
      null,
      { by: "Megan Bowen", verb: "confirm_add_funds", ok: true, amountMicros: 75_004_000, currency: "USD", at },
      { by: "Lee Gu", verb: "retry_recharge", ok: false, message: t(locale, "problems.card_declined", { card: "Visa •••• 0002" }), at },
    ];
    for (const outcome of outcomes)
      cards.push([`${kind} ${outcome ? (outcome.ok ? "acted" : "refused") : "sent"}`, renderNotificationCard(event, { locale, tabUrl: "https://teams.example/tab", outcome })]);
  }
  for (const a of ACCOUNTS) cards.push([`balance ${a.status} ${a.nextAction}`, renderBalanceCard(a, locale, new Date(at))]);
  const confirm = { verb: "confirm_top_up" as const, amountMicros: 100_004_000, currency: "USD", paymentMethod: "Visa •••• 4242", idempotencyKey: "k-1" };
  cards.push(
    ["confirm", renderConfirmCard(confirm, locale)],
    ["confirm done", renderConfirmCard({ ...confirm, done: { ok: true, balanceMicros: 141_258_765 } }, locale)],
    ["confirm without a card", renderConfirmCard({ ...confirm, paymentMethod: null }, locale)],
  );
  cards.push(
    ["usage", renderUsageCard(USAGE, locale)],
    ["usage empty", renderUsageCard({ ...USAGE, totals: { calls: 0, minutes: 0, chargeMicros: 0 }, destinations: [], callTypes: [] }, locale)],
  );
  return cards;
}

describe("the bot's words come from the catalog", () => {
  it("in the pseudo-locale, every text run of every card kind and state is catalog text or a value", () => {
    const plain = everyCard("en-XA").flatMap(([name, card]) => plainWords(card).map((run) => `${name}: ${run}`));
    expect(plain).toEqual([]);
  });

  it("the check catches a word that bypassed the catalog", () => {
    const card = renderBalanceCard(account(), "en-XA", new Date(at));
    expect(plainWords({ ...card, body: [...(card.body as unknown[]), { type: "TextBlock", text: "Balance is low" }] })).toEqual(["Balance is low"]);
  });

  it("chat and help are catalog text", () => {
    expect(
      helpText("en-XA", true, "personal")
        .split("\n")
        .filter((line) => /[A-Za-z]/.test(line.replace(/\*\*[^*]+\*\*/g, "").replace(/⟦[^⟧]*⟧/g, ""))),
    ).toEqual([]);
    expect(GREETING).toMatch(/^Hi! I'm Communications Credits/);
  });

  it("every notification kind has its card words in English and French", () => {
    for (const locale of ["en", "fr"] as const) for (const [name, card] of everyCard(locale)) expect(textRuns(card).length, name).toBeGreaterThan(0);
    expect(Object.keys(EVENT_FACTS).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });
});

describe("amounts are said to the cent", () => {
  /** The fraction digits of every amount in a text: "$1,234.5678" → "5678", "-49,964 $US" → "964". */
  const fractions = (text: string) => [...text.matchAll(/[$€]\s?[\d,]*\.(\d+)|[\d\u202f\u00a0 ]*,(\d+)\s?(?:\$US|€)/g)].map((m) => m[1] ?? m[2]);
  const toTheCent = (text: string) => fractions(text).every((digits) => digits.length <= 2);

  it("the check sees an amount said past the cent", () => {
    expect(toTheCent("-$49.964")).toBe(false);
    expect(toTheCent("-49,964 $US")).toBe(false);
    expect(toTheCent("$1,234.50 and 1\u202f234,50 $US, 3,180 minutes")).toBe(true);
  });

  it("no amount on any card has more than two decimals, in English and French (no rates on cards)", () => {
    for (const locale of ["en", "fr"] as const) {
      for (const [name, card] of everyCard(locale)) {
        const text = textRuns(card).join(" | ");
        expect(fractions(text).length + (name.startsWith("usage empty") ? 1 : 0), `${locale} ${name} says amounts`).toBeGreaterThanOrEqual(
          name.startsWith("card_expiring") ? 0 : 1,
        );
        expect(toTheCent(text), `${locale} ${name}: ${text}`).toBe(true);
      }
    }
    const depleted = textRuns(renderNotificationCard(sampleEvent("balance_depleted", at), { locale: "en", tabUrl: "x" })).join(" | ");
    expect(depleted).toContain("-€49.96");
    expect(depleted).not.toContain("49.964");
  });

  it("the CLI says amounts to the cent in the account's currency", () => {
    for (const locale of ["en", "fr"]) {
      const lines = [
        debitDone({ amountMicros: 49_964_000, balanceMicros: -49_964_000, currency: "USD", tenant: "Contoso", entryId: "e1", status: "depleted" }, locale),
        simulateCharged({ chargedMicros: 94_791_000, balanceMicros: 5_209_000, currency: "EUR" }, locale),
      ];
      for (const line of lines) {
        expect(fractions(line).length).toBe(2);
        expect(toTheCent(line), line).toBe(true);
      }
      expect(lines[0]).toMatch(locale === "fr" ? /-49,96\s\$US/ : /-\$49\.96/);
      expect(lines[0]).not.toMatch(/\bUSD\b|depleted\)/);
    }
  });
});
