/**
 * Usage batch documents: one per ingestion batch in `rollups`, id `batch:<ref>` (ref = the batch's
 * ledger ref, see ingest.ts). The batch document is created "open" before any record of the
 * batch exists and replaced to "done" (If-Match) after the batch's ledger debit, pool settlement and
 * day rollups are written: a usage record is complete ("posted") iff the batch document of its
 * `batchRef` is done. Records themselves are immutable after their create.
 */
import type { Container } from "@azure/cosmos";
import { createDoc, queryAll, readDoc, replaceIfMatch } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";

export interface BatchDoc {
  id: string;
  tenantId: string;
  type: "batch";
  ref: string;
  state: "open" | "done";
  openedAt: string;
  /** Pool documents the batch claims minutes from: recovery settles them even if no record of that pool was created. */
  pools: string[];
  /** What the caller called the batch (Idempotency-Key, poller window), for tracing only. */
  batchKey: string | null;
  /**
   * The months (`yyyy-mm`) of its rows' calls: the usage partitions its records can be in, which
   * recovery queries for them. Absent on a batch opened before usage was partitioned by month.
   */
  months?: string[];
  /** Valid rows of the request that opened it (for tracing). */
  rows: number;
  doneAt?: string;
  /** Records the batch was finished with, and the debit it posted (0: none). */
  memberCount?: number;
  amountMicros?: number;
  _etag?: string;
}

export const batchDocId = (ref: string) => `batch:${ref}`;

const MAX_RACES = 100;

export class UsageBatches {
  constructor(
    private readonly rollups: Container,
    private readonly clock: Clock,
  ) {}

  read(tenantId: string, ref: string): Promise<BatchDoc | undefined> {
    return readDoc<BatchDoc>(this.rollups, tenantId, batchDocId(ref));
  }

  /**
   * Create the batch document "open", or return the one that exists (open or done). An open one
   * that does not list all of `pools` yet gets them added (a peer of the same ref that met other rows
   * than ours), so recovery settles every pool either of us claimed from; `months` likewise, so it
   * finds every record.
   */
  async open(tenantId: string, ref: string, pools: string[], batchKey: string | null, rows: number, months: string[] = []): Promise<BatchDoc> {
    for (let race = 0; race < MAX_RACES; race++) {
      const fresh: BatchDoc = { id: batchDocId(ref), tenantId, type: "batch", ref, state: "open", openedAt: this.clock.now().toISOString(), pools, batchKey, rows, months };
      const made = await createDoc(this.rollups, fresh);
      if (made.created) return made.doc;
      const doc = await this.read(tenantId, ref);
      if (!doc) continue;
      const missing = pools.filter((k) => !doc.pools.includes(k));
      const missingMonths = doc.months ? months.filter((m) => !doc.months!.includes(m)) : [];
      if (doc.state === "done" || missing.length + missingMonths.length === 0) return doc;
      const updated = await replaceIfMatch(
        this.rollups,
        { ...doc, pools: [...doc.pools, ...missing], ...(doc.months ? { months: [...doc.months, ...missingMonths] } : {}) },
        doc._etag ?? "",
      );
      if (updated) return updated;
    }
    throw new Error(`batch ${ref} kept changing while opening`);
  }

  /** Mark the batch done. `known` (as last read or written) saves a read when nobody changed it since. */
  async close(tenantId: string, known: BatchDoc, facts: { memberCount: number; amountMicros: number }): Promise<void> {
    let doc: BatchDoc | undefined = known;
    for (let race = 0; race < MAX_RACES; race++) {
      if (!doc) return; // never deleted; nothing to close
      if (doc.state === "done") return;
      const next: BatchDoc = { ...doc, state: "done", doneAt: this.clock.now().toISOString(), ...facts };
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return;
      doc = await this.read(tenantId, known.ref);
    }
    throw new Error(`batch ${known.ref} kept changing while closing`);
  }

  /** Every tenant's batches left open since before `cutoff` (ISO): the recovery job's sweep. */
  async openEverywhereSince(cutoff: string): Promise<{ tenantId: string; ref: string }[]> {
    return queryAll<{ tenantId: string; ref: string }>(
      this.rollups,
      undefined,
      "SELECT c.tenantId, c.ref FROM c WHERE c.type = 'batch' AND c.state = 'open' AND c.openedAt < @cutoff",
      { "@cutoff": cutoff },
    );
  }

  /** Refs of batches left open since before `cutoff` (ISO). */
  async openSince(tenantId: string, cutoff: string): Promise<string[]> {
    const rows = await queryAll<{ ref: string }>(
      this.rollups,
      tenantId,
      "SELECT c.ref FROM c WHERE c.tenantId = @tenantId AND c.type = 'batch' AND c.state = 'open' AND c.openedAt < @cutoff",
      { "@cutoff": cutoff },
    );
    return rows.map((r) => r.ref);
  }
}
