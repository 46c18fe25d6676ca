/** The reconciliation invariants as pure functions: each breach is found and named, a healthy tenant passes. */
import { describe, expect, it } from "vitest";
import { checkAll, checkBalance, checkCharges, checkExpiredLots, checkOutbox, checkUsage, type TenantSnapshot } from "../../api/src/reconciliation/invariants.js";
import { EMPTY_HEAD, applyEntry, placeEntry, type EntryIntent, type LedgerEntry } from "../../api/src/ledger/entries.js";
import type { AccountDoc } from "../../api/src/accounts/account.js";
import type { ProcessorCharge } from "../../api/src/payments/processor.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const T = "t1";
/** An hour after the charges were made: a charge not credited by then is not in flight. */
const LATER = new Date(NOW.getTime() + 3_600_000);

function ledgerOf(intents: EntryIntent[], at = "2026-05-01T00:00:00Z") {
  let head = EMPTY_HEAD;
  const entries: LedgerEntry[] = [];
  for (const intent of intents) {
    const entry = placeEntry(head, intent, { tenantId: T, currency: "USD", at, thresholdMicros: 0 });
    head = applyEntry(head, entry);
    entries.push(entry);
  }
  return { head, entries };
}

const charge = (ref: string, amountMicros: number, status: "succeeded" | "failed" = "succeeded", id = `ch_${ref}_${status}`): ProcessorCharge => ({
  chargeId: id,
  paymentIntentId: `pi_${ref}`,
  amountMicros,
  currency: "USD",
  status,
  createdAt: NOW.toISOString(),
  metadata: { tenantId: T, ledgerRef: ref },
});

function tenant(overrides: Partial<TenantSnapshot> = {}): TenantSnapshot {
  const { head, entries } = ledgerOf([
    { kind: "funding", amountMicros: 50_000_000, ref: "funding:a", postedBy: "u" },
    { kind: "usage", amountMicros: -3_000_000, ref: "batch:1", postedBy: "usage" },
  ]);
  return {
    tenantId: T,
    account: { head } as AccountDoc,
    entries,
    usage: [
      { id: "r1", chargeMicros: 1_000_000, batchRef: "batch:1", ratedAt: "2026-05-01T00:00:00Z" },
      { id: "r2", chargeMicros: 2_000_000, batchRef: "batch:1", ratedAt: "2026-05-01T00:00:00Z" },
      { id: "r3", chargeMicros: 0, batchRef: "batch:2", ratedAt: "2026-05-01T00:00:00Z" },
    ],
    outbox: [{ id: "funds_added:1", at: new Date(NOW.getTime() - 60_000).toISOString(), deliveredAt: null }],
    charges: [charge("funding:a", 50_000_000), charge("funding:x", 60_000_000, "failed")],
    ...overrides,
  };
}
const OPTS = { inFlightMs: 600_000, chargeInFlightMs: 60_000, expiryGraceMs: 900_000 };

describe("reconciliation invariants", () => {
  it("a healthy tenant passes every invariant, an event still being delivered noted as accounted for", () => {
    const verdicts = checkAll([tenant()], NOW, OPTS);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts.find((v) => v.invariant === "outbox_accounted_for")!.notes.map((n) => n.code)).toContain("events_in_flight");
  });

  it("finds a missing entry and a balance that is not the sum of entries", () => {
    const t = tenant();
    expect(checkBalance({ ...t, entries: t.entries.slice(1) }).ok).toBe(false);
    expect(checkBalance({ ...t, account: { head: { ...t.account.head, balanceMicros: 1 } } as AccountDoc }).ok).toBe(false);
  });

  it("finds a charge never credited, a charge credited twice, a failed charge credited, and two charges for one credit", () => {
    const t = tenant();
    expect(checkCharges({ ...t, charges: [...t.charges, charge("funding:b", 70_000_000)] }, LATER, OPTS.chargeInFlightMs).breaches.map((b) => b.code)).toContain(
      "charge_not_credited",
    );
    const twice = ledgerOf([
      { kind: "funding", amountMicros: 50_000_000, ref: "funding:a", postedBy: "u" },
      { kind: "funding", amountMicros: 50_000_000, ref: "funding:a:again", postedBy: "u" },
    ]);
    expect(checkCharges({ ...t, entries: twice.entries }, LATER, OPTS.chargeInFlightMs).breaches.map((b) => b.code)).toContain("credit_without_charge");
    const failedCredited = ledgerOf([{ kind: "funding", amountMicros: 60_000_000, ref: "funding:x", postedBy: "u" }]);
    expect(
      checkCharges({ ...t, entries: failedCredited.entries, charges: [charge("funding:x", 60_000_000, "failed")] }, LATER, OPTS.chargeInFlightMs).breaches.map((b) => b.code),
    ).toContain("credit_of_failed_charge");
    expect(checkCharges({ ...t, charges: [...t.charges, charge("funding:a", 50_000_000, "succeeded", "ch_second")] }, LATER, OPTS.chargeInFlightMs).ok).toBe(false);
    // A charge made moments ago is being credited by its request: noted, not a breach.
    const fresh = checkCharges({ ...t, charges: [...t.charges, charge("funding:b", 70_000_000)] }, new Date(NOW.getTime() + 1_000), OPTS.chargeInFlightMs);
    expect(fresh.ok).toBe(true);
    expect(fresh.notes.map((n) => n.code)).toContain("charges_in_flight");
    // A credit posted after the charges were listed may stand for a charge the list could not hold yet: not judged.
    const listed = ledgerOf([{ kind: "funding", amountMicros: 50_000_000, ref: "funding:later", postedBy: "u" }], "2026-06-01T00:00:05Z");
    const afterList = checkCharges({ ...t, entries: [...t.entries, ...listed.entries], chargesListedAt: NOW.toISOString() }, LATER, OPTS.chargeInFlightMs);
    expect(afterList.ok).toBe(true);
    expect(afterList.notes.map((n) => n.code)).toContain("credits_after_listing");
    expect(checkCharges({ ...t, entries: [...t.entries, ...listed.entries], chargesListedAt: "2026-06-01T00:00:10Z" }, LATER, OPTS.chargeInFlightMs).ok).toBe(false);
    // A recharge that failed once and then succeeded under the same ref is fine.
    const recharge = ledgerOf([{ kind: "auto_recharge", amountMicros: 50_000_000, ref: "recharge:rc-1-0", postedBy: "ar" }]);
    expect(
      checkCharges(
        { ...t, entries: recharge.entries, charges: [charge("recharge:rc-1-0", 50_000_000, "failed"), charge("recharge:rc-1-0", 50_000_000)] },
        LATER,
        OPTS.chargeInFlightMs,
      ).ok,
    ).toBe(true);
  });

  it("finds rated records outside a debit, and a debit that is not the sum of its records; fresh ones are in flight", () => {
    const t = tenant();
    const orphan = { id: "r9", chargeMicros: 500_000, batchRef: "batch:9", ratedAt: "2026-05-01T00:00:00Z" };
    expect(checkUsage({ ...t, usage: [...t.usage, orphan] }, NOW, OPTS.inFlightMs).ok).toBe(false);
    expect(checkUsage({ ...t, usage: [...t.usage, { ...orphan, ratedAt: NOW.toISOString() }] }, NOW, OPTS.inFlightMs).ok).toBe(true);
    expect(checkUsage({ ...t, usage: [...t.usage, { ...orphan, batchRef: "batch:1" }] }, NOW, OPTS.inFlightMs).ok).toBe(false);
  });

  it("finds an expired lot with money left, after the grace", () => {
    const t = tenant();
    const lot = (expiresAt: string) => ({ ...t, account: { head: { ...t.account.head, lots: [{ lotId: "x", remainingMicros: 1, expiresAt }] } } as AccountDoc });
    expect(checkExpiredLots(lot("2026-05-31T00:00:00Z"), NOW, OPTS.expiryGraceMs).ok).toBe(false);
    expect(checkExpiredLots(lot("2026-05-31T23:59:00Z"), NOW, OPTS.expiryGraceMs).ok).toBe(true);
  });

  it("finds an event nobody delivered nor gave up on once it is older than the in-flight window", () => {
    const old = new Date(NOW.getTime() - OPTS.inFlightMs - 1).toISOString();
    expect(checkOutbox(tenant({ outbox: [{ id: "e", at: old, deliveredAt: null }] }), NOW, OPTS.inFlightMs).ok).toBe(false);
    expect(checkOutbox(tenant({ outbox: [{ id: "e", at: old, deliveredAt: "2026-05-01T00:00:00Z" }] }), NOW, OPTS.inFlightMs).ok).toBe(true);
    expect(checkOutbox(tenant({ outbox: [{ id: "e", at: NOW.toISOString(), deliveredAt: null }] }), NOW, OPTS.inFlightMs).ok).toBe(true);
  });
});
