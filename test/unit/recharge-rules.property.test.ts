/**
 * The recharge rules under random sequences of debits, fundings, settings changes, card changes,
 * time passing and resumes, interleaved with recharge claims and completions the way two instances
 * could interleave them (a claim, then debits racing it, then its outcome). The model does what
 * auto-recharge/run-attempt.ts does with the decision (claim on the account, charge, credit, record); the
 * invariants are the issue's:
 *  - once the chain has run out (no decision left) with a working card, the balance is at or above
 *    the threshold unless the circuit breaker paused it;
 *  - never two recharges in flight; every attempt id credited once;
 *  - in every rolling 24 h since the last resume, at most maxRechargesPerDay recharges and
 *    maxAmountPerDayMicros recharged;
 *  - each recharge is the smallest multiple of the amount that restores the threshold (or the most
 *    one payment may be);
 *  - the ledger is exact: balance == sum of credits − sum of debits.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { newAccount, type AccountDoc, type RechargeState } from "../../api/src/accounts/account.js";
import { breakerLimits, decideRecharge, logRecharge, retryNowClaim } from "../../api/src/funding/recharge-rules.js";

const U = 1_000_000;
const MAX_CHARGE = 2_000 * U;

type Op =
  | { kind: "debit"; micros: number }
  | { kind: "fund"; micros: number }
  | { kind: "settings"; amount: number; threshold: number; maxCount?: number; maxAmount?: number }
  | { kind: "card"; works: boolean }
  | { kind: "advance"; minutes: number }
  | { kind: "resume" }
  | { kind: "retryNow" }
  | { kind: "claim" }
  | { kind: "complete" }
  | { kind: "settle" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("debit" as const), micros: fc.integer({ min: 1, max: 400 * U }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("debit" as const), micros: fc.integer({ min: 400 * U, max: 5_000 * U }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fund" as const), micros: fc.integer({ min: 50, max: 500 }).map((u) => u * U) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant("settings" as const),
        amount: fc.integer({ min: 50, max: 300 }).map((u) => u * U),
        threshold: fc.integer({ min: 0, max: 400 }).map((u) => u * U),
        maxCount: fc.integer({ min: 1, max: 8 }),
        maxAmount: fc.integer({ min: 300, max: 5_000 }).map((u) => u * U),
      },
      { requiredKeys: ["kind", "amount", "threshold"] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("card" as const), works: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 36 * 60 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "resume" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "retryNow" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "claim" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "complete" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "settle" as const }) },
);

function world() {
  let now = Date.parse("2026-03-01T00:00:00.000Z");
  let account: AccountDoc = {
    ...newAccount({ tenantId: "t", currency: "USD", region: "US", billingCountry: "US", at: new Date(now).toISOString() }),
    paymentMethodId: "pm-1",
    autoRecharge: { enabled: true, amountMicros: 50 * U, thresholdMicros: 20 * U },
    settingsRev: 1,
  };
  account = { ...account, head: { ...account.head, balanceMicros: 100 * U } };
  let cardWorks = true;
  let credits = 100 * U;
  let debits = 0;
  let inFlight = 0;
  /** The limits in force when the try in flight was decided (settings may change while it runs). */
  let limitsAtClaim = breakerLimits(account.autoRecharge);
  const credited: { attemptId: string; at: number; micros: number; since: number }[] = [];
  const iso = () => new Date(now).toISOString();
  const setBalance = (delta: number) => (account = { ...account, head: { ...account.head, balanceMicros: account.head.balanceMicros + delta } });

  /** One claim, as RechargeRunner.ensure (funding/auto-recharge/run-attempt.ts) makes it; answers the claimed try. */
  function claim(): RechargeState | undefined {
    const decision = decideRecharge(account, iso(), MAX_CHARGE);
    if (decision.action === "none") return undefined;
    if (decision.action === "pause") {
      account = { ...account, rechargePaused: { at: iso(), reason: decision.reason } };
      return undefined;
    }
    expect(account.recharge?.status === "in_flight" && decision.action === "start").toBe(false);
    if (decision.action === "start") {
      // The smallest multiple that restores the threshold, or the most one payment may be.
      const { amountMicros, thresholdMicros } = account.autoRecharge;
      const k = decision.amountMicros / amountMicros;
      expect(Number.isInteger(k) && k >= 1).toBe(true);
      expect(decision.amountMicros <= MAX_CHARGE).toBe(true);
      if (k > 1) expect(account.head.balanceMicros + (k - 1) * amountMicros < thresholdMicros).toBe(true);
      if (decision.amountMicros + amountMicros <= MAX_CHARGE) expect(account.head.balanceMicros + decision.amountMicros >= thresholdMicros).toBe(true);
    }
    const prev = account.recharge;
    // Taking over a try whose lease passed (its instance died) reuses its key: still one in flight.
    const takeover = decision.action === "resume" && prev?.status === "in_flight";
    if (takeover) inFlight--;
    const tries = decision.action === "start" ? 1 : takeover ? prev.tries : (prev?.tries ?? 0) + 1;
    const state: RechargeState = {
      attemptId: decision.attemptId,
      crossing: 0,
      settingsRev: account.settingsRev,
      status: "in_flight",
      amountMicros: decision.action === "start" ? decision.amountMicros : (prev?.amountMicros ?? 0),
      tries,
      tryKey: `${decision.attemptId}:${tries}`,
      failureCode: null,
      nextRetryAt: null,
      leaseUntil: new Date(now + 60_000).toISOString(),
      updatedAt: iso(),
    };
    account = { ...account, recharge: state, rechargeSeq: decision.action === "start" ? decision.seq : account.rechargeSeq };
    inFlight++;
    expect(inFlight).toBe(1);
    limitsAtClaim = breakerLimits(account.autoRecharge);
    return state;
  }

  function complete(): void {
    const attempt = account.recharge;
    if (attempt?.status !== "in_flight") return;
    inFlight--;
    if (cardWorks) {
      expect(credited.some((c) => c.attemptId === attempt.attemptId)).toBe(false);
      setBalance(attempt.amountMicros);
      credits += attempt.amountMicros;
      credited.push({ attemptId: attempt.attemptId, at: now, micros: attempt.amountMicros, since: account.rechargeResumedAt ? Date.parse(account.rechargeResumedAt) : 0 });
      account = {
        ...account,
        recharge: { ...attempt, status: "succeeded", leaseUntil: null },
        rechargeLog: logRecharge(account, { attemptId: attempt.attemptId, at: iso(), amountMicros: attempt.amountMicros }),
      };
      // The daily limits over the 24 h (since the last resume) that end with this recharge.
      const inWindow = credited.filter((c) => c.at > Math.max(now - 86_400_000, credited.at(-1)!.since));
      expect(inWindow.length).toBeLessThanOrEqual(limitsAtClaim.maxRechargesPerDay);
      expect(inWindow.reduce((sum, c) => sum + c.micros, 0)).toBeLessThanOrEqual(limitsAtClaim.maxAmountPerDayMicros);
    } else {
      account = { ...account, recharge: { ...attempt, status: "failed", failureCode: "card_declined", leaseUntil: null } };
    }
  }

  /** RechargeRunner.ensure with nothing racing it: claim and complete until no decision is left. */
  function settle(): void {
    complete();
    for (let round = 0; round < 50 && claim(); round++) complete();
  }

  function apply(o: Op): void {
    switch (o.kind) {
      case "debit":
        setBalance(-o.micros);
        debits += o.micros;
        break;
      case "fund":
        setBalance(o.micros);
        credits += o.micros;
        break;
      case "settings": {
        const settings = {
          enabled: true,
          amountMicros: o.amount,
          thresholdMicros: o.threshold,
          maxRechargesPerDay: o.maxCount,
          maxAmountPerDayMicros: o.maxAmount !== undefined ? Math.max(o.maxAmount, o.amount) : undefined,
        };
        account = { ...account, autoRecharge: settings, settingsRev: account.settingsRev + 1, rechargePaused: null };
        break;
      }
      case "card":
        if (o.works !== cardWorks) account = { ...account, settingsRev: account.settingsRev + 1 }; // a new default card
        cardWorks = o.works;
        break;
      case "advance":
        now += o.minutes * 60_000;
        break;
      case "resume":
        if (account.rechargePaused) account = { ...account, rechargePaused: null, rechargeResumedAt: iso() };
        break;
      case "retryNow":
        try {
          account = { ...account, recharge: retryNowClaim(account, "t", iso(), 60_000) };
          limitsAtClaim = breakerLimits(account.autoRecharge);
          inFlight++;
          expect(inFlight).toBe(1);
        } catch (e) {
          expect((e as { code?: string }).code).toBe("nothing_to_retry");
        }
        break;
      case "claim":
        claim();
        break;
      case "complete":
        complete();
        break;
      case "settle":
        settle();
        if (cardWorks && !account.rechargePaused) expect(account.head.balanceMicros).toBeGreaterThanOrEqual(account.autoRecharge.thresholdMicros);
        break;
    }
    // Ledger exact.
    expect(account.head.balanceMicros).toBe(credits - debits);
  }

  return { apply, credited: () => credited };
}

describe("auto-recharge rules under random sequences", () => {
  it("restore the threshold, one attempt per decision, never two in flight, within the daily limits, ledger exact", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const w = world();
        for (const o of ops) w.apply(o);
        w.apply({ kind: "settle" });
        const ids = w.credited().map((c) => c.attemptId);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 400 },
    );
  });
});
