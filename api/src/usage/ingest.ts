/**
 * Ingesting PSTN call records: rate every call, charge each usage id exactly once, debit the
 * ledger once per batch, keep the calling-plan pools and the daily rollups exact.
 *
 * CRASH SAFETY AND EXACTLY-ONCE — the order of the steps and why. A batch is named by its ref, which
 * is also its ledger ref, its pool-claim key, its rollup `appliedRefs` entry and the id of its
 * batch document (`batch:<ref>` in `rollups`, batches.ts). Usage records are written once
 * (create) and never changed; a record is complete ("posted") iff its batch document is "done".
 *  0. Validate and classify the rows (licenses: a point read per distinct user of the request).
 *     ref = `usage:` + sha256(sorted ids of ALL valid rows of the request), hex, first 32 chars: the
 *     same request gives the same ref on every instance and every retry, whatever exists already.
 *     Rows a calling-plan pool funds are point-read first, because which of them are new changes
 *     how the pool's minutes are shared out: one recorded by another batch is not ours; one recorded
 *     under our ref is a member already (an earlier try or a peer). Other rows are not read: their
 *     rating does not depend on it, and the create in step 3 tells whether they exist.
 *  1. Open the batch: create its batch document ("open", openedAt, the pool documents it claims
 *     from) BEFORE any record naming the ref can exist, so every record's batchRef names a batch
 *     document and recovery finds every unfinished batch by querying batch documents. 409: it
 *     exists (a peer, or an earlier try of the same request):
 *       - open and fresh (openedAt within RECOVER_AFTER_MS): join it, go on with steps 2–6 under the
 *         same ref (a peer of the same ref adds any pool it claims from that is not listed yet);
 *       - open and stale: its owner is presumed dead; finish it from the records it has (finishStale)
 *         and treat it as done;
 *       - done: never write under that ref again (its debit is posted). Point-read the rows: the
 *         recorded ones are duplicates; the rest (rows a crashed owner never created) are ingested
 *         under the successor ref sha256(ref + their ids), from step 1 again (same rows seen by any
 *         instance → same successor).
 *  2. Rate. Pool-funded calls first claim their minutes on the pool document under `ref`
 *     (pools.ts): a second claimant of the same ref gets the same `remainingBefore`, so every
 *     instance rates the batch identically (same charges, same pool use).
 *  3. Create one usage record per row that may be new (id = the Graph usage id, batchRef and
 *     ledgerRef = ref). The create is the exactly-once arbiter; 409 → read the record: our ref → a
 *     member recorded by a peer or an earlier try; another ref → a duplicate, and that batch's
 *     document is read (once per ref per call): done or fresh → left to its owner; open and stale
 *     → this call finishes it (finishStale). Once this step completes every row of the batch exists,
 *     whoever created it.
 *  4. Post ONE `usage` ledger entry, ref = ref, amount = -(sum of the members' credits charges as
 *     stored, so every instance computes the same amount). Ledger refs are unique: a second post of
 *     the ref is a no-op (duplicate).
 *  5. Settle the pool claims of every pool the batch document lists or a member used (idempotent: a
 *     settled claim is gone; the claim is replaced by the minutes the members took, so minutes
 *     claimed for rows another batch recorded are released) and add the members to the day rollups
 *     (idempotent: the ref is recorded in `appliedRefs`).
 *  6. Replace the batch document to "done" (If-Match; already done → nothing to do). Written last,
 *     so "done" implies 4 and 5 happened.
 *  A crash anywhere leaves the batch document open. Re-posting the same rows computes the same ref
 *  and joins it (fresh) or finishes it and records what is missing under the successor (stale);
 *  each step is idempotent under the ref. Another batch meeting one of its records finishes it once
 *  stale, and `recoverStale` (for a job) finishes every batch open for longer than RECOVER_AFTER_MS,
 *  pools included (even one that lost every row of a pool: the pool is listed in the batch document).
 *  The creates of step 3 (and the reads of pool-funded rows) go through the bulk API, 100 per
 *  request: not a transaction, each create still succeeds or answers 409 on its own, so nothing above
 *  depends on it; an operation answering anything else is retried as a point create (cosmos.ts).
 *  Cost of a batch of n new rows with no pool: n creates (n/100 requests) + 2 batch-document writes
 *  + one license read per distinct user + the ledger post + one read and one write per day rollup.
 *  Residual risk (documented, not handled): a batch is finished from the records that exist when it
 *  is RECOVER_AFTER_MS old; an instance that stalls that long inside step 3 (or joined it fresh just
 *  before that boundary and is still creating) can record rows after that, and those records are
 *  neither debited nor rolled up (the batch document's memberCount/amountMicros show what was).
 */
import type { Container } from "@azure/cosmos";
import type { Directory } from "../directory/directory.js";
import type { RatedCall } from "./rating/rate-call.js";
import { bulkCreate, bulkRead, queryMonths, type Store } from "../store/cosmos.js";
import { DEFAULT_USAGE_RETENTION_DAYS, monthPartition, monthsBetween } from "../store/containers.js";
import type { LedgerWriter, PostResult } from "../ledger/ledger-writer.js";
import type { Licenses } from "../licenses/licenses.js";
import type { Clock } from "../shared/clock.js";
import type { Rates } from "./rates.js";
import { UsageBatches, type BatchDoc } from "./batches.js";
import { poolCapacityFor, UsagePools } from "./pools.js";
import { dayDeltas, UsageRollups } from "./rollups.js";
import { classifyRows, parseRows } from "./classify.js";
import { batchRefOf, rateCandidate, ratedCallDoc, sumMicros, type Candidate, type IngestResult, type RatedCallDoc, type RatingContext } from "./rated-call.js";

export const MAX_BATCH_ROWS = 1000;
export const RECOVER_AFTER_MS = 5 * 60_000;
export const USAGE_POSTED_BY = "system:usage-ingest";

/** What became of rows recorded by other batches, per ref, within one call. */
type ForeignOutcome = "left" | "recovered";

/** Test hook: throw at a step, as a crash would stop the process there. */
export type FailPoint = "after-create" | "after-post" | "after-settle";

export class UsageIngest {
  readonly usage: Container;
  readonly pools: UsagePools;
  readonly rollups: UsageRollups;
  readonly batches: UsageBatches;
  failPoint: FailPoint | undefined;

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly directory: Directory,
    private readonly licenses: Licenses,
    private readonly rates: Rates,
    private readonly clock: Clock,
    /** The day rollups, shared with the guard and the forecasts that read them. */
    rollups: UsageRollups = new UsageRollups(store.containers.rollups, clock),
    /** Other tallies kept per batch, applied once per ref like the rollups (spend by department, departments.ts). */
    private readonly onSettle?: (tenantId: string, ref: string, members: readonly RatedCallDoc[]) => Promise<void>,
  ) {
    this.usage = store.containers.usage;
    this.pools = new UsagePools(store.containers.rollups, clock);
    this.rollups = rollups;
    this.batches = new UsageBatches(store.containers.rollups, clock);
  }

  /**
   * Rate and charge a batch of Graph pstnCallLogRow rows for one tenant. Used by
   * POST /api/v1/usage/records and the Graph poller. Bad rows are rejected with their index and
   * reasons; good rows land. Safe to call again with the same rows (after a crash or a timeout)
   * and concurrently on several instances: each usage id is charged once.
   */
  async ingest(tenantId: string, rows: unknown[], batchKey?: string): Promise<IngestResult> {
    const account = await this.ledger.readAccount(tenantId);
    this.rates.requireCurrency(account.currency);
    const users = await this.directory.users(tenantId);
    const ctx: RatingContext = { tenantId, currency: account.currency, tenantCountry: account.region, users };
    const usersById = new Map(users.map((u) => [u.id, u]));

    const { parsed, rejected } = parseRows(rows, { usersById, currency: account.currency, now: this.clock.now() });
    const licensed = await this.licenses.licensedAmong(
      tenantId,
      parsed.flatMap((p) => (p.directoryUser ? [p.directoryUser.id] : [])),
    );
    const classified = classifyRows(ctx, parsed, licensed, (number) => this.rates.find(number));
    rejected.push(...classified.rejected);
    const { valid } = classified;
    let duplicates = classified.duplicates;

    const outcome = await this.record(ctx, valid, batchKey ?? null);
    duplicates += valid.length - outcome.created.length;
    const balanceMicros = outcome.posted?.account.head.balanceMicros ?? (await this.ledger.current(tenantId)).head.balanceMicros;
    return {
      accepted: outcome.created.length,
      duplicates,
      recovered: outcome.recovered,
      rejected: rejected.sort((a, b) => a.index - b.index),
      chargedMicros: sumMicros(outcome.created.map((d) => d.chargeMicros)),
      balanceMicros,
      currency: account.currency,
    };
  }

  /** Steps 0 (reads) to 6 for the valid rows of a request; see the top of this file. */
  private async record(ctx: RatingContext, valid: Candidate[], batchKey: string | null): Promise<{ created: RatedCallDoc[]; recovered: number; posted: PostResult | undefined }> {
    const { tenantId } = ctx;
    const foreign = new Map<string, Promise<ForeignOutcome>>();
    let recovered = 0;
    let candidates = valid;
    let ref = batchRefOf(candidates.map((c) => c.row.id));
    for (let generation = 0; candidates.length > 0; generation++) {
      if (generation > 50) throw new Error(`usage batch ${ref} keeps being finished by others`);
      // Pool-funded rows: read which exist (their rating depends on it).
      await this.readExisting(
        tenantId,
        candidates.filter((c) => c.pool && !c.read),
      );
      const theirs = candidates.filter((c) => c.existing && c.existing.batchRef !== ref);
      recovered += await this.settleForeign(
        tenantId,
        theirs.map((c) => c.existing!),
        foreign,
      );
      const ours = candidates.filter((c) => !c.existing || c.existing.batchRef === ref);
      if (ours.length === 0) break;
      const claimPools = [...new Set(ours.filter((c) => c.pool && !c.existing).map((c) => c.pool!.key))];

      // 1. Open (or join) the batch.
      const batch = await this.batches.open(tenantId, ref, claimPools, batchKey, candidates.length, [...new Set(candidates.map((c) => c.sortKey.slice(0, 7)))].sort());
      if (batch.state === "open" && batch.openedAt >= this.cutoff()) {
        const outcome = await this.runBatch(ctx, ref, batch, ours, batchKey, foreign);
        return { created: outcome.created, recovered: recovered + outcome.recovered, posted: outcome.posted };
      }
      // Stale: its owner is presumed dead; finish it from the records it has. Then (or if it was
      // done already) nothing more is written under this ref: what is missing goes under a successor.
      if (batch.state === "open") await this.finishBatch(tenantId, batch);
      await this.readExisting(
        tenantId,
        ours.filter((c) => !c.read),
      );
      recovered += batch.state === "open" ? ours.filter((c) => c.existing?.batchRef === ref).length : 0;
      recovered += await this.settleForeign(
        tenantId,
        ours.filter((c) => c.existing && c.existing.batchRef !== ref).map((c) => c.existing!),
        foreign,
      );
      candidates = ours.filter((c) => !c.existing);
      ref = batchRefOf([ref, ...candidates.map((c) => c.row.id)]);
    }
    return { created: [], recovered, posted: undefined };
  }

  /** Steps 2–6 for one open batch (see the top of this file). `batch` lists only candidates that are new or ours. */
  private async runBatch(
    ctx: RatingContext,
    ref: string,
    batchDoc: BatchDoc,
    batch: Candidate[],
    batchKey: string | null,
    foreign: Map<string, Promise<ForeignOutcome>>,
  ): Promise<{ created: RatedCallDoc[]; recovered: number; posted: PostResult | undefined }> {
    const { tenantId } = ctx;
    const ordered = [...batch].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const toCreate = ordered.filter((c) => !c.existing);
    const ratedAt = this.clock.now().toISOString();

    // 2. Rate: pools first (claimed under the ref), then every call.
    const ratings = new Map<Candidate, RatedCall>();
    const byPool = new Map<string, Candidate[]>();
    for (const c of ordered) {
      if (c.pool) byPool.set(c.pool.key, [...(byPool.get(c.pool.key) ?? []), c]);
      else ratings.set(c, rateCandidate(ctx, c, 0));
    }
    await Promise.all(
      [...byPool.values()].map(async (group) => {
        if (!group.some((c) => !c.existing)) return; // nothing new to rate in this pool
        const { key, month, bucket, country } = group[0].pool!;
        const capacity = poolCapacityFor(ctx.users, bucket, country, ctx.tenantCountry);
        const allocate = (remainingBefore: number) => {
          let remaining = remainingBefore;
          let taken = 0;
          for (const c of group) {
            const rating = rateCandidate(ctx, c, remaining);
            ratings.set(c, rating);
            const minutes = rating.poolUse?.minutes ?? 0;
            remaining -= minutes;
            taken += minutes;
          }
          return taken;
        };
        const remainingBefore = await this.pools.claim(tenantId, key, { month, bucket, country }, capacity, ref, allocate);
        allocate(remainingBefore); // the ratings from the claim's starting point (a peer's, if it claimed first)
      }),
    );

    // 3. Record each new row once.
    const docs = toCreate.map((c) => ratedCallDoc(ctx, c, ratings.get(c)!, ref, batchKey, ratedAt));
    const created: RatedCallDoc[] = [];
    const peers: RatedCallDoc[] = [];
    const others: RatedCallDoc[] = [];
    const made = await bulkCreate(this.usage, docs);
    const taken = docs.filter((_, i) => !made[i]);
    created.push(...docs.filter((_, i) => made[i]));
    const takenPartition = new Map(taken.map((d) => [d.id, d.pk]));
    const existing = await bulkRead<RatedCallDoc>(
      this.usage,
      (id) => takenPartition.get(id)!,
      taken.map((d) => d.id),
    );
    existing.forEach((theirs, i) => {
      if (!theirs) throw new Error(`usage record ${taken[i].id} conflicted but cannot be read`);
      (theirs.batchRef === ref ? peers : others).push(theirs);
    });
    if (this.failPoint === "after-create") throw new Error("fail point: after-create");
    const recovered = batch.filter((c) => c.existing).length + peers.length + (await this.settleForeign(tenantId, others, foreign));

    // 4–6.
    const members = [...batch.filter((c) => c.existing).map((c) => c.existing!), ...created, ...peers];
    const posted = await this.finish(tenantId, batchDoc, members);
    return { created, recovered, posted };
  }

  /**
   * Rows recorded by other batches are duplicates here. Their batch is left to its owner while it
   * is fresh (or done); once stale, this call finishes it. Returns how many of `records` belong to
   * batches this call finished. Each ref is looked at once per call (`seen`).
   */
  private async settleForeign(tenantId: string, records: RatedCallDoc[], seen: Map<string, Promise<ForeignOutcome>>): Promise<number> {
    if (records.length === 0) return 0;
    const cutoff = this.cutoff();
    const outcomeOf = (ref: string) => {
      let outcome = seen.get(ref);
      if (!outcome) {
        outcome = (async (): Promise<ForeignOutcome> => {
          const batch = await this.batches.read(tenantId, ref);
          if (!batch || batch.state === "done" || batch.openedAt >= cutoff) return "left";
          await this.finishBatch(tenantId, batch);
          return "recovered";
        })();
        seen.set(ref, outcome);
      }
      return outcome;
    };
    const outcomes = await Promise.all(records.map((r) => outcomeOf(r.batchRef)));
    return outcomes.filter((o) => o === "recovered").length;
  }

  /** Steps 4–6: ledger, pools and rollups, then the batch document "done". Every step is idempotent under the ref. */
  private async finish(tenantId: string, batch: BatchDoc, members: RatedCallDoc[]): Promise<PostResult | undefined> {
    const { ref } = batch;
    const amount = sumMicros(members.map((d) => d.chargeMicros));
    let posted: PostResult | undefined;
    if (amount > 0) {
      posted = await this.ledger.post(tenantId, () => ({ kind: "usage", amountMicros: -amount, ref, postedBy: USAGE_POSTED_BY }));
    }
    if (this.failPoint === "after-post") throw new Error("fail point: after-post");

    const poolMinutes = new Map<string, number>(batch.pools.map((k) => [k, 0]));
    for (const d of members) if (d.poolUse) poolMinutes.set(d.poolUse.key, (poolMinutes.get(d.poolUse.key) ?? 0) + d.poolUse.minutes);
    await Promise.all([
      ...[...poolMinutes].map(([key, minutes]) => this.pools.settle(tenantId, key, ref, minutes)),
      this.homeCountries(tenantId).then((home) =>
        this.rollups.apply(
          tenantId,
          ref,
          dayDeltas(members, (code) => this.rates.countryName(code), home),
        ),
      ),
      ...(this.onSettle ? [this.onSettle(tenantId, ref, members)] : []),
    ]);
    if (this.failPoint === "after-settle") throw new Error("fail point: after-settle");

    await this.batches.close(tenantId, batch, { memberCount: members.length, amountMicros: amount });
    return posted;
  }

  /** The callers' countries for the impact tally: usage location, or the organisation's. */
  private async homeCountries(tenantId: string): Promise<(userId: string) => string> {
    const [account, users] = await Promise.all([this.ledger.readAccount(tenantId), this.directory.users(tenantId)]);
    const home = new Map(users.map((u) => [u.id, u.usageLocation || account.region]));
    return (userId) => home.get(userId) ?? account.region;
  }

  /** Finish an open batch whose owner is presumed dead, from the records of it that exist. */
  private async finishBatch(tenantId: string, batch: BatchDoc): Promise<number> {
    const members = await queryMonths<RatedCallDoc>(this.usage, tenantId, batchMonths(batch), "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.batchRef = @ref", {
      "@ref": batch.ref,
    });
    await this.finish(tenantId, batch, members);
    return members.length;
  }

  /** Finish batch `ref` if it is still open (its owner presumed dead); the number of its records, 0 if there was nothing to do. */
  async finishStale(tenantId: string, ref: string): Promise<number> {
    const batch = await this.batches.read(tenantId, ref);
    if (!batch || batch.state === "done") return 0;
    return this.finishBatch(tenantId, batch);
  }

  /** For a job: finish every batch left open for longer than RECOVER_AFTER_MS. */
  async recoverStale(tenantId: string): Promise<number> {
    let finished = 0;
    for (const ref of await this.batches.openSince(tenantId, this.cutoff())) finished += await this.finishStale(tenantId, ref);
    return finished;
  }

  /** For the background job: finish every tenant's batches left open for longer than RECOVER_AFTER_MS. */
  async recoverStaleEverywhere(): Promise<number> {
    let finished = 0;
    for (const { tenantId, ref } of await this.batches.openEverywhereSince(this.cutoff())) finished += await this.finishStale(tenantId, ref);
    return finished;
  }

  /** Batches opened before this instant are presumed abandoned by their owner. */
  private cutoff(): string {
    return new Date(this.clock.now().getTime() - RECOVER_AFTER_MS).toISOString();
  }

  /** Read the stored record of each candidate (one bulk request per 100). */
  private async readExisting(tenantId: string, candidates: Candidate[]): Promise<void> {
    const partitionOf = new Map(candidates.map((c) => [c.row.id, monthPartition(tenantId, c.sortKey.slice(0, 7))]));
    const found = await bulkRead<RatedCallDoc>(
      this.usage,
      (id) => partitionOf.get(id)!,
      candidates.map((c) => c.row.id),
    );
    candidates.forEach((c, i) => {
      c.existing = found[i];
      c.read = true;
    });
  }

  /** Which of `userIds` hold a license: point reads for a few users, one query of the tenant's licenses for many. */
}

/**
 * The usage partitions a batch's records can be in: the months its rows named, or for a batch
 * opened before usage was partitioned by month, every month a record it wrote could still be kept
 * in (the retention window before its opening, to the month after it: a call starts before it is
 * recorded, up to the clock skew).
 */
function batchMonths(batch: BatchDoc): string[] {
  if (batch.months) return batch.months;
  const opened = Date.parse(batch.openedAt);
  return monthsBetween(new Date(opened - DEFAULT_USAGE_RETENTION_DAYS * 86_400_000).toISOString(), new Date(opened + 86_400_000).toISOString());
}
