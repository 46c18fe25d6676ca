/**
 * Ingesting PSTN call records: rate every call, charge each usage id exactly once, debit the
 * ledger once per batch, keep the calling-plan pools and the daily rollups exact.
 *
 * CRASH SAFETY AND EXACTLY-ONCE — the order of the steps and why:
 *  0. Validate rows; read which ids already exist (point reads). Rows already "posted" are
 *     duplicates. The batch is the new rows plus rows still "rated" by an in-flight or crashed
 *     ingestion of the SAME set (their batchRef equals the ref of that set).
 *     ref = `usage:` + sha256(sorted ids of that set), hex, first 32 chars: the same rows give the
 *     same ref on every instance and every retry.
 *  1. Rate. Pool-funded calls first claim their minutes on the pool document under `ref`
 *     (usage-pools.ts): a second claimant of the same ref gets the same `remainingBefore`, so every
 *     instance rates the batch identically (same charges, same pool use).
 *  2. Create one usage document per new row (id = the Graph usage id, state "rated", batchRef and
 *     ledgerRef = ref). The create is the exactly-once arbiter: a 409 means someone else recorded
 *     that id. If their document carries our ref it is the same batch (a peer or an earlier try):
 *     it belongs to our batch; otherwise it belongs to another batch and is a duplicate here. Once
 *     this step completes, every row of the batch exists, whoever created it.
 *  3. Post ONE `usage` ledger entry, ref = ref, amount = -(sum of the batch's credits charges, read
 *     from the stored documents, so every instance computes the same amount). Ledger refs are
 *     unique: a second post of the ref is a no-op (duplicate).
 *  4. Settle the pool claims (idempotent: a settled claim is gone), add the batch to the day
 *     rollups (idempotent: the ref is recorded in `appliedRefs`), then patch the records to
 *     "posted". "posted" is written last, so a "posted" record implies its batch is complete.
 *  A crash anywhere leaves records "rated" with their batchRef. Re-posting the same rows computes
 *  the same ref and redoes 1–4 (each step idempotent). A different batch that meets "rated"
 *  records of another ref leaves them to their owner while they are fresh, and after
 *  RECOVER_AFTER_MS treats the owner as dead and finishes that batch from the records that exist
 *  (`finishStale`; also `recoverStale` for a job). Pool minutes claimed for rows that were never
 *  created are released when the batch settles (the claim is replaced by the actual minutes).
 *  Residual risks (documented, not handled): an instance stalled for longer than RECOVER_AFTER_MS
 *  between steps 2 and 3 can have its batch finished early from a partial set of records; and a
 *  batch whose every row of some pool was lost to another batch is not settled in that pool by
 *  recovery (a few reserved minutes stay reserved until the month ends).
 */
import { createHash } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { pstnCallLogRowSchema, type ChargedTo, type PstnCallLogRow } from "@cc/common";
import type { Directory, DirectoryUser } from "../directory/directory.js";
import { poolKey, poolMonth, type PoolBucket } from "../domain/rating/plans.js";
import { classifyCall, rateCall, type RatedCall, type RatingUser } from "../domain/rating/rate-call.js";
import type { RateCardEntry } from "../domain/rating/rate-card.js";
import { createDoc, queryAll, readDoc, type Store } from "../store/cosmos.js";
import type { LedgerWriter } from "./ledger-writer.js";
import type { Licenses } from "./licenses.js";
import type { Rates } from "./rates.js";
import type { Clock } from "./clock.js";
import { poolCapacityFor, UsagePools } from "./usage-pools.js";
import { dayDeltas, UsageRollups } from "./usage-rollups.js";

export const MAX_BATCH_ROWS = 1000;
export const RECOVER_AFTER_MS = 5 * 60_000;
export const USAGE_POSTED_BY = "system:usage-ingest";
const IO_CONCURRENCY = 48;

/** One rated call record in the `usage` container; id = the Graph row id. */
export interface RatedCallDoc extends PstnCallLogRow {
  tenantId: string;
  /** The account's currency; Graph's own `currency` is kept in graphCurrency. */
  currency: string;
  graphCurrency: string | null;
  chargeMicros: number;
  wouldChargeMicros: number;
  billedMinutes: number;
  chargedTo: ChargedTo;
  ratedAt: string;
  flags: string[];
  destinationCountry: string;
  perMinuteMicros: number;
  connectionFeeMicros: number;
  poolUse: { bucket: PoolBucket; minutes: number; key: string } | null;
  /** UTC date of startDateTime. */
  day: string;
  /** startDateTime (UTC ISO) + "|" + id: the single sortable field pages are keyed on. */
  sortKey: string;
  /** The batch that recorded it (= the ledger ref of that batch, charged or not). */
  batchRef: string;
  /** The ledger entry that charged it; null when it charged nothing. */
  ledgerRef: string | null;
  /** What the caller called the batch (Idempotency-Key, poller window), for tracing only. */
  batchKey: string | null;
  state: "rated" | "posted";
  postedAt?: string;
  _etag?: string;
}

export interface RejectedRow {
  index: number;
  errors: { path: string; message: string }[];
}

export interface IngestResult {
  /** Rows whose usage record this call created. */
  accepted: number;
  /** Valid rows already recorded (earlier, concurrently, or twice in this batch). */
  duplicates: number;
  /** Of the duplicates: records of an interrupted ingestion that this call finished posting. */
  recovered: number;
  rejected: RejectedRow[];
  /** Sum of the charges of the records this call created. */
  chargedMicros: number;
  balanceMicros: number;
  currency: string;
}

interface Candidate {
  index: number;
  row: PstnCallLogRow;
  user: RatingUser | null;
  rate: RateCardEntry | undefined;
  /** Where the call's pool lives, when a pool funds it. */
  pool: { key: string; month: string; bucket: PoolBucket; country: string } | null;
  sortKey: string;
  existing: RatedCallDoc | undefined;
}

interface RatingContext {
  tenantId: string;
  currency: string;
  tenantCountry: string;
  users: DirectoryUser[];
}

/** Test hook: throw at a step, as a crash would stop the process there. */
export type FailPoint = "after-create" | "after-post" | "after-settle";

export class UsageIngest {
  readonly usage: Container;
  readonly pools: UsagePools;
  readonly rollups: UsageRollups;
  failPoint: FailPoint | undefined;

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly directory: Directory,
    private readonly licenses: Licenses,
    private readonly rates: Rates,
    private readonly clock: Clock,
  ) {
    this.usage = store.containers.usage;
    this.pools = new UsagePools(store.containers.rollups, clock);
    this.rollups = new UsageRollups(store.containers.rollups, clock);
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
    const [users, licensed] = await Promise.all([this.directory.users(tenantId), this.licenses.licensedIds(tenantId)]);
    const ctx: RatingContext = { tenantId, currency: account.currency, tenantCountry: account.region, users };
    const usersById = new Map(users.map((u) => [u.id, u]));

    // 0. Validate and classify; a row rating cannot price is rejected and changes nothing.
    const rejected: RejectedRow[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    const valid: Candidate[] = [];
    rows.forEach((raw, index) => {
      const parsed = pstnCallLogRowSchema.safeParse(raw);
      if (!parsed.success) {
        rejected.push({ index, errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(row)", message: i.message })) });
        return;
      }
      const row = stripSystemFields(parsed.data as PstnCallLogRow);
      if (/[/\\?#]/.test(row.id)) {
        rejected.push({ index, errors: [{ path: "id", message: "must not contain '/', '\\', '?' or '#'" }] });
        return;
      }
      const directoryUser = row.userId ? usersById.get(row.userId) : undefined;
      const user: RatingUser | null = directoryUser
        ? { callingPlan: directoryUser.callingPlan, licensed: licensed.has(directoryUser.id), usageLocation: directoryUser.usageLocation || ctx.tenantCountry }
        : null;
      const rate = this.rates.find(row.calleeNumber);
      const classification = classifyCall({ callType: row.callType, calleeNumber: row.calleeNumber, inventoryType: row.inventoryType, rate, user, tenantCountry: ctx.tenantCountry });
      if (!classification.ok) {
        const message = classification.reason === "unknown_destination" ? `no rate for ${row.calleeNumber || "an empty number"} (unknown_destination)` : `unknown call type ${row.callType} (unknown_call_type)`;
        rejected.push({ index, errors: [{ path: classification.reason === "unknown_destination" ? "calleeNumber" : "callType", message }] });
        return;
      }
      if (seen.has(row.id)) {
        duplicates++;
        return;
      }
      seen.add(row.id);
      let pool: Candidate["pool"] = null;
      if (classification.funding.payer === "pool") {
        const month = poolMonth(row.startDateTime);
        const country = user?.usageLocation || ctx.tenantCountry;
        const bucket = classification.funding.bucket;
        pool = { key: poolKey({ tenantId, month, bucket, country }), month, bucket, country };
      }
      const sortKey = `${new Date(row.startDateTime).toISOString()}|${row.id}`;
      valid.push({ index, row, user, rate, pool, sortKey, existing: undefined });
    });

    // Which ids exist already, and in what state.
    await mapLimit(valid, IO_CONCURRENCY, async (c) => {
      c.existing = await readDoc<RatedCallDoc>(this.usage, tenantId, c.row.id);
    });
    const absent = valid.filter((c) => !c.existing);
    const rated = valid.filter((c) => c.existing?.state === "rated");
    duplicates += valid.filter((c) => c.existing?.state === "posted").length;

    let batch: Candidate[] = absent;
    let recovered = 0;
    const wholeRef = batchRefOf([...absent, ...rated].map((c) => c.row.id));
    if (rated.length > 0 && rated.every((c) => c.existing!.batchRef === wholeRef)) {
      // The same set again: finish it under the same ref (a crashed try, or a peer still working).
      batch = [...absent, ...rated];
      recovered = rated.length;
    } else {
      // Rated records of other batches: theirs while fresh, ours to finish once their owner is presumed dead.
      const cutoff = new Date(this.clock.now().getTime() - RECOVER_AFTER_MS).toISOString();
      const staleRefs = new Set(rated.filter((c) => c.existing!.ratedAt < cutoff).map((c) => c.existing!.batchRef));
      for (const ref of staleRefs) await this.finishStale(tenantId, ref);
      recovered = rated.filter((c) => staleRefs.has(c.existing!.batchRef)).length;
      duplicates += rated.length;
    }

    let chargedMicros = 0;
    let accepted = 0;
    if (batch.length > 0) {
      const ref = batchRefOf(batch.map((c) => c.row.id));
      const outcome = await this.runBatch(ctx, ref, batch, batchKey ?? null);
      accepted = outcome.created.length;
      chargedMicros = sum(outcome.created.map((d) => d.chargeMicros));
      // Rows of the batch recorded by a peer or an earlier try are duplicates from this call's view.
      duplicates += batch.length - accepted;
    }
    const balanceMicros = (await this.ledger.current(tenantId)).head.balanceMicros;
    return { accepted, duplicates, recovered, rejected: rejected.sort((a, b) => a.index - b.index), chargedMicros, balanceMicros, currency: account.currency };
  }

  /** Steps 1–4 for one batch (see the top of this file). */
  private async runBatch(ctx: RatingContext, ref: string, batch: Candidate[], batchKey: string | null): Promise<{ created: RatedCallDoc[] }> {
    const { tenantId } = ctx;
    const ordered = [...batch].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const toCreate = ordered.filter((c) => !c.existing);
    const ratedAt = this.clock.now().toISOString();

    // 1. Rate: pools first (claimed under the ref), then every call.
    const ratings = new Map<Candidate, RatedCall>();
    const byPool = new Map<string, Candidate[]>();
    for (const c of ordered) {
      if (c.pool) byPool.set(c.pool.key, [...(byPool.get(c.pool.key) ?? []), c]);
      else ratings.set(c, this.rate(ctx, c, 0));
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
            const rating = this.rate(ctx, c, remaining);
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

    // 2. Record each new row once.
    const docs = toCreate.map((c) => this.toDoc(ctx, c, ratings.get(c)!, ref, batchKey, ratedAt));
    const created: RatedCallDoc[] = [];
    const peers: RatedCallDoc[] = [];
    await mapLimit(docs, IO_CONCURRENCY, async (doc) => {
      const result = await createDoc(this.usage, doc);
      if (result.created) return void created.push(doc);
      const theirs = await readDoc<RatedCallDoc>(this.usage, tenantId, doc.id);
      if (theirs?.batchRef === ref) peers.push(theirs);
    });
    if (this.failPoint === "after-create") throw new Error("fail point: after-create");

    const members = [...batch.filter((c) => c.existing).map((c) => c.existing!), ...created, ...peers];
    const claimedPools = [...byPool.entries()].filter(([, group]) => group.some((c) => !c.existing)).map(([key]) => key);
    await this.finish(tenantId, ref, members, claimedPools);
    return { created };
  }

  /** Steps 3–4: ledger, pools, rollups, then "posted". Every step is idempotent under `ref`. */
  private async finish(tenantId: string, ref: string, members: RatedCallDoc[], claimedPools: string[] = []): Promise<void> {
    const amount = sum(members.map((d) => d.chargeMicros));
    if (amount > 0) {
      await this.ledger.post(tenantId, () => ({ kind: "usage", amountMicros: -amount, ref, postedBy: USAGE_POSTED_BY }));
    }
    if (this.failPoint === "after-post") throw new Error("fail point: after-post");

    const poolMinutes = new Map<string, number>(claimedPools.map((k) => [k, 0]));
    for (const d of members) if (d.poolUse) poolMinutes.set(d.poolUse.key, (poolMinutes.get(d.poolUse.key) ?? 0) + d.poolUse.minutes);
    await Promise.all([
      ...[...poolMinutes].map(([key, minutes]) => this.pools.settle(tenantId, key, ref, minutes)),
      this.rollups.apply(tenantId, ref, dayDeltas(members, (code) => this.rates.countryName(code))),
    ]);
    if (this.failPoint === "after-settle") throw new Error("fail point: after-settle");

    const postedAt = this.clock.now().toISOString();
    await mapLimit(members.filter((d) => d.state !== "posted"), IO_CONCURRENCY, async (d) => {
      await this.usage.item(d.id, tenantId).patch([
        { op: "set", path: "/state", value: "posted" },
        { op: "set", path: "/postedAt", value: postedAt },
      ]);
    });
  }

  /** Finish a batch whose owner is presumed dead, from the records of it that exist. */
  async finishStale(tenantId: string, ref: string): Promise<number> {
    const members = await queryAll<RatedCallDoc>(this.usage, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.batchRef = @ref", { "@ref": ref });
    if (!members.some((d) => d.state === "rated")) return 0;
    await this.finish(tenantId, ref, members);
    return members.length;
  }

  /** For a job: finish every batch left "rated" for longer than RECOVER_AFTER_MS. */
  async recoverStale(tenantId: string): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RECOVER_AFTER_MS).toISOString();
    const stale = await queryAll<{ batchRef: string }>(this.usage, tenantId, "SELECT c.batchRef FROM c WHERE c.tenantId = @tenantId AND c.state = 'rated' AND c.ratedAt < @cutoff", { "@cutoff": cutoff });
    let finished = 0;
    for (const ref of new Set(stale.map((s) => s.batchRef))) finished += await this.finishStale(tenantId, ref);
    return finished;
  }

  private rate(ctx: RatingContext, c: Candidate, poolRemaining: number): RatedCall {
    const decision = rateCall({
      record: c.row,
      user: c.user,
      rate: c.rate,
      tenantCountry: ctx.tenantCountry,
      poolRemainingMinutes: { domestic: poolRemaining, international: poolRemaining },
    });
    // Classification passed before, and rating classifies the same way.
    if (!decision.ok) throw new Error(`row ${c.row.id} could not be rated: ${decision.reason}`);
    return decision;
  }

  private toDoc(ctx: RatingContext, c: Candidate, r: RatedCall, ref: string, batchKey: string | null, ratedAt: string): RatedCallDoc {
    return {
      ...c.row,
      tenantId: ctx.tenantId,
      currency: ctx.currency,
      graphCurrency: c.row.currency ?? null,
      chargeMicros: r.chargeMicros,
      wouldChargeMicros: r.wouldChargeMicros,
      billedMinutes: r.billedMinutes,
      chargedTo: r.chargedTo,
      ratedAt,
      flags: r.flags,
      destinationCountry: r.destinationCountry,
      perMinuteMicros: r.perMinuteMicros,
      connectionFeeMicros: r.connectionFeeMicros,
      poolUse: r.poolUse && c.pool ? { bucket: r.poolUse.bucket, minutes: r.poolUse.minutes, key: c.pool.key } : null,
      day: c.sortKey.slice(0, 10),
      sortKey: c.sortKey,
      batchRef: ref,
      ledgerRef: r.chargeMicros > 0 ? ref : null,
      batchKey,
      state: "rated",
    };
  }
}

/** `usage:` + the first 32 hex chars of sha256 of the sorted ids. */
export function batchRefOf(ids: readonly string[]): string {
  const hash = createHash("sha256").update([...ids].sort().join("\n")).digest("hex");
  return `usage:${hash.slice(0, 32)}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Drop anything that looks like a store system property a client sent along (looseObject keeps extras). */
function stripSystemFields<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith("_"))) as T;
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
