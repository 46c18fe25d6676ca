/** Who changed what, from what to what, and when: one record per money or settings change. */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { createDoc, type Store } from "../store/cosmos.js";
import type { LedgerEntry } from "../ledger/entries.js";
import type { Clock } from "../shared/clock.js";

export interface Actor {
  /** Entra object id, or a system actor such as "auto-recharge". */
  id: string;
  upn?: string;
}

export interface AuditRecord {
  id: string;
  tenantId: string;
  actor: Actor;
  action: string;
  before: unknown;
  after: unknown;
  at: string;
}

export class AuditLog {
  private readonly records: Container;

  constructor(store: Store, private readonly clock: Clock) {
    this.records = store.containers.audit;
  }

  async record(tenantId: string, actor: Actor, action: string, before: unknown, after: unknown): Promise<void> {
    const record: AuditRecord = { id: randomUUID(), tenantId, actor, action, before, after, at: this.clock.now().toISOString() };
    await this.records.items.create(record);
  }

  /**
   * Audit the entries that system jobs post (usage debits, expiries): funding and recharges are
   * audited by their own services with the card charge. The record's id is the entry's, so an
   * entry seen twice (a writer and a roll-forward) is audited once.
   */
  async ledgerEntries(account: { tenantId: string }, entries: readonly LedgerEntry[]): Promise<void> {
    for (const entry of entries) {
      if (entry.kind !== "usage" && entry.kind !== "expiry") continue;
      const record: AuditRecord = {
        id: `ledger:${entry.id}`,
        tenantId: account.tenantId,
        actor: { id: entry.postedBy },
        action: entry.kind === "usage" ? "usage.debited" : "funds.expired",
        before: { balanceMicros: entry.balanceAfterMicros - entry.amountMicros },
        after: { balanceMicros: entry.balanceAfterMicros, amountMicros: entry.amountMicros, ref: entry.ref, entryId: entry.id },
        at: entry.at,
      };
      await createDoc(this.records, record);
    }
  }
}

export const SYSTEM_ACTORS = {
  autoRecharge: { id: "system:auto-recharge" },
  expiry: { id: "system:expiry" },
  usage: { id: "system:usage-ingest" },
} satisfies Record<string, Actor>;
