/**
 * The ledger's invariants under random sequences of fundings, debits, recharges and expiries:
 * balance == sum of entries == sum of lots - overdraft; no micro created or lost; FIFO expiry.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyEntry, dueExpiries, EMPTY_HEAD, placeEntry, type EntryIntent, type LedgerEntry, type LedgerHead } from "../../api/src/ledger/entries.js";

type Step = { kind: "funding" | "auto_recharge"; amountMicros: number; days: number } | { kind: "usage"; amountMicros: number; days: number } | { kind: "expire"; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("funding" as const, "auto_recharge" as const),
    amountMicros: fc.integer({ min: 50, max: 5_000 }).map((u) => u * 10_000),
    days: fc.integer({ min: 0, max: 90 }),
  }),
  fc.record({ kind: fc.constant("usage" as const), amountMicros: fc.integer({ min: 1, max: 2_000_000_000 }), days: fc.integer({ min: 0, max: 90 }) }),
  fc.record({ kind: fc.constant("expire" as const), days: fc.integer({ min: 0, max: 400 }) }),
);

function run(steps: Step[], thresholdMicros: number) {
  let head: LedgerHead = EMPTY_HEAD;
  const entries: LedgerEntry[] = [];
  let now = Date.parse("2026-01-01T00:00:00Z");
  let credited = 0;
  let debited = 0;
  const post = (intent: EntryIntent) => {
    const entry = placeEntry(head, intent, { tenantId: "t", currency: "USD", at: new Date(now).toISOString(), thresholdMicros });
    head = applyEntry(head, entry);
    entries.push(entry);
  };
  for (const [i, s] of steps.entries()) {
    now += s.days * 86_400_000;
    if (s.kind === "expire") {
      for (const expiry of dueExpiries(head, new Date(now).toISOString())) post(expiry);
    } else if (s.kind === "usage") {
      debited += s.amountMicros;
      post({ kind: "usage", amountMicros: -s.amountMicros, ref: `u${i}`, postedBy: "test" });
    } else {
      credited += s.amountMicros;
      post({ kind: s.kind, amountMicros: s.amountMicros, ref: `c${i}`, postedBy: "test" });
    }
  }
  return { head, entries, credited, debited, now };
}

describe("ledger invariants", () => {
  it("balance equals the sum of entries and of lots minus overdraft, after any sequence", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.integer({ min: 0, max: 1_000_000_000 }), (steps, threshold) => {
        const { head, entries } = run(steps, threshold);
        const sum = entries.reduce((a, e) => a + e.amountMicros, 0);
        expect(head.balanceMicros).toBe(sum);
        const lots = head.lots.reduce((a, l) => a + l.remainingMicros, 0);
        expect(head.balanceMicros).toBe(lots - head.overdraftMicros);
        expect(head.lots.length === 0 || head.overdraftMicros === 0).toBe(true);
        expect(head.lots.every((l) => l.remainingMicros > 0)).toBe(true);
        entries.forEach((e, i) => {
          expect(e.seq).toBe(i + 1);
          expect(e.balanceAfterMicros).toBe(entries.slice(0, i + 1).reduce((a, x) => a + x.amountMicros, 0));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("never creates or loses a micro: credits - debits - expired == balance", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const { head, entries, credited, debited } = run(steps, 0);
        const expired = -entries.filter((e) => e.kind === "expiry").reduce((a, e) => a + e.amountMicros, 0);
        expect(credited - debited - expired).toBe(head.balanceMicros);
        expect(entries.every((e) => Number.isSafeInteger(e.amountMicros))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("counts one crossing each time a debit takes the balance below the threshold", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 0, max: 500_000_000 }), (steps, threshold) => {
        const { head, entries } = run(steps, threshold);
        let expected = 0;
        let before = 0;
        for (const e of entries) {
          if (e.amountMicros < 0 && before >= threshold && e.balanceAfterMicros < threshold) expected++;
          before = e.balanceAfterMicros;
        }
        expect(head.crossings).toBe(expected);
        expect(entries.filter((e) => e.crossing !== undefined).map((e) => e.crossing)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it("expires what is left of the oldest lot first, twelve months after purchase", () => {
    let head: LedgerHead = EMPTY_HEAD;
    const ctx = (at: string) => ({ tenantId: "t", currency: "USD", at, thresholdMicros: 0 });
    const first = placeEntry(head, { kind: "funding", amountMicros: 100_000_000, ref: "a", postedBy: "t" }, ctx("2026-01-10T00:00:00.000Z"));
    head = applyEntry(head, first);
    const second = placeEntry(head, { kind: "funding", amountMicros: 60_000_000, ref: "b", postedBy: "t" }, ctx("2026-03-01T00:00:00.000Z"));
    head = applyEntry(head, second);
    // 130 spent: the January lot (100) is used up first, then 30 of March's.
    head = applyEntry(head, placeEntry(head, { kind: "usage", amountMicros: -130_000_000, ref: "u", postedBy: "t" }, ctx("2026-04-01T00:00:00.000Z")));
    expect(head.lots).toEqual([{ lotId: second.id, remainingMicros: 30_000_000, expiresAt: "2027-03-01T00:00:00.000Z" }]);
    expect(dueExpiries(head, "2027-02-28T23:59:59.000Z")).toEqual([]);
    const [expiry] = dueExpiries(head, "2027-03-01T00:00:00.000Z");
    expect(expiry).toEqual({ kind: "expiry", amountMicros: -30_000_000, ref: `expiry:${second.id}`, postedBy: "expiry" });
    head = applyEntry(head, placeEntry(head, expiry, ctx("2027-03-01T00:00:00.000Z")));
    expect(head.balanceMicros).toBe(0);
    expect(head.lots).toEqual([]);
  });

  it("a credit repays an overdraft before it becomes a lot", () => {
    let head: LedgerHead = EMPTY_HEAD;
    const ctx = { tenantId: "t", currency: "USD", at: "2026-01-01T00:00:00.000Z", thresholdMicros: 0 };
    head = applyEntry(head, placeEntry(head, { kind: "usage", amountMicros: -7_500_000, ref: "u", postedBy: "t" }, ctx));
    expect(head).toMatchObject({ balanceMicros: -7_500_000, overdraftMicros: 7_500_000, lots: [] });
    const credit = placeEntry(head, { kind: "funding", amountMicros: 50_000_000, ref: "f", postedBy: "t" }, ctx);
    head = applyEntry(head, credit);
    expect(head).toMatchObject({ balanceMicros: 42_500_000, overdraftMicros: 0, lots: [{ lotId: credit.id, remainingMicros: 42_500_000 }] });
  });
});
