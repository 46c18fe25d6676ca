/**
 * The crash between charge and credit: a card charge succeeded at the processor but the process
 * died before the ledger entry was written. This job lists recent charges and credits each
 * succeeded one whose ledger ref has no entry. The ref is the charge's own (from its metadata) and
 * a unique key of the ledger, so however many instances or runs find the same charge, it is
 * credited once. Crediting a charge whose own request is still running is harmless: that request's
 * post then finds the entry (a duplicate) and answers with it.
 *
 * A watermark in the `state` container says "every succeeded charge made before this instant is
 * credited": a run lists only the charges since then (less WATERMARK_OVERLAP_MS, for the
 * processor's clock), so a run costs what the last minutes' charges cost, not a week's. A run
 * that fails leaves the watermark where it was; two instances' watermarks are both true, so
 * whichever is written last is kept.
 */
import type { LedgerEntryKind } from "@cc/common";
import type { CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";
import { isFundingRef } from "../funding/add-funds.js";
import { readDoc, type Store } from "../store/cosmos.js";
import type { Container } from "@azure/cosmos";

export const RECONCILER: Actor = { id: "system:reconciliation" };
/** How far back the job looks: a crashed request is found on the next run, long before this. */
export const RECOVERY_WINDOW_MS = 7 * 24 * 3_600_000;
/** How far before the watermark a run still looks: room for the processor's clock and charges being made as it was set. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
const WATERMARK = { id: "charge-recovery-watermark", tenantId: "_system" } as const;

interface WatermarkDoc {
  id: string;
  tenantId: string;
  /** ISO time: every succeeded charge made before it has its ledger entry. */
  creditedBefore: string;
}

function kindOf(ref: string): LedgerEntryKind | undefined {
  if (isFundingRef(ref)) return "funding";
  if (ref.startsWith("recharge:")) return "auto_recharge";
  return undefined;
}

export class ChargeRecovery {
  private readonly state: Container;

  constructor(
    store: Store,
    private readonly processor: CardProcessor,
    private readonly ledger: LedgerWriter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {
    this.state = store.containers.state;
  }

  /** Credit every succeeded, uncredited charge; the number credited by this run. */
  async run(): Promise<number> {
    const listedAt = this.clock.now().getTime();
    const watermark = await this.watermark();
    const since = Math.max(listedAt - RECOVERY_WINDOW_MS, watermark ? Date.parse(watermark) - WATERMARK_OVERLAP_MS : 0);
    const charges = await this.processor.listCharges({ since: new Date(since) });
    let credited = 0;
    for (const charge of charges) {
      const { tenantId, ledgerRef } = charge.metadata;
      const kind = ledgerRef ? kindOf(ledgerRef) : undefined;
      if (charge.status !== "succeeded" || !tenantId || !ledgerRef || !kind) continue;
      if (await this.ledger.findByRef(tenantId, ledgerRef)) continue;
      const posted = await this.ledger.post(tenantId, () => ({ kind, amountMicros: charge.amountMicros, ref: ledgerRef, postedBy: RECONCILER.id, chargeId: charge.chargeId }));
      if (posted.duplicate) continue; // another instance or run got there first
      credited += 1;
      await this.audit.recordOnce(tenantId, `charge-recovered:${charge.chargeId}`, RECONCILER, "charge.recovered", this.clock.now().toISOString(), null, {
        chargeId: charge.chargeId,
        amountMicros: charge.amountMicros,
        entryId: posted.entry.id,
        ref: ledgerRef,
      });
    }
    // Every charge listed is credited now: the next run starts from when they were listed.
    await this.state.items.upsert<WatermarkDoc>({ ...WATERMARK, creditedBefore: new Date(listedAt).toISOString() });
    return credited;
  }

  /** Where the next run starts looking (less the overlap); undefined before the first run. */
  async watermark(): Promise<string | undefined> {
    return (await readDoc<WatermarkDoc>(this.state, WATERMARK.tenantId, WATERMARK.id))?.creditedBefore;
  }
}
