/**
 * The reconciliation use case: read every tenant's account, ledger, rated usage and outbox from the
 * store, and the charges from the card processor, then run the pure invariant checks.
 */
import type { LedgerEntry } from "../ledger/entries.js";
import type { AccountDoc } from "../accounts/account.js";
import type { CardProcessor } from "../payments/processor.js";
import { queryAll, type Store } from "../store/cosmos.js";
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

export async function readTenant(store: Store, tenantId: string, charges: TenantSnapshot["charges"]): Promise<TenantSnapshot | undefined> {
  const c = store.containers;
  const [account] = await queryAll<AccountDoc>(c.accounts, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.id = 'account'");
  if (!account) return undefined;
  const [entries, usage, outbox] = await Promise.all([
    queryAll<LedgerEntry>(c.ledger, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId"),
    queryAll<TenantSnapshot["usage"][number]>(c.usage, tenantId, "SELECT c.id, c.chargeMicros, c.batchRef, c.ratedAt FROM c WHERE c.tenantId = @tenantId"),
    queryAll<TenantSnapshot["outbox"][number]>(c.outbox, tenantId, "SELECT c.id, c.at, c.deliveredAt FROM c WHERE c.tenantId = @tenantId AND IS_DEFINED(c.kind)"),
  ]);
  return { tenantId, account, entries, usage, outbox, charges };
}

export async function checkLedger(store: Store, processor: Pick<CardProcessor, "listCharges">, options: { tenantId?: string; now?: Date } = {}): Promise<{ tenants: number; verdicts: Verdict[] }> {
  const tenantIds = options.tenantId
    ? [options.tenantId]
    : (await queryAll<{ tenantId: string }>(store.containers.accounts, undefined, "SELECT c.tenantId FROM c WHERE c.id = 'account'")).map((a) => a.tenantId);
  const charges = await processor.listCharges();
  const snapshots: TenantSnapshot[] = [];
  for (const tenantId of tenantIds) {
    const snapshot = await readTenant(store, tenantId, charges.filter((ch) => ch.metadata.tenantId === tenantId));
    if (snapshot) snapshots.push(snapshot);
  }
  const verdicts = checkAll(snapshots, options.now ?? new Date(), { inFlightMs: USAGE_IN_FLIGHT_MS, chargeInFlightMs: CHARGE_IN_FLIGHT_MS, expiryGraceMs: EXPIRY_GRACE_MS });
  if (options.tenantId && snapshots.length === 0) {
    for (const v of verdicts) if (v.invariant === "balance_matches_entries") {
      v.ok = false;
      v.breaches.push(`${options.tenantId}: no Communications Credits account`);
    }
  }
  return { tenants: snapshots.length, verdicts };
}
