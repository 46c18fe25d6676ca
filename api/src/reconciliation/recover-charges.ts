/**
 * The crash between charge and credit: a card charge succeeded at the processor but the process
 * died before the ledger entry was written. This job lists recent charges and credits each
 * succeeded one whose ledger ref has no entry. The ref is the charge's own (from its metadata) and
 * a unique key of the ledger, so however many instances or runs find the same charge, it is
 * credited once. Crediting a charge whose own request is still running is harmless: that request's
 * post then finds the entry (a duplicate) and answers with it.
 */
import type { LedgerEntryKind } from "@cc/common";
import type { CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";

export const RECONCILER: Actor = { id: "system:reconciliation" };
/** How far back the job looks: a crashed request is found on the next run, long before this. */
export const RECOVERY_WINDOW_MS = 7 * 24 * 3_600_000;

function kindOf(ref: string): LedgerEntryKind | undefined {
  if (ref.startsWith("funding:")) return "funding";
  if (ref.startsWith("recharge:")) return "auto_recharge";
  return undefined;
}

export class ChargeRecovery {
  constructor(
    private readonly processor: CardProcessor,
    private readonly ledger: LedgerWriter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Credit every succeeded, uncredited charge; the number credited by this run. */
  async run(): Promise<number> {
    const now = this.clock.now().getTime();
    const charges = await this.processor.listCharges({ since: new Date(now - RECOVERY_WINDOW_MS) });
    let credited = 0;
    for (const charge of charges) {
      const { tenantId, ledgerRef } = charge.metadata;
      const kind = ledgerRef ? kindOf(ledgerRef) : undefined;
      if (charge.status !== "succeeded" || !tenantId || !ledgerRef || !kind) continue;
      if (await this.ledger.findByRef(tenantId, ledgerRef)) continue;
      const posted = await this.ledger.post(tenantId, () => ({ kind, amountMicros: charge.amountMicros, ref: ledgerRef, postedBy: RECONCILER.id, chargeId: charge.chargeId }));
      if (posted.duplicate) continue; // another instance or run got there first
      credited += 1;
      await this.audit.recordOnce(tenantId, `charge-recovered:${charge.chargeId}`, RECONCILER, "charge.recovered", this.clock.now().toISOString(), null, { chargeId: charge.chargeId, amountMicros: charge.amountMicros, entryId: posted.entry.id, ref: ledgerRef });
    }
    return credited;
  }
}
