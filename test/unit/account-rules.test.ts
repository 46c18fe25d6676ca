import { describe, expect, it } from "vitest";
import { checkChargeAmount, newAccount, accountStatus, type AccountDoc } from "../../api/src/accounts/account.js";
import { checkAutoRecharge, decideRecharge, nextRetryAt } from "../../api/src/funding/recharge-rules.js";
import { Refusal } from "../../api/src/shared/refusal.js";

const MAX = 10_000_000_000;
const base = (): AccountDoc => ({
  ...newAccount({ tenantId: "t", currency: "USD", region: "US", billingCountry: "US", at: "2026-01-01T00:00:00Z" }),
  paymentMethodId: "pm-1",
  autoRecharge: { enabled: true, amountMicros: 100_000_000, thresholdMicros: 20_000_000 },
  settingsRev: 3,
  head: { seq: 5, balanceMicros: 10_000_000, lots: [], overdraftMicros: 0, crossings: 2 },
});

function refusal(fn: () => void): Refusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("card amounts", () => {
  it("refuses less than 50.00 as a business rule", () => {
    expect(refusal(() => checkChargeAmount(49_990_000, MAX, "USD"))).toMatchObject({ status: 422, code: "below_minimum" });
  });
  it("refuses fractions of a cent as invalid input", () => {
    expect(refusal(() => checkChargeAmount(50_000_001, MAX, "USD"))).toMatchObject({ status: 400, errors: [{ path: "amountMicros" }] });
  });
  it("refuses more than the per-payment maximum", () => {
    expect(refusal(() => checkChargeAmount(MAX + 10_000, MAX, "USD"))).toMatchObject({ status: 422, code: "above_maximum" });
  });
  it("accepts exactly the minimum and the maximum", () => {
    expect(() => checkChargeAmount(50_000_000, MAX, "USD")).not.toThrow();
    expect(() => checkChargeAmount(MAX, MAX, "USD")).not.toThrow();
  });
});

describe("auto-recharge settings", () => {
  it("need a payment method to be turned on", () => {
    const account = { ...base(), paymentMethodId: null };
    expect(refusal(() => checkAutoRecharge({ enabled: true, amountMicros: 50_000_000, thresholdMicros: 0 }, account, MAX))).toMatchObject({
      status: 422,
      code: "no_payment_method",
    });
  });
  it("may be turned off without a payment method", () => {
    expect(() => checkAutoRecharge({ enabled: false, amountMicros: 0, thresholdMicros: 0 }, { ...base(), paymentMethodId: null }, MAX)).not.toThrow();
  });
  it("are refused when the organisation's region differs from its billing country", () => {
    expect(refusal(() => checkAutoRecharge({ enabled: true, amountMicros: 50_000_000, thresholdMicros: 0 }, { ...base(), region: "FR" }, MAX))).toMatchObject({
      code: "billing_region_mismatch",
    });
  });
});

describe("deciding a recharge", () => {
  const now = "2026-02-01T00:00:00.000Z";
  it("starts one attempt named after the account's next decision", () => {
    expect(decideRecharge({ ...base(), rechargeSeq: 7 }, now, MAX)).toEqual({ action: "start", attemptId: "rc-8", seq: 8, amountMicros: 100_000_000 });
  });
  it("charges the smallest multiple of the amount that restores the threshold, capped by the per-payment maximum", () => {
    const deep = { ...base(), head: { ...base().head, balanceMicros: -230_000_000 } }; // needs 250.00 → 3 × 100.00
    expect(decideRecharge(deep, now, MAX)).toMatchObject({ action: "start", amountMicros: 300_000_000 });
    expect(decideRecharge(deep, now, 200_000_000)).toMatchObject({ action: "start", amountMicros: 200_000_000 });
  });
  it("pauses instead when the daily limits would be passed", () => {
    const at = "2026-01-31T12:00:00.000Z";
    const log = Array.from({ length: 5 }, (_, i) => ({ attemptId: `rc-${i + 1}`, at, amountMicros: 100_000_000 }));
    expect(decideRecharge({ ...base(), rechargeLog: log }, now, MAX)).toMatchObject({ action: "pause", reason: "max_recharges_per_day" });
    // 24 h later the window is empty again; after a resume it counts afresh.
    expect(decideRecharge({ ...base(), rechargeLog: log }, "2026-02-01T12:00:01.000Z", MAX).action).toBe("start");
    expect(decideRecharge({ ...base(), rechargeLog: log, rechargeResumedAt: "2026-01-31T13:00:00.000Z" }, now, MAX).action).toBe("start");
    const big = { ...base(), head: { ...base().head, balanceMicros: -1_000_000_000 } }; // needs 11 × 100.00 > 10 × 100.00
    expect(decideRecharge(big, now, MAX)).toMatchObject({ action: "pause", reason: "max_amount_per_day" });
    expect(decideRecharge({ ...base(), rechargePaused: { at, reason: "max_amount_per_day" } }, now, MAX).action).toBe("none");
  });
  it("does nothing while one is in flight", () => {
    const account = { ...base(), recharge: { attemptId: "rc-2-3", status: "in_flight", leaseUntil: "2026-02-01T00:01:00.000Z" } as AccountDoc["recharge"] };
    expect(decideRecharge(account, now, MAX).action).toBe("none");
  });
  it("resumes an in-flight attempt whose lease has passed (its instance crashed)", () => {
    const account = { ...base(), recharge: { attemptId: "rc-2-3", status: "in_flight", leaseUntil: "2026-01-31T23:59:00.000Z" } as AccountDoc["recharge"] };
    expect(decideRecharge(account, now, MAX)).toEqual({ action: "resume", attemptId: "rc-2-3" });
  });
  it("does not try a declined card again under the same settings", () => {
    const account = { ...base(), rechargeSeq: 1, recharge: { attemptId: "rc-1", settingsRev: 3, status: "failed", failureCode: "card_declined" } as AccountDoc["recharge"] };
    expect(decideRecharge(account, now, MAX).action).toBe("none");
  });
  it("tries again once the settings or payment method changed", () => {
    const account = {
      ...base(),
      rechargeSeq: 1,
      settingsRev: 4,
      recharge: { attemptId: "rc-1", settingsRev: 3, status: "failed", failureCode: "card_declined" } as AccountDoc["recharge"],
    };
    expect(decideRecharge(account, now, MAX)).toMatchObject({ action: "start", attemptId: "rc-2" });
  });
  it("does nothing at or above the threshold", () => {
    expect(decideRecharge({ ...base(), head: { ...base().head, balanceMicros: 20_000_000 } }, now, MAX).action).toBe("none");
  });
  it("retries a processing error on a back-off schedule, and a refused card never", () => {
    expect(nextRetryAt(1, now, "processing_error")).toBe("2026-02-01T00:01:00.000Z");
    expect(nextRetryAt(2, now, "processing_error")).toBe("2026-02-01T00:05:00.000Z");
    expect(nextRetryAt(5, now, "processing_error")).toBeNull();
    expect(nextRetryAt(1, now, "expired_card")).toBeNull();
    expect(nextRetryAt(1, now, "card_declined")).toBeNull();
  });
});

describe("account status", () => {
  it("goes not_set_up → active → depleted", () => {
    const fresh = newAccount({ tenantId: "t", currency: "USD", region: "US", billingCountry: "US", at: "2026-01-01T00:00:00Z" });
    expect(accountStatus(fresh)).toBe("not_set_up");
    expect(accountStatus({ ...fresh, head: { ...fresh.head, seq: 1, balanceMicros: 1 } })).toBe("active");
    expect(accountStatus({ ...fresh, head: { ...fresh.head, seq: 2, balanceMicros: 0 } })).toBe("depleted");
  });
});
