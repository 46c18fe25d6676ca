/**
 * The invariants `npm run check-ledger` verifies, as pure functions over what was read from the
 * store and the card processor. Each returns its verdict and, when breached, what breaches it as
 * findings: a code and its facts (ids, counts, micros), never a sentence. Their words are the
 * catalog's (cli.checkLedger.finding.<code>), in the reader's language (local/cli/words.ts).
 */
import type { LedgerEntry } from "../ledger/entries.js";
import type { AccountDoc } from "../accounts/account.js";
import type { ProcessorCharge } from "../payments/processor.js";
import type { UnreachedEventView } from "@cc/common";
import { reachedNobody, unreachedView, type DeliveredEvent } from "../notifications/unreached-rules.js";

export type InvariantName = "balance_matches_entries" | "charges_credited_once" | "usage_in_one_debit" | "no_expired_lot_spendable" | "outbox_accounted_for";

/** Every finding an invariant reports: each has words in every language (test/unit/invariants.test.ts). */
export const FINDING_CODES = [
  "seq_gap",
  "entry_balance",
  "head_ahead",
  "head_balance",
  "lots_vs_balance",
  "head_trails",
  "charge_twice",
  "charge_not_credited",
  "credit_amount",
  "credit_of_failed_charge",
  "credit_without_charge",
  "charges_checked",
  "charges_untagged",
  "credits_after_listing",
  "charges_in_flight",
  "usage_not_debited",
  "usage_debit_mismatch",
  "usage_in_flight",
  "lot_expired",
  "event_undelivered",
  "event_unreached",
  "events_in_flight",
  "no_account",
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** One breach or note: what (a code), where (the tenant) and the facts its words read. */
export interface Finding {
  code: FindingCode;
  tenantId: string;
  facts: Record<string, string | number>;
  /** event_unreached: each admin or channel tried, and why it did not reach them (codes). */
  tried?: UnreachedEventView["tried"];
}

export interface Verdict {
  invariant: InvariantName;
  ok: boolean;
  /** One per breach (empty when ok). */
  breaches: Finding[];
  /** What was checked, and anything counted as fine but worth knowing. */
  notes: Finding[];
}

export interface TenantSnapshot {
  tenantId: string;
  account: AccountDoc;
  /** Every ledger entry of the tenant, any order. */
  entries: LedgerEntry[];
  /** Rated call records: what each charged and the batch (= ledger ref) that should debit it. */
  usage: { id: string; chargeMicros: number; batchRef: string; ratedAt: string }[];
  /** The outbox's events (not its delivery records), newest first is not required. */
  outbox: (Omit<DeliveredEvent, "kind"> & { kind?: DeliveredEvent["kind"] })[];
  /** The processor's charges whose metadata names this tenant. */
  charges: ProcessorCharge[];
  /**
   * When the charges were listed (before the ledger was read): a card credit posted after it may
   * be for a charge the list could not hold yet, so it is not judged. Absent: every credit is.
   */
  chargesListedAt?: string;
}

const CARD_CREDITS = new Set(["funding", "auto_recharge"]);

const verdict = (invariant: InvariantName, breaches: Finding[], notes: Finding[] = []): Verdict => ({ invariant, ok: breaches.length === 0, breaches, notes });
const finding = (tenantId: string, code: FindingCode, facts: Finding["facts"] = {}): Finding => ({ code, tenantId, facts });

/** Balance == sum of entries; seqs 1..n without a gap; each entry's balance follows from the one before; the account head agrees. */
export function checkBalance(t: TenantSnapshot): Verdict {
  const breaches: Finding[] = [];
  const entries = [...t.entries].sort((a, b) => a.seq - b.seq);
  let balance = 0;
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) breaches.push(finding(t.tenantId, "seq_gap", { seq: e.seq, expected: i + 1 }));
    balance += e.amountMicros;
    if (e.balanceAfterMicros !== balance) breaches.push(finding(t.tenantId, "entry_balance", { seq: e.seq, saysMicros: e.balanceAfterMicros, sumMicros: balance }));
  });
  const head = t.account.head;
  const upToHead = entries.filter((e) => e.seq <= head.seq).reduce((s, e) => s + e.amountMicros, 0);
  if (head.seq > entries.length) breaches.push(finding(t.tenantId, "head_ahead", { seq: head.seq, entries: entries.length }));
  else if (head.balanceMicros !== upToHead) breaches.push(finding(t.tenantId, "head_balance", { balanceMicros: head.balanceMicros, seq: head.seq, sumMicros: upToHead }));
  const lots = head.lots.reduce((s, l) => s + l.remainingMicros, 0);
  if (lots - head.overdraftMicros !== head.balanceMicros)
    breaches.push(finding(t.tenantId, "lots_vs_balance", { lotsMicros: lots, overdraftMicros: head.overdraftMicros, balanceMicros: head.balanceMicros }));
  const notes = head.seq < entries.length ? [finding(t.tenantId, "head_trails", { count: entries.length - head.seq })] : [];
  return verdict("balance_matches_entries", breaches, notes);
}

/** Every succeeded charge credited exactly once (same amount), no failed charge credited, no card credit without a charge. */
export function checkCharges(t: TenantSnapshot, now: Date, inFlightMs: number): Verdict {
  const breaches: Finding[] = [];
  const notes: Finding[] = [];
  const byRef = new Map<string, LedgerEntry[]>();
  for (const e of t.entries) byRef.set(e.ref, [...(byRef.get(e.ref) ?? []), e]);
  const succeeded = new Map<string, ProcessorCharge[]>();
  const failed = new Map<string, ProcessorCharge[]>();
  let untagged = 0;
  let stillCrediting = 0;
  for (const c of t.charges) {
    const ref = c.metadata.ledgerRef;
    if (!ref) {
      untagged += 1;
      continue;
    }
    const into = c.status === "succeeded" ? succeeded : failed;
    into.set(ref, [...(into.get(ref) ?? []), c]);
  }
  for (const [ref, charges] of succeeded) {
    if (charges.length > 1) breaches.push(finding(t.tenantId, "charge_twice", { count: charges.length, charges: charges.map((c) => c.chargeId).join(", "), ref }));
    const credits = (byRef.get(ref) ?? []).filter((e) => CARD_CREDITS.has(e.kind));
    // A charge is credited by the request that made it, moments later (or by the recovery job after a crash).
    const crediting = credits.length === 0 && now.getTime() - Date.parse(charges[0].createdAt) < inFlightMs;
    if (crediting) stillCrediting += 1;
    else if (credits.length === 0) breaches.push(finding(t.tenantId, "charge_not_credited", { chargeId: charges[0].chargeId, ref }));
    else if (credits[0].amountMicros !== charges[0].amountMicros)
      breaches.push(finding(t.tenantId, "credit_amount", { chargeId: charges[0].chargeId, chargeMicros: charges[0].amountMicros, ref, creditMicros: credits[0].amountMicros }));
  }
  let newerThanList = 0;
  for (const e of t.entries) {
    if (!CARD_CREDITS.has(e.kind) || succeeded.has(e.ref)) continue;
    if (t.chargesListedAt && e.at >= t.chargesListedAt) {
      newerThanList += 1;
      continue;
    }
    breaches.push(finding(t.tenantId, failed.has(e.ref) ? "credit_of_failed_charge" : "credit_without_charge", { seq: e.seq, ref: e.ref }));
  }
  notes.push(finding(t.tenantId, "charges_checked", { succeeded: [...succeeded.values()].flat().length, failed: [...failed.values()].flat().length }));
  if (untagged > 0) notes.push(finding(t.tenantId, "charges_untagged", { count: untagged }));
  if (newerThanList > 0) notes.push(finding(t.tenantId, "credits_after_listing", { count: newerThanList }));
  if (stillCrediting > 0) notes.push(finding(t.tenantId, "charges_in_flight", { count: stillCrediting, seconds: inFlightMs / 1000 }));
  return verdict("charges_credited_once", breaches, notes);
}

/** Every rated record that charged something is inside exactly one usage debit, whose amount is the sum of its records. */
export function checkUsage(t: TenantSnapshot, now: Date, inFlightMs: number): Verdict {
  const breaches: Finding[] = [];
  const notes: Finding[] = [];
  const members = new Map<string, { sum: number; count: number; newest: string }>();
  for (const u of t.usage) {
    if (u.chargeMicros <= 0) continue;
    const m = members.get(u.batchRef) ?? { sum: 0, count: 0, newest: "" };
    members.set(u.batchRef, { sum: m.sum + u.chargeMicros, count: m.count + 1, newest: u.ratedAt > m.newest ? u.ratedAt : m.newest });
  }
  const debits = new Map(t.entries.filter((e) => e.kind === "usage").map((e) => [e.ref, e]));
  let inFlight = 0;
  for (const [ref, m] of members) {
    const debit = debits.get(ref);
    if (!debit) {
      if (now.getTime() - Date.parse(m.newest) < inFlightMs) inFlight += m.count;
      else breaches.push(finding(t.tenantId, "usage_not_debited", { count: m.count, ref }));
    } else if (-debit.amountMicros !== m.sum) {
      breaches.push(finding(t.tenantId, "usage_debit_mismatch", { ref, debitMicros: -debit.amountMicros, sumMicros: m.sum }));
    }
  }
  if (inFlight > 0) notes.push(finding(t.tenantId, "usage_in_flight", { count: inFlight, minutes: inFlightMs / 60_000 }));
  return verdict("usage_in_one_debit", breaches, notes);
}

/** A lot past its expiry with money left is still spendable: the expiry job missed it. */
export function checkExpiredLots(t: TenantSnapshot, now: Date, graceMs: number): Verdict {
  const cutoff = now.getTime() - graceMs;
  const breaches = t.account.head.lots
    .filter((l) => l.remainingMicros > 0 && Date.parse(l.expiresAt) <= cutoff)
    .map((l) => finding(t.tenantId, "lot_expired", { lotId: l.lotId, expiresAt: l.expiresAt, remainingMicros: l.remainingMicros }));
  return verdict("no_expired_lot_spendable", breaches);
}

/**
 * Every outbox event delivered, or accounted for. The notifier sets `deliveredAt` once every
 * recipient was reached or given up on (`sent`, `not_installed`, `failed` after its retries), so
 * an event without it is still being delivered: accounted for while younger than `inFlightMs`, a
 * breach after that (nobody is delivering it). An urgent event delivered to nobody by any channel
 * (chat, channel, feed, e-mail) is a breach too: nobody was told (unreached-rules.ts).
 */
export function checkOutbox(t: TenantSnapshot, now: Date, inFlightMs: number): Verdict {
  const breaches: Finding[] = [];
  let inFlight = 0;
  for (const e of t.outbox) {
    if (e.deliveredAt) continue;
    if (now.getTime() - Date.parse(e.at) > inFlightMs) breaches.push(finding(t.tenantId, "event_undelivered", { eventId: e.id, at: e.at }));
    else inFlight += 1;
  }
  // Delivered is not enough for an urgent event: it must have reached someone, by some channel.
  for (const e of t.outbox) {
    if (!e.kind || !reachedNobody(e as DeliveredEvent)) continue;
    const view = unreachedView(e as DeliveredEvent);
    breaches.push({ ...finding(t.tenantId, "event_unreached", { eventId: view.eventId, kind: view.kind, at: view.at }), tried: view.tried });
  }
  const notes = inFlight > 0 ? [finding(t.tenantId, "events_in_flight", { count: inFlight })] : [];
  return verdict("outbox_accounted_for", breaches, notes);
}

/** All invariants over all tenants: one verdict per invariant. */
export function checkAll(tenants: TenantSnapshot[], now: Date, options: { inFlightMs: number; chargeInFlightMs: number; expiryGraceMs: number }): Verdict[] {
  const per = tenants.map((t) => [
    checkBalance(t),
    checkCharges(t, now, options.chargeInFlightMs),
    checkUsage(t, now, options.inFlightMs),
    checkExpiredLots(t, now, options.expiryGraceMs),
    checkOutbox(t, now, options.inFlightMs),
  ]);
  const names: InvariantName[] = ["balance_matches_entries", "charges_credited_once", "usage_in_one_debit", "no_expired_lot_spendable", "outbox_accounted_for"];
  return names.map((name, i) => {
    const all = per.map((v) => v[i]);
    return { invariant: name, ok: all.every((v) => v.ok), breaches: all.flatMap((v) => v.breaches), notes: all.flatMap((v) => v.notes) };
  });
}
