/**
 * The ledger of one Communications Credits account, as pure functions over values.
 *
 * Invariants (kept here, tested with random sequences in test/unit/ledger.property.test.ts):
 *  - balanceMicros == sum of every entry's amountMicros;
 *  - balanceMicros == sum(lots.remainingMicros) - overdraftMicros, and lots and overdraft never
 *    coexist (a credit repays overdraft first; a debit consumes lots before it overdraws);
 *  - lots are consumed first-in first-out (oldest expiry first); expiry removes exactly what is left
 *    of one lot, so no micro is created or lost;
 *  - seq increases by exactly one per entry.
 */
import type { LedgerEntryKind } from "@cc/common";

export interface Lot {
  /** The id of the credit entry that bought it. */
  lotId: string;
  remainingMicros: number;
  expiresAt: string;
}

export interface LedgerHead {
  seq: number;
  balanceMicros: number;
  lots: Lot[];
  overdraftMicros: number;
  /** How many times a debit took the balance from at-or-above the threshold to below it. */
  crossings: number;
}

export interface LedgerEntry {
  id: string;
  tenantId: string;
  seq: number;
  kind: LedgerEntryKind;
  amountMicros: number;
  balanceAfterMicros: number;
  currency: string;
  at: string;
  /** What caused it; unique per account (a unique key), so a cause is posted once. */
  ref: string;
  /** Set on the entry that crossed the threshold downwards: that crossing's number. */
  crossing?: number;
  /** Set on the entry that took the balance from above zero to zero or below. */
  depleted?: boolean;
  /** Who or what posted it (user oid, "auto-recharge", "usage-ingest", "expiry-job"). */
  postedBy: string;
  /** The signed-in poster's upn, for the audit record and the card ("added by"). */
  postedByUpn?: string;
  /** The card charge that paid for a credit (funding, auto_recharge). */
  chargeId?: string;
}

/** A posting not yet given its place in the ledger. */
export interface EntryIntent {
  kind: LedgerEntryKind;
  amountMicros: number;
  ref: string;
  postedBy: string;
  postedByUpn?: string;
  chargeId?: string;
}

export const EMPTY_HEAD: LedgerHead = { seq: 0, balanceMicros: 0, lots: [], overdraftMicros: 0, crossings: 0 };

/** Funds expire twelve months after purchase. */
export function expiryOf(purchasedAt: string): string {
  const d = new Date(purchasedAt);
  d.setUTCMonth(d.getUTCMonth() + 12);
  return d.toISOString();
}

/** Zero-padded so that ids sort like seqs. */
export function entryId(seq: number): string {
  return String(seq).padStart(12, "0");
}

/**
 * Give an intent its place after `head`: the next seq, the balance after, and whether it crossed
 * the threshold or emptied the account.
 */
export function placeEntry(head: LedgerHead, intent: EntryIntent, ctx: { tenantId: string; currency: string; at: string; thresholdMicros: number }): LedgerEntry {
  assertWholeMicros(intent.amountMicros);
  const seq = head.seq + 1;
  const before = head.balanceMicros;
  const after = before + intent.amountMicros;
  const entry: LedgerEntry = {
    id: entryId(seq),
    tenantId: ctx.tenantId,
    seq,
    kind: intent.kind,
    amountMicros: intent.amountMicros,
    balanceAfterMicros: after,
    currency: ctx.currency,
    at: ctx.at,
    ref: intent.ref,
    postedBy: intent.postedBy,
  };
  if (intent.postedByUpn !== undefined) entry.postedByUpn = intent.postedByUpn;
  if (intent.chargeId !== undefined) entry.chargeId = intent.chargeId;
  if (intent.amountMicros < 0 && before >= ctx.thresholdMicros && after < ctx.thresholdMicros) entry.crossing = head.crossings + 1;
  if (intent.amountMicros < 0 && before > 0 && after <= 0) entry.depleted = true;
  return entry;
}

/** The head after `entry`. Pure: the writer and anyone rolling the account forward get the same answer. */
export function applyEntry(head: LedgerHead, entry: LedgerEntry): LedgerHead {
  if (entry.seq !== head.seq + 1) throw new Error(`ledger entry ${entry.seq} does not follow ${head.seq}`);
  let lots = head.lots.map((l) => ({ ...l }));
  let overdraft = head.overdraftMicros;
  const amount = entry.amountMicros;

  if (entry.kind === "expiry") {
    const lot = lots.find((l) => l.lotId === entry.ref.replace(/^expiry:/, ""));
    if (!lot || lot.remainingMicros !== -amount) throw new Error(`expiry ${entry.ref} does not match its lot`);
    lots = lots.filter((l) => l !== lot);
  } else if (amount > 0) {
    const repaid = Math.min(overdraft, amount);
    overdraft -= repaid;
    if (amount > repaid) lots.push({ lotId: entry.id, remainingMicros: amount - repaid, expiresAt: expiryOf(entry.at) });
  } else if (amount < 0) {
    let owed = -amount;
    lots.sort(byExpiry);
    for (const lot of lots) {
      const take = Math.min(lot.remainingMicros, owed);
      lot.remainingMicros -= take;
      owed -= take;
      if (owed === 0) break;
    }
    lots = lots.filter((l) => l.remainingMicros > 0);
    overdraft += owed;
  }
  return {
    seq: entry.seq,
    balanceMicros: head.balanceMicros + amount,
    lots,
    overdraftMicros: overdraft,
    crossings: entry.crossing ?? head.crossings,
  };
}

function byExpiry(a: Lot, b: Lot): number {
  return a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : a.lotId < b.lotId ? -1 : 1;
}

/** The expiry postings due at `now`: one per lot past its date, for exactly what is left of it. */
export function dueExpiries(head: LedgerHead, now: string): EntryIntent[] {
  return head.lots
    .filter((l) => l.expiresAt <= now && l.remainingMicros > 0)
    .sort(byExpiry)
    .map((l) => ({ kind: "expiry", amountMicros: -l.remainingMicros, ref: `expiry:${l.lotId}`, postedBy: "expiry" }));
}

export function assertWholeMicros(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a whole number of micros, got ${amount}`);
}
