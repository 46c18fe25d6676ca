/**
 * Retention on the embedded store: what Cosmos DB's time to live expires in Azure (containers.ts:
 * RETENTION_DAYS, the Bicep's defaultTtl), the sweeper deletes here. A document expires its
 * container's TTL after its last write (`_ts`, kept across snapshots and restarts), or after its
 * own `ttl` field when it has one (-1: never), as in Azure. Deletes go through the server, so the
 * journal makes them durable like any other write.
 */
import { mapLimit } from "../../shared/map-limit.js";
import type { Store } from "../../store/cosmos.js";
import { partitionValueOf, retentionSeconds, type RetainedContainer } from "../../store/containers.js";
import type { EmbeddedData } from "./embedded-data.js";

/** Delete every expired document of the retained containers; how many were deleted, by container. */
export async function sweepExpired(store: Store, data: EmbeddedData, usageRetentionDays: number, nowMs = Date.now()): Promise<Partial<Record<RetainedContainer, number>>> {
  const now = Math.floor(nowMs / 1000);
  const swept: Partial<Record<RetainedContainer, number>> = {};
  for (const [name, ttl] of Object.entries(retentionSeconds(usageRetentionDays)) as [RetainedContainer, number][]) {
    const items = data.documents(store.database.id, name);
    if (!items) continue;
    const expired: { id: string; partition: string | undefined }[] = [];
    for (const item of items._data.values()) {
      const doc = item.read();
      const own = typeof doc.ttl === "number" ? doc.ttl : ttl;
      if (own === -1 || typeof doc._ts !== "number") continue;
      if (doc._ts + own <= now) expired.push({ id: String(doc.id), partition: partitionValueOf(name, doc) });
    }
    await mapLimit(expired, 16, async ({ id, partition }) => {
      await store.containers[name]
        .item(id, partition)
        .delete()
        .catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)));
    });
    if (expired.length > 0) swept[name] = expired.length;
  }
  return swept;
}
