/**
 * The reconciliation use case: read every tenant's account, ledger, rated usage and outbox from the
 * store, and the charges from the card processor, then run the pure invariant checks.
 */
import type { LedgerEntry } from "../ledger/entries.js";
import type { AccountDoc } from "../accounts/account.js";
import type { CardProcessor, ProcessorCharge } from "../payments/processor.js";
import { queryAll, queryMonths, type Store } from "../store/cosmos.js";
import { DEFAULT_USAGE_RETENTION_DAYS, monthsBetween } from "../store/containers.js";
import { checkAll, type TenantSnapshot, type Verdict } from "./invariants.js";

/** Records rated this recently without their debit are still being posted, not lost. */
export const USAGE_IN_FLIGHT_MS = 10 * 60_000;
/**
 * A succeeded charge is credited by the request that made it within moments; one not credited a
 * minute later is lost (until the recovery job credits it). Younger, it is in flight: check-ledger
 * beside a running app saw the charge and not yet its credit.
 */
export const CHARGE_IN_FLIGHT_MS = 60_000;
/** An expired lot is a breach once the expiry job has had this long to remove it. */
export const EXPIRY_GRACE_MS = 15 * 60_000;

export async function readTenant(store: Store, tenantId: string, charges: TenantSnapshot["charges"], chargesListedAt?: string): Promise<TenantSnapshot | undefined> {
  const c = store.containers;
  const [account] = await queryAll<AccountDoc>(c.accounts, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.id = 'account'");
  if (!account) return undefined;
  const entries = await queryAll<LedgerEntry>(c.ledger, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId");
  const [usage, outbox] = await Promise.all([
    // Usage is partitioned by month: one query per month partition the tenant can have records in.
    queryMonths<TenantSnapshot["usage"][number]>(c.usage, tenantId, usageMonths(entries), "SELECT c.id, c.chargeMicros, c.batchRef, c.ratedAt FROM c WHERE c.tenantId = @tenantId"),
    queryAll<TenantSnapshot["outbox"][number]>(
      c.outbox,
      tenantId,
      "SELECT c.id, c.kind, c.at, c.deliveredAt, c.recipients, c.channels FROM c WHERE c.tenantId = @tenantId AND IS_DEFINED(c.kind)",
    ),
  ]);
  return { tenantId, account, entries, usage, outbox, charges, ...(chargesListedAt ? { chargesListedAt } : {}) };
}

/**
 * The months whose usage partitions may hold a tenant's records: from its first ledger entry, or
 * the usage retention window if that is longer ago, to next month (a call may start up to the clock
 * skew ahead). A call recorded long after it started, before both, is not read (README: Capacity).
 */
function usageMonths(entries: readonly LedgerEntry[], now = new Date()): string[] {
  const retained = now.getTime() - DEFAULT_USAGE_RETENTION_DAYS * 86_400_000;
  const first = entries.reduce((min, e) => (Date.parse(e.at) < min ? Date.parse(e.at) : min), retained);
  return monthsBetween(new Date(first).toISOString(), new Date(now.getTime() + 86_400_000).toISOString());
}

export async function checkLedger(
  store: Store,
  processor: Pick<CardProcessor, "listCharges">,
  options: {
    tenantId?: string;
    now?: Date;
    /** Charges listed already, and when (check-ledger's CLI lists them before it loads the store). */ charges?: { items: ProcessorCharge[]; listedAt: Date };
  } = {},
): Promise<{ tenants: number; verdicts: Verdict[] }> {
  const tenantIds = options.tenantId
    ? [options.tenantId]
    : (await queryAll<{ tenantId: string }>(store.containers.accounts, undefined, "SELECT c.tenantId FROM c WHERE c.id = 'account'")).map((a) => a.tenantId);
  // The charges before the ledger: every charge a credit read here stands for was made before the
  // credit was posted, so a credit posted before the listing must find its charge in it.
  const listedAt = options.charges?.listedAt ?? new Date();
  const charges = options.charges?.items ?? (await processor.listCharges());
  const snapshots: TenantSnapshot[] = [];
  for (const tenantId of tenantIds) {
    const snapshot = await readTenant(
      store,
      tenantId,
      charges.filter((ch) => ch.metadata.tenantId === tenantId),
      listedAt.toISOString(),
    );
    if (snapshot) snapshots.push(snapshot);
  }
  const verdicts = checkAll(snapshots, options.now ?? new Date(), { inFlightMs: USAGE_IN_FLIGHT_MS, chargeInFlightMs: CHARGE_IN_FLIGHT_MS, expiryGraceMs: EXPIRY_GRACE_MS });
  if (options.tenantId && snapshots.length === 0) {
    for (const v of verdicts)
      if (v.invariant === "balance_matches_entries") {
        v.ok = false;
        v.breaches.push({ code: "no_account", tenantId: options.tenantId, facts: {} });
      }
  }
  return { tenants: snapshots.length, verdicts };
}
