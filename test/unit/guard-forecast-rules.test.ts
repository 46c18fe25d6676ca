import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_GUARD, guardCall, isSpike, normalizeGuard, type GuardedCall } from "../../api/src/guard/guard-rules.js";
import { basisSpends, cardExpiresSoon, forecast, p95, recommend } from "../../api/src/accounts/forecast-rules.js";
import { zeroBalanceImpact } from "../../api/src/usage/impact-rules.js";
import { Refusal } from "../../api/src/shared/refusal.js";

const U = 1_000_000;
const abroad: GuardedCall = { outbound: true, number: "+33612345678", destinationCountry: "FR", homeCountry: "US", chargesCredits: true, userSpentTodayMicros: 0 };

describe("guard rules", () => {
  it("refuses blocked prefixes (premium and satellite by default) and countries, only outbound", () => {
    expect(guardCall(DEFAULT_GUARD, abroad)).toBeUndefined();
    expect(guardCall(DEFAULT_GUARD, { ...abroad, number: "+8821234567" })).toBe("destination_blocked");
    expect(guardCall({ ...DEFAULT_GUARD, blockPremiumRate: false }, { ...abroad, number: "+8821234567" })).toBeUndefined();
    expect(guardCall({ ...DEFAULT_GUARD, blockedCountries: ["FR"] }, abroad)).toBe("destination_blocked");
    expect(guardCall({ ...DEFAULT_GUARD, blockedCountries: ["FR"] }, { ...abroad, outbound: false })).toBeUndefined();
  });
  it("domestic-only refuses a destination outside the caller's country", () => {
    expect(guardCall({ ...DEFAULT_GUARD, domesticOnly: true }, abroad)).toBe("domestic_only");
    expect(guardCall({ ...DEFAULT_GUARD, domesticOnly: true }, { ...abroad, destinationCountry: "US", number: "+12065550100" })).toBeUndefined();
  });
  it("the daily cap refuses at or past it, only calls charged to the balance", () => {
    const capped = { ...DEFAULT_GUARD, perUserDailyCapMicros: 5 * U };
    expect(guardCall(capped, { ...abroad, userSpentTodayMicros: 5 * U - 1 })).toBeUndefined();
    expect(guardCall(capped, { ...abroad, userSpentTodayMicros: 5 * U })).toBe("user_cap_reached");
    expect(guardCall(capped, { ...abroad, userSpentTodayMicros: 9 * U, chargesCredits: false })).toBeUndefined();
  });
  it("normalises settings and refuses what is not a code or a prefix", () => {
    expect(normalizeGuard({ ...DEFAULT_GUARD, blockedCountries: ["fr", "FR", " gb"], blockedPrefixes: ["+882 1", "+881"] }, "USD")).toMatchObject({
      blockedCountries: ["FR", "GB"],
      blockedPrefixes: ["+881", "+8821"],
    });
    expect(() => normalizeGuard({ ...DEFAULT_GUARD, blockedPrefixes: ["882"] }, "USD")).toThrow(Refusal);
    expect(() => normalizeGuard({ ...DEFAULT_GUARD, perUserDailyCapMicros: 0 }, "USD")).toThrow(Refusal);
  });
  it("a spike is above the floor and above factor × baseline", () => {
    expect(isSpike(20 * U, 0, 5)).toBe(false);
    expect(isSpike(20 * U + 1, 0, 5)).toBe(true);
    expect(isSpike(30 * U, 6 * U, 5)).toBe(false);
    expect(isSpike(30 * U + 1, 6 * U, 5)).toBe(true);
  });
});

describe("forecast rules", () => {
  const now = new Date("2026-03-02T12:00:00.000Z");
  it("counts from the first day with usage, zero for quiet days after it, not today", () => {
    const spend = new Map([
      ["2026-02-27", 5],
      ["2026-03-01", 7],
      ["2026-03-02", 100],
    ]);
    expect(basisSpends(spend, now)).toEqual([5, 0, 7]);
  });
  it("p95 is the nearest rank", () => {
    expect(p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(10);
    expect(p95(Array.from({ length: 20 }, (_, i) => i + 1))).toBe(19);
  });
  it("recommends whole units of at least 50.00, at most the payment maximum, for any usage", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 * U }), { minLength: 7, maxLength: 30 }), (days) => {
        const spend = new Map(days.map((m, i) => [new Date(Date.UTC(2026, 2, 1) - (days.length - 1 - i) * 86_400_000).toISOString().slice(0, 10), m]));
        const rec = recommend({ currency: "USD", spend, now, maxChargeMicros: 10_000 * U });
        for (const v of [rec.thresholdMicros!, rec.amountMicros!]) {
          expect(v % U).toBe(0);
          expect(v).toBeGreaterThanOrEqual(50 * U);
          expect(v).toBeLessThanOrEqual(10_000 * U);
        }
        expect(rec.thresholdMicros!).toBeGreaterThanOrEqual(Math.min(10_000 * U, 3 * rec.basis.p95DailySpendMicros!));
      }),
    );
  });
  it("a negative balance has no runway left", () => {
    const spend = new Map(Array.from({ length: 7 }, (_, i) => [`2026-02-2${i + 2}`, 10 * U] as const));
    expect(forecast({ currency: "USD", balanceMicros: -5 * U, autoRechargeActive: false, thresholdMicros: 0, amountMicros: 0, spend, now })).toMatchObject({
      runwayDays: 0,
      depletesAt: now.toISOString(),
    });
  });
  it("a card expiring within 30 days, or before the next recharge, is soon", () => {
    expect(cardExpiresSoon({ expMonth: 3, expYear: 2026 }, now, null)).toBe(true); // works until 31 March
    expect(cardExpiresSoon({ expMonth: 5, expYear: 2026 }, now, null)).toBe(false);
    expect(cardExpiresSoon({ expMonth: 5, expYear: 2026 }, now, "2026-06-10T00:00:00.000Z")).toBe(true);
  });
});

describe("zero-balance impact", () => {
  it("groups calls charged to credits by what would stop", () => {
    const r = (o: Partial<Parameters<typeof zeroBalanceImpact>[0][number]>) => ({
      callType: "user_out",
      calleeNumber: "+33612345678",
      inventoryType: "Subscriber",
      billedMinutes: 2,
      userId: "u1",
      destinationCountry: "FR",
      homeCountry: "US",
      ...o,
    });
    expect(
      zeroBalanceImpact([
        r({}),
        r({ userId: "u2" }),
        r({ userId: "u2" }),
        r({ callType: "conf_out", billedMinutes: 15 }),
        r({ callType: "conf_in", calleeNumber: "+18005550100", inventoryType: "Toll Free", userId: "" }),
        r({ callType: "user_in", calleeNumber: "+18005550100", inventoryType: "Subscriber" }),
        r({ destinationCountry: "US", calleeNumber: "+12065550100" }),
      ]),
    ).toEqual({
      basisDays: 30,
      tollFree: [{ number: "+18005550100", calls: 1, minutes: 2 }],
      conferenceDialOut: { calls: 1, minutes: 15 },
      international: { calls: 3, users: 2 },
      beyondPlan: { calls: 1, users: 1 },
    });
  });
});
