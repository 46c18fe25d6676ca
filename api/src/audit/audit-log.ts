/** Who changed what, from what to what, and when: one record per money or settings change. */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { createDoc, type Store } from "../store/cosmos.js";
import { monthPartition } from "../store/containers.js";
import type { Clock } from "../shared/clock.js";

export interface Actor {
  /** Entra object id, or a system actor such as "auto-recharge". */
  id: string;
  upn?: string;
}

export interface AuditRecord {
  id: string;
  tenantId: string;
  /** The partition: the tenant's month of `at` (containers.ts: audit is kept forever, so partitioned by month). */
  pk: string;
  actor: Actor;
  action: string;
  before: unknown;
  after: unknown;
  at: string;
}

export class AuditLog {
  private readonly records: Container;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.records = store.containers.audit;
  }

  async record(tenantId: string, actor: Actor, action: string, before: unknown, after: unknown): Promise<void> {
    const at = this.clock.now().toISOString();
    const record: AuditRecord = { id: randomUUID(), tenantId, pk: monthPartition(tenantId, at), actor, action, before, after, at };
    await this.records.items.create(record);
  }

  /**
   * A record with a deterministic id (its cause): written once however often the cause is seen. Its
   * partition is the month of `at`, the cause's own time (not the clock's), so a second write of
   * the same cause, even in a later month, lands in the same partition and conflicts.
   */
  async recordOnce(tenantId: string, id: string, actor: Actor, action: string, at: string, before: unknown, after: unknown): Promise<void> {
    const record: AuditRecord = { id, tenantId, pk: monthPartition(tenantId, at), actor, action, before, after, at };
    await createDoc(this.records, record);
  }
}

export const SYSTEM_ACTORS = {
  autoRecharge: { id: "system:auto-recharge" },
  expiry: { id: "system:expiry" },
  usage: { id: "system:usage-ingest" },
} satisfies Record<string, Actor>;
