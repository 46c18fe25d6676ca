/**
 * The invariants `npm run check-ledger` verifies, as pure functions over what was read from the
 * store and the card processor. Each returns its verdict and, when breached, what breaches it in
 * words a person can act on.
 */
import type { LedgerEntry } from "../ledger/entries.js";
import type { AccountDoc } from "../accounts/account.js";
import type { ProcessorCharge } from "../payments/processor.js";
import { describeUnreached, reachedNobody, unreachedView, type DeliveredEvent } from "../notifications/unreached-rules.js";

export type InvariantName = "balance_matches_entries" | "charges_credited_once" | "usage_in_one_debit" | "no_expired_lot_spendable" | "outbox_accounted_for";

export interface Verdict {
  invariant: InvariantName;
  ok: boolean;
  /** One line per breach (empty when ok). */
  breaches: string[];
  /** What was checked, and anything counted as fine but worth knowing. */
  notes: string[];
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

const verdict = (invariant: InvariantName, breaches: string[], notes: string[] = []): Verdict => ({ invariant, ok: breaches.length === 0, breaches, notes });

/** Balance == sum of entries; seqs 1..n without a gap; each entry's balance follows from the one before; the account head agrees. */
export function checkBalance(t: TenantSnapshot): Verdict {
  const breaches: string[] = [];
  const entries = [...t.entries].sort((a, b) => a.seq - b.seq);
  let balance = 0;
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) breaches.push(`${t.tenantId}: entry seq ${e.seq} found where seq ${i + 1} was expected (an entry is missing)`);
    balance += e.amountMicros;
    if (e.balanceAfterMicros !== balance)
      breaches.push(`${t.tenantId}: entry ${e.seq} says the balance after is ${e.balanceAfterMicros} micros, the entries up to it sum to ${balance}`);
  });
  const head = t.account.head;
  const upToHead = entries.filter((e) => e.seq <= head.seq).reduce((s, e) => s + e.amountMicros, 0);
  if (head.seq > entries.length) breaches.push(`${t.tenantId}: the account is at entry ${head.seq} but the ledger has ${entries.length} entries`);
  else if (head.balanceMicros !== upToHead) breaches.push(`${t.tenantId}: the account balance is ${head.balanceMicros} micros, its ${head.seq} entries sum to ${upToHead}`);
  const lots = head.lots.reduce((s, l) => s + l.remainingMicros, 0);
  if (lots - head.overdraftMicros !== head.balanceMicros)
    breaches.push(`${t.tenantId}: lots (${lots}) minus overdraft (${head.overdraftMicros}) differ from the balance (${head.balanceMicros})`);
  const notes = head.seq < entries.length ? [`${t.tenantId}: the account trails the ledger by ${entries.length - head.seq} entries (the next read rolls it forward)`] : [];
  return verdict("balance_matches_entries", breaches, notes);
}

/** Every succeeded charge credited exactly once (same amount), no failed charge credited, no card credit without a charge. */
export function checkCharges(t: TenantSnapshot, now: Date, inFlightMs: number): Verdict {
  const breaches: string[] = [];
  const notes: string[] = [];
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
    if (charges.length > 1) breaches.push(`${t.tenantId}: ${charges.length} succeeded charges (${charges.map((c) => c.chargeId).join(", ")}) for the one credit ${ref}`);
    const credits = (byRef.get(ref) ?? []).filter((e) => CARD_CREDITS.has(e.kind));
    // A charge is credited by the request that made it, moments later (or by the recovery job after a crash).
    const crediting = credits.length === 0 && now.getTime() - Date.parse(charges[0].createdAt) < inFlightMs;
    if (crediting) stillCrediting += 1;
    else if (credits.length === 0) breaches.push(`${t.tenantId}: charge ${charges[0].chargeId} succeeded but was never credited (${ref})`);
    else if (credits[0].amountMicros !== charges[0].amountMicros)
      breaches.push(`${t.tenantId}: charge ${charges[0].chargeId} took ${charges[0].amountMicros} micros, the credit ${ref} gave ${credits[0].amountMicros}`);
  }
  let newerThanList = 0;
  for (const e of t.entries) {
    if (!CARD_CREDITS.has(e.kind) || succeeded.has(e.ref)) continue;
    if (t.chargesListedAt && e.at >= t.chargesListedAt) {
      newerThanList += 1;
      continue;
    }
    if (failed.has(e.ref)) breaches.push(`${t.tenantId}: entry ${e.seq} credits ${e.ref}, whose charge failed`);
    else breaches.push(`${t.tenantId}: entry ${e.seq} credits ${e.ref} with no succeeded charge behind it (credited twice, or never charged)`);
  }
  notes.push(`${t.tenantId}: ${[...succeeded.values()].flat().length} succeeded and ${[...failed.values()].flat().length} failed charges checked`);
  if (untagged > 0) notes.push(`${t.tenantId}: ${untagged} charges carry no ledger ref and were not checked`);
  if (newerThanList > 0) notes.push(`${t.tenantId}: ${newerThanList} credit(s) posted after the charges were listed, not judged`);
  if (stillCrediting > 0) notes.push(`${t.tenantId}: ${stillCrediting} charge(s) of the last ${inFlightMs / 1000} seconds are still being credited`);
  return verdict("charges_credited_once", breaches, notes);
}

/** Every rated record that charged something is inside exactly one usage debit, whose amount is the sum of its records. */
export function checkUsage(t: TenantSnapshot, now: Date, inFlightMs: number): Verdict {
  const breaches: string[] = [];
  const notes: string[] = [];
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
      else breaches.push(`${t.tenantId}: ${m.count} rated records of batch ${ref} are in no usage debit`);
    } else if (-debit.amountMicros !== m.sum) {
      breaches.push(`${t.tenantId}: usage debit ${ref} is ${-debit.amountMicros} micros, its records charged ${m.sum}`);
    }
  }
  if (inFlight > 0) notes.push(`${t.tenantId}: ${inFlight} records rated in the last ${inFlightMs / 60_000} minutes are still being posted`);
  return verdict("usage_in_one_debit", breaches, notes);
}

/** A lot past its expiry with money left is still spendable: the expiry job missed it. */
export function checkExpiredLots(t: TenantSnapshot, now: Date, graceMs: number): Verdict {
  const cutoff = now.getTime() - graceMs;
  const breaches = t.account.head.lots
    .filter((l) => l.remainingMicros > 0 && Date.parse(l.expiresAt) <= cutoff)
    .map((l) => `${t.tenantId}: lot ${l.lotId} expired at ${l.expiresAt} and still holds ${l.remainingMicros} micros`);
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
  const breaches: string[] = [];
  let inFlight = 0;
  for (const e of t.outbox) {
    if (e.deliveredAt) continue;
    if (now.getTime() - Date.parse(e.at) > inFlightMs) breaches.push(`${t.tenantId}: event ${e.id} of ${e.at} was never delivered nor given up on`);
    else inFlight += 1;
  }
  // Delivered is not enough for an urgent event: it must have reached someone, by some channel.
  for (const e of t.outbox) if (e.kind && reachedNobody(e as DeliveredEvent)) breaches.push(describeUnreached(t.tenantId, unreachedView(e as DeliveredEvent)));
  const notes = inFlight > 0 ? [`${t.tenantId}: ${inFlight} recent event(s) still being delivered: counted as accounted for`] : [];
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
