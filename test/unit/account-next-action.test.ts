/** The next step the API offers for an account (the bot's balance card and the overview say it), and the top-up a low-balance card suggests. */
import { describe, expect, it } from "vitest";
import { newAccount, nextAction, suggestedTopUpMicros, type AccountDoc } from "../../api/src/accounts/account.js";

const now = new Date("2026-12-07T12:00:00Z");
const card = { expMonth: 4, expYear: 2029 };
const account = (over: Partial<AccountDoc> = {}): AccountDoc => ({
  ...newAccount({ tenantId: "t", currency: "USD", region: "US", billingCountry: "US", at: "2026-01-01T00:00:00Z" }),
  paymentMethodId: "pm-1",
  autoRecharge: { enabled: true, amountMicros: 100_000_000, thresholdMicros: 20_000_000 },
  head: { seq: 5, balanceMicros: 60_000_000, lots: [], overdraftMicros: 0, crossings: 0 },
  ...over,
});

describe("the next action of an account", () => {
  it("a new account without a card: add a card", () => {
    expect(nextAction(newAccount({ tenantId: "t", currency: "USD", region: "US", billingCountry: "US", at: now.toISOString() }), null, now)).toBe("add_card");
  });

  it("a card but nothing else, at zero: add funds; with a balance: turn on auto-recharge", () => {
    const off = { enabled: false, amountMicros: 0, thresholdMicros: 0 };
    expect(nextAction(account({ autoRecharge: off, head: { seq: 0, balanceMicros: 0, lots: [], overdraftMicros: 0, crossings: 0 } }), card, now)).toBe("add_funds");
    expect(nextAction(account({ autoRecharge: off }), card, now)).toBe("turn_on_auto_recharge");
  });

  it("a refused or expired card: replace it; a paused auto-recharge: resume it; all well: nothing", () => {
    const failed = {
      attemptId: "a",
      crossing: 1,
      settingsRev: 0,
      status: "failed" as const,
      amountMicros: 1,
      tries: 1,
      tryKey: "k",
      failureCode: "card_declined" as const,
      nextRetryAt: null,
      leaseUntil: null,
      updatedAt: now.toISOString(),
    };
    expect(nextAction(account({ recharge: failed }), card, now)).toBe("replace_card");
    expect(nextAction(account(), { expMonth: 11, expYear: 2026 }, now)).toBe("replace_card");
    expect(nextAction(account({ rechargePaused: { at: now.toISOString(), reason: "max_recharges_per_day" } }), card, now)).toBe("resume_auto_recharge");
    expect(nextAction(account(), card, now)).toBeNull();
  });

  it("suggests twice the threshold in whole units, at least the minimum purchase", () => {
    expect(suggestedTopUpMicros(0)).toBe(50_000_000);
    expect(suggestedTopUpMicros(20_000_000)).toBe(50_000_000);
    expect(suggestedTopUpMicros(40_500_000)).toBe(82_000_000);
  });
});
