/**
 * Posts ledger entries safely across any number of API instances sharing one store.
 *
 * The commit point of a posting is the create of its ledger entry, whose id is the account's next
 * seq: of two writers racing for one seq, exactly one create succeeds and the other gets 409. A ref
 * (the posting's cause) is a unique key of the ledger, so a cause is posted once however often it
 * is retried. The account document is a cache of the ledger head, guarded by its ETag; whoever finds
 * it behind the ledger rolls it forward with the same pure `applyEntry`. No in-process lock, no
 * batch atomicity (the local store has none).
 */
import type { Container } from "@azure/cosmos";
import { LRUCache } from "lru-cache";
import { applyEntry, entryId, placeEntry, type EntryIntent, type LedgerEntry } from "./entries.js";
import { refuse } from "../shared/refusal.js";
import type { AccountDoc } from "../accounts/account.js";
import { createDoc, queryAll, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";

export type Stored<T> = T & { _etag: string };

export interface PostResult {
  entry: LedgerEntry;
  account: Stored<AccountDoc>;
  /** The ref had been posted already: nothing new was written. */
  duplicate: boolean;
}

/**
 * Told of every committed entry at least once: by the instance that wrote it, by one that rolled the
 * account forward past it, and again when a replay of its cause finds it posted (so effects a crash
 * skipped are made then). It must be idempotent per entry (posting-effects.ts).
 */
export type PostedListener = (account: AccountDoc, entries: LedgerEntry[]) => Promise<void>;

const MAX_RACES = 200;
/** An entry its writer has not rolled the account past after this long belongs to a crashed writer. */
const ORPHANED_AFTER_MS = 30_000;
/** Most postings committed in one group: bounds one request's wait behind others. */
const MAX_GROUP = 100;

interface Posting {
  decide: (account: AccountDoc) => EntryIntent;
  resolve: (result: PostResult | PromiseLike<PostResult>) => void;
  reject: (error: unknown) => void;
}

export class LedgerWriter {
  private readonly accounts: Container;
  private readonly ledger: Container;
  private listener: PostedListener = async () => undefined;
  private readonly pending = new Map<string, Posting[]>();
  private readonly draining = new Set<string>();
  private readonly background = new Set<Promise<void>>();
  /**
   * Account versions (tenant and ETag) this instance found with no entry after their head, and
   * when: `current(…, { recentCheck: true })` trusts such a check for ORPHANED_AFTER_MS. Any
   * acknowledged posting changes the ETag, so only an entry whose writer crashed before moving the
   * account (never acknowledged) can stay unseen, and for that long at most.
   */
  private readonly checkedHeads = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly onBackgroundError: (error: unknown) => void = () => undefined,
  ) {
    this.accounts = store.containers.accounts;
    this.ledger = store.containers.ledger;
  }

  /** The one listener of committed entries (the composition root wires posting-effects.ts). */
  onPosted(listener: PostedListener): void {
    this.listener = listener;
  }

  /**
   * The account, rolled forward to the newest committed entry. With `recentCheck` (what an
   * account's reader uses), a version this instance found complete in the last ORPHANED_AFTER_MS
   * is answered without looking for an entry after its head again: one store read instead of two.
   */
  async current(tenantId: string, { recentCheck = false }: { recentCheck?: boolean } = {}): Promise<Stored<AccountDoc>> {
    for (let race = 0; race < MAX_RACES; race++) {
      const account = await this.readAccount(tenantId);
      const version = `${tenantId}|${account._etag}`;
      const now = this.clock.now().getTime();
      const checkedAt = this.checkedHeads.get(version);
      if (recentCheck && checkedAt !== undefined && now - checkedAt < ORPHANED_AFTER_MS) return account;
      const rolled = await this.rollForward(account);
      if (rolled === account) this.checkedHeads.set(version, now);
      if (rolled) return rolled;
    }
    throw new Error(`account ${tenantId} kept changing while being read`);
  }

  /** Read an account without rolling it forward (cheaper; the head may trail a crashed writer). */
  async readAccount(tenantId: string): Promise<Stored<AccountDoc>> {
    const account = await readDoc<Stored<AccountDoc>>(this.accounts, tenantId, "account");
    if (!account) throw refuse.notFound("The Communications Credits account", "account");
    return account;
  }

  /**
   * Post the intent `decide` makes from the current account. `decide` may refuse (throw); it is
   * called again if another writer got the seq first, so it must be pure.
   *
   * Postings to one account that arrive while another is being written are committed together
   * (group commit): one account read and one account write for the group, one ledger create per
   * entry, in seq order. Creates stay sequential: a gap in the seqs would let another instance slip
   * its entry in between and break the chain of balances.
   */
  post(tenantId: string, decide: (account: AccountDoc) => EntryIntent): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      const waiting = this.pending.get(tenantId) ?? [];
      waiting.push({ decide, resolve, reject });
      this.pending.set(tenantId, waiting);
      if (!this.draining.has(tenantId)) void this.drain(tenantId);
    });
  }

  private async drain(tenantId: string): Promise<void> {
    this.draining.add(tenantId);
    try {
      for (;;) {
        const group = (this.pending.get(tenantId) ?? []).splice(0, MAX_GROUP);
        if (group.length === 0) break;
        try {
          await this.commitGroup(tenantId, group);
        } catch (error) {
          for (const posting of group) posting.reject(error); // no-op for those already settled
        }
      }
    } finally {
      this.draining.delete(tenantId);
      if (this.pending.get(tenantId)?.length === 0) this.pending.delete(tenantId);
      else if (this.pending.has(tenantId)) void this.drain(tenantId);
    }
  }

  private async commitGroup(tenantId: string, group: Posting[]): Promise<void> {
    let queue = group;
    for (let race = 0; queue.length > 0; race++) {
      if (race >= MAX_RACES) throw refuse.conflict("contention", "The account is busy; try again");
      // First try on the account as stored (a crashed writer's entry makes the create 409); catch up after a lost race.
      const account = race === 0 ? await this.readAccount(tenantId) : await this.current(tenantId);
      let head = account.head;
      const committed: { posting: Posting; entry: LedgerEntry }[] = [];
      const duplicates: { posting: Posting; entry: LedgerEntry }[] = [];
      const retry: Posting[] = [];
      for (const posting of queue) {
        if (retry.length > 0) {
          retry.push(posting);
          continue;
        }
        let intent: EntryIntent;
        try {
          intent = posting.decide({ ...account, head });
        } catch (refusal) {
          posting.reject(refusal);
          continue;
        }
        const entry = placeEntry(head, intent, {
          tenantId,
          currency: account.currency,
          at: this.clock.now().toISOString(),
          thresholdMicros: account.autoRecharge.thresholdMicros,
        });
        if ((await createDoc(this.ledger, entry)).created) {
          head = applyEntry(head, entry);
          committed.push({ posting, entry });
          continue;
        }
        // 409: either the seq is taken (another instance won it) or the ref was posted before.
        const atSeq = await readDoc<LedgerEntry>(this.ledger, tenantId, entry.id);
        const already = atSeq ? (atSeq.ref === intent.ref ? atSeq : undefined) : await this.findByRef(tenantId, intent.ref);
        if (already) duplicates.push({ posting, entry: already });
        else retry.push(posting); // lost the seq: catch up and decide again
      }
      if (committed.length > 0) {
        // A stale ETag means someone else rolled the account forward or changed settings; the entries stand.
        const updated = (await replaceIfMatch(this.accounts, { ...account, head }, account._etag)) as Stored<AccountDoc> | undefined;
        const after = updated ?? (await this.current(tenantId));
        // Each posting answers once its effects are made, but the next group need not wait for them.
        const told = this.tell(
          account,
          committed.map((c) => c.entry),
        );
        for (const { posting, entry } of committed) posting.resolve(told.then(() => ({ entry, account: after, duplicate: false })));
      }
      if (duplicates.length > 0) {
        const after = await this.current(tenantId);
        const told = this.tell(
          after,
          duplicates.map((d) => d.entry),
        );
        for (const { posting, entry } of duplicates) posting.resolve(told.then(() => ({ entry, account: after, duplicate: true })));
      }
      queue = retry;
    }
  }

  /** Update settings or recharge state on the newest account, retrying on a stale ETag. */
  async updateAccount(tenantId: string, change: (account: AccountDoc) => AccountDoc | undefined): Promise<Stored<AccountDoc>> {
    for (let race = 0; race < MAX_RACES; race++) {
      const account = await this.current(tenantId);
      const next = change(account);
      if (!next) return account;
      const updated = await replaceIfMatch(this.accounts, next, account._etag);
      if (updated) return updated as Stored<AccountDoc>;
    }
    throw refuse.conflict("contention", "The account is busy; try again");
  }

  async findByRef(tenantId: string, ref: string): Promise<LedgerEntry | undefined> {
    const [entry] = await queryAll<LedgerEntry>(this.ledger, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.ref = @ref", { "@ref": ref });
    return entry;
  }

  /** Apply committed entries the account does not reflect yet. Undefined when the account changed meanwhile. */
  private async rollForward(account: Stored<AccountDoc>): Promise<Stored<AccountDoc> | undefined> {
    const behind: LedgerEntry[] = [];
    let head = account.head;
    for (;;) {
      const next = await readDoc<LedgerEntry>(this.ledger, account.tenantId, entryId(head.seq + 1));
      if (!next) break;
      behind.push(next);
      head = applyEntry(head, next);
    }
    if (behind.length === 0) return account;
    const updated = await replaceIfMatch(this.accounts, { ...account, head }, account._etag);
    if (!updated) return undefined;
    // A live writer tells of its own entries (and a replay of a cause tells again), so only entries
    // old enough that their writer must have crashed are told here, beside the caller.
    const orphaned = behind.filter((e) => Date.parse(e.at) < this.clock.now().getTime() - ORPHANED_AFTER_MS);
    if (orphaned.length > 0) this.tellInBackground(account, orphaned);
    return updated as Stored<AccountDoc>;
  }

  private tellInBackground(account: AccountDoc, entries: LedgerEntry[]): void {
    const told: Promise<void> = this.tell(account, entries)
      .catch(this.onBackgroundError)
      .finally(() => this.background.delete(told));
    this.background.add(told);
  }

  /** Wait until effects told in the background are made (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async tell(account: AccountDoc, entries: LedgerEntry[]): Promise<void> {
    await this.listener(account, entries);
  }
}
