/**
 * Calling-plan minute pools: one document per tenant, month, bucket and country in `rollups`,
 * id = poolKey(...) = `pool:<tenantId>:<YYYY-MM>:<bucket>:<country>`. A new month is a new key, so
 * pools reset on the 1st (UTC) by construction.
 *
 * Consumption is exact across instances: every change is read → decide → replace If-Match (ETag),
 * retried on 412. A batch does not add minutes blindly; it *claims* them under its ref:
 *   claims[ref] = { remainingBefore, minutes }   and   usedMinutes += minutes
 * A second writer of the same ref (the same batch re-posted, or posted concurrently on another
 * instance) finds the claim and rates from the same `remainingBefore`, so both rate the batch
 * identically and the minutes are counted once. When the batch is finished, `settle` replaces the
 * claim by the minutes its records actually took (records lost to another batch are released),
 * deletes the claim and remembers the ref in a short `settled` list (so a peer that read the batch
 * just before it was settled neither reserves it again nor rates it differently); settling a ref
 * that has no claim is a no-op, so settle is idempotent too.
 * `usedMinutes` therefore always = minutes of finished batches + minutes claimed by batches in flight.
 */
import type { Container } from "@azure/cosmos";
import type { DirectoryUser } from "../directory/directory.js";
import { plansFeeding, poolCapacityMinutes, type PoolBucket } from "./rating/plans.js";
import { createDoc, readDoc, replaceIfMatch } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";

export interface PoolClaim {
  remainingBefore: number;
  minutes: number;
  at: string;
}

export interface PoolDoc {
  id: string;
  tenantId: string;
  type: "pool";
  month: string;
  bucket: PoolBucket;
  country: string;
  /** Capacity when last claimed from (users on a feeding plan × minutes per user). */
  capacityMinutes: number;
  /** Finished batches' minutes plus minutes claimed by batches in flight. */
  usedMinutes: number;
  /** Batches in flight: ref → what they reserved. Emptied as batches finish. */
  claims: Record<string, PoolClaim>;
  /**
   * The most recently settled claims (ref and remainingBefore), newest last, at most
   * SETTLED_KEPT: a peer that read the batch before it was settled still rates it from the same
   * start and does not reserve its minutes a second time.
   */
  settled: { ref: string; remainingBefore: number }[];
  updatedAt: string;
  _etag?: string;
}

const MAX_RACES = 500;
const SETTLED_KEPT = 200;

/** Users whose plan feeds `bucket` and whose usage location (or the tenant's country) is `country`. */
export function poolCapacityFor(users: readonly DirectoryUser[], bucket: PoolBucket, country: string, tenantCountry: string): number {
  const feeding = plansFeeding(bucket);
  const count = users.filter((u) => feeding.includes(u.callingPlan) && (u.usageLocation || tenantCountry) === country).length;
  return poolCapacityMinutes(bucket, country, count);
}

export class UsagePools {
  constructor(
    private readonly rollups: Container,
    private readonly clock: Clock,
  ) {}

  read(tenantId: string, key: string): Promise<PoolDoc | undefined> {
    return readDoc<PoolDoc>(this.rollups, tenantId, key);
  }

  /** Minutes left now: current capacity minus everything used or reserved. */
  async remaining(tenantId: string, key: string, capacityMinutes: number): Promise<number> {
    const doc = await this.read(tenantId, key);
    return Math.max(0, capacityMinutes - (doc?.usedMinutes ?? 0));
  }

  /**
   * Reserve the minutes `allocate(remainingBefore)` says the batch `ref` takes from this pool, once.
   * Returns the `remainingBefore` to rate the batch from (the first claimant's, if it was claimed).
   */
  async claim(
    tenantId: string,
    key: string,
    parts: { month: string; bucket: PoolBucket; country: string },
    capacityMinutes: number,
    ref: string,
    allocate: (remainingBefore: number) => number,
  ): Promise<number> {
    for (let race = 0; race < MAX_RACES; race++) {
      const at = this.clock.now().toISOString();
      const doc = await this.read(tenantId, key);
      if (!doc) {
        const remainingBefore = capacityMinutes;
        const minutes = allocate(remainingBefore);
        const fresh: PoolDoc = {
          id: key,
          tenantId,
          type: "pool",
          ...parts,
          capacityMinutes,
          usedMinutes: minutes,
          claims: { [ref]: { remainingBefore, minutes, at } },
          settled: [],
          updatedAt: at,
        };
        if ((await createDoc(this.rollups, fresh)).created) return remainingBefore;
        continue;
      }
      const existing = doc.claims[ref] ?? (doc.settled ?? []).find((s) => s.ref === ref);
      if (existing) return existing.remainingBefore;
      const remainingBefore = Math.max(0, capacityMinutes - doc.usedMinutes);
      const minutes = allocate(remainingBefore);
      const next: PoolDoc = {
        ...doc,
        capacityMinutes,
        usedMinutes: doc.usedMinutes + minutes,
        claims: { ...doc.claims, [ref]: { remainingBefore, minutes, at } },
        updatedAt: at,
      };
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return remainingBefore;
    }
    throw new Error(`pool ${key} kept changing while claiming`);
  }

  /** Replace the claim of `ref` by the minutes its records took. No claim: already settled (or never made). */
  async settle(tenantId: string, key: string, ref: string, actualMinutes: number): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await this.read(tenantId, key);
      const claim = doc?.claims[ref];
      if (!doc || !claim) return;
      const { [ref]: _settled, ...claims } = doc.claims;
      void _settled;
      const settled = [...(doc.settled ?? []), { ref, remainingBefore: claim.remainingBefore }].slice(-SETTLED_KEPT);
      const next: PoolDoc = { ...doc, usedMinutes: doc.usedMinutes - claim.minutes + actualMinutes, claims, settled, updatedAt: this.clock.now().toISOString() };
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return;
    }
    throw new Error(`pool ${key} kept changing while settling`);
  }
}
