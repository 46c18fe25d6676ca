/**
 * Reading an account the way the API shows it, creating the demo accounts, and applying expiry:
 * funds expire twelve months after purchase, oldest lot first, by an `expiry` entry for exactly
 * what is left of the lot.
 */
import type { AccountView, LedgerEntryView, LedgerJob, Page } from "@cc/common";
import { accountStatus, newAccount, nextAction, type AccountDoc } from "./account.js";
import { refuse } from "../shared/refusal.js";
import { dueExpiries, type LedgerEntry } from "../ledger/entries.js";
import { createDoc, queryAll, type Store } from "../store/cosmos.js";
import type { Container } from "@azure/cosmos";
import type { LedgerWriter, Stored } from "../ledger/ledger-writer.js";
import type { PaymentMethods } from "../funding/payment-methods.js";
import { toAttemptView } from "../funding/auto-recharge/history.js";
import { autoRechargeView } from "../funding/recharge-rules.js";
import type { Clock } from "../shared/clock.js";
import { knownTimeZone } from "../usage/period-rules.js";

export interface TenantInit {
  tenantId: string;
  currency: string;
  region: string;
  billingCountry: string;
}

export class Accounts {
  private readonly ledgerContainer: Container;
  private readonly accountsContainer: Container;

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly paymentMethods: PaymentMethods,
    private readonly clock: Clock,
  ) {
    this.ledgerContainer = store.containers.ledger;
    this.accountsContainer = store.containers.accounts;
  }

  /** Create the account if the tenant has none (true); an existing one is left as it is (false). */
  async ensure(init: TenantInit): Promise<boolean> {
    return (await createDoc(this.accountsContainer, newAccount({ ...init, at: this.clock.now().toISOString() }))).created;
  }

  async view(tenantId: string): Promise<AccountView> {
    const account = await this.expireDue(tenantId, { recentCheck: true });
    const method = account.paymentMethodId ? await this.paymentMethods.view(tenantId, account.paymentMethodId) : undefined;
    return toAccountView(account, method ?? null, this.clock.now());
  }

  /** Post the expiries due now; how many this call posted. */
  async applyExpiry(tenantId: string): Promise<number> {
    let posted = 0;
    await this.expireDue(tenantId, { onPosted: () => posted++ });
    return posted;
  }

  /**
   * Post the expiries due now and answer the account after them (one read when nothing is due).
   * Their refs are unique, so two instances doing it at once post each once.
   */
  private async expireDue(
    tenantId: string,
    { onPosted = () => undefined, recentCheck = false }: { onPosted?: () => void; recentCheck?: boolean } = {},
  ): Promise<Stored<AccountDoc>> {
    const now = this.clock.now().toISOString();
    let account = await this.ledger.current(tenantId, { recentCheck });
    for (let [due] = dueExpiries(account.head, now); due; [due] = dueExpiries(account.head, now)) {
      const expiring = due;
      const result = await this.ledger.post(tenantId, (current) => dueExpiries(current.head, now).find((d) => d.ref === expiring.ref) ?? expiring);
      if (!result.duplicate) onPosted();
      account = result.account;
    }
    return account;
  }

  /** Expiry job over every account with a lot past its date. */
  async applyExpiryEverywhere(): Promise<number> {
    const now = this.clock.now().toISOString();
    const tenants = await queryAll<{ tenantId: string }>(
      this.accountsContainer,
      undefined,
      "SELECT c.tenantId FROM c WHERE EXISTS(SELECT VALUE l FROM l IN c.head.lots WHERE l.expiresAt <= @now)",
      { "@now": now },
    );
    let posted = 0;
    for (const { tenantId } of tenants) posted += await this.applyExpiry(tenantId);
    return posted;
  }

  /** Newest first, paged by seq (a keyset cursor: stable while entries are appended). */
  async ledgerPage(tenantId: string, limit: number, cursor: string | undefined): Promise<Page<LedgerEntryView>> {
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw refuse.invalid("cursor", "cursor");
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
    const entries = await queryAll<LedgerEntry>(
      this.ledgerContainer,
      tenantId,
      `SELECT TOP ${limit + 1} * FROM c WHERE c.tenantId = @tenantId AND c.seq < @before ORDER BY c.seq DESC`,
      { "@before": before },
    );
    const items = entries.slice(0, limit).map(toEntryView);
    return { items, next: entries.length > limit ? String(items[items.length - 1].seq) : null };
  }
}

export function toAccountView(account: AccountDoc, paymentMethod: AccountView["paymentMethod"], now = new Date()): AccountView {
  return {
    tenantId: account.tenantId,
    currency: account.currency,
    status: accountStatus(account),
    balanceMicros: account.head.balanceMicros,
    autoRecharge: autoRechargeView(account),
    paymentMethod,
    lastRecharge: account.recharge ? toAttemptView(account.recharge) : null,
    billingCountry: account.billingCountry,
    region: account.region,
    nextAction: nextAction(account, paymentMethod, now),
    timeZone: knownTimeZone(account.timeZone),
  };
}

export function toEntryView(entry: LedgerEntry): LedgerEntryView {
  return {
    id: entry.id,
    seq: entry.seq,
    kind: entry.kind,
    amountMicros: entry.amountMicros,
    balanceAfterMicros: entry.balanceAfterMicros,
    currency: entry.currency,
    at: entry.at,
    ref: entry.ref,
    ...postedBy(entry),
  };
}

const JOB_OF: Record<string, LedgerJob> = {
  "auto-recharge": "auto_recharge",
  "usage-ingest": "usage",
  usage: "usage",
  expiry: "expiry",
  "expiry-job": "expiry",
  reconciliation: "reconciliation",
  bench: "bench",
};

/**
 * Who posted an entry: the admin's upn (data), or the system job (an id; its words are the
 * catalog's, in the reader's language: words.ledger.by.<job>).
 */
function postedBy(entry: Pick<LedgerEntry, "postedBy" | "postedByUpn" | "kind">): { by: string; byJob: LedgerJob | null } {
  if (entry.postedByUpn) return { by: entry.postedByUpn, byJob: null };
  const poster = entry.postedBy.replace(/^system:/, "");
  // Older entries without a upn: name the job by the entry's kind rather than show an object id.
  const byKind: Partial<Record<LedgerEntry["kind"], LedgerJob>> = { auto_recharge: "auto_recharge", usage: "usage", expiry: "expiry" };
  const job = JOB_OF[poster] ?? byKind[entry.kind] ?? (entry.postedBy.startsWith("system:") ? "system" : undefined);
  return job ? { by: job, byJob: job } : { by: entry.postedBy, byJob: null };
}
