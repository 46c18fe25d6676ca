/**
 * A rated call record and the pure rules that make one: the record's shape, the batch ref of a set
 * of usage ids, and rating one candidate row. Values in, values out; ingest.ts does the I/O.
 */
import { createHash } from "node:crypto";
import type { ChargedTo, PstnCallLogRow } from "@cc/common";
import type { DirectoryUser } from "../directory/directory.js";
import type { PoolBucket } from "./rating/plans.js";
import { rateCall, type RatedCall, type RatingUser } from "./rating/rate-call.js";
import type { RateCardEntry } from "./rating/rate-card.js";
import { monthPartition } from "../store/partition-rules.js";

/** One rated call record in the `usage` container; id = the Graph row id. Immutable once created. */
export interface RatedCallDoc extends PstnCallLogRow {
  tenantId: string;
  /** The partition: `<tenantId>|<yyyy-mm>` of `day`, the UTC month of the call's start (containers.ts: monthPartition). */
  pk: string;
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
  /** The batch that recorded it (= the ledger ref of that batch, charged or not); its batch document says whether it is posted. */
  batchRef: string;
  /** The ledger entry that charged it; null when it charged nothing. */
  ledgerRef: string | null;
  /** What the caller called the batch (Idempotency-Key, poller window), for tracing only. */
  batchKey: string | null;
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

export interface Candidate {
  index: number;
  row: PstnCallLogRow;
  user: RatingUser | null;
  rate: RateCardEntry | undefined;
  /** Where the call's pool lives, when a pool funds it. */
  pool: { key: string; month: string; bucket: PoolBucket; country: string } | null;
  sortKey: string;
  /** The stored record, once read (pool-funded rows are read before rating; others only on a 409). */
  existing: RatedCallDoc | undefined;
  /** Whether `existing` reflects a read (false: not read, the create decides). */
  read: boolean;
}

export interface RatingContext {
  tenantId: string;
  currency: string;
  tenantCountry: string;
  users: DirectoryUser[];
}

/** `usage:` + the first 32 hex chars of sha256 of the sorted ids. */
export function batchRefOf(ids: readonly string[]): string {
  const hash = createHash("sha256")
    .update([...ids].sort().join("\n"))
    .digest("hex");
  return `usage:${hash.slice(0, 32)}`;
}

export function sumMicros(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Rate one candidate with `poolRemaining` minutes left in its pool. */
export function rateCandidate(ctx: RatingContext, c: Candidate, poolRemaining: number): RatedCall {
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

export function ratedCallDoc(ctx: RatingContext, c: Candidate, r: RatedCall, ref: string, batchKey: string | null, ratedAt: string): RatedCallDoc {
  return {
    ...c.row,
    tenantId: ctx.tenantId,
    pk: monthPartition(ctx.tenantId, c.sortKey.slice(0, 10)),
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
  };
}
