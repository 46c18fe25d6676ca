/**
 * Issue 21: the embedded store's retention sweeper deletes what Cosmos DB's TTL would expire —
 * usage and rollups after USAGE_RETENTION_DAYS, idempotency records after 30 days, the outbox after
 * 90 — counted from a document's last write (`_ts`, which a restart keeps), and never the ledger.
 * Its deletes are journaled: they survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";
import { openStore, type Store } from "../../api/src/store/cosmos.js";
import { sweepExpired } from "../../api/src/local/store/retention.js";

const TENANT = "41414141-4141-4141-8141-414141414141";
const DAY = 86_400;

async function open(dataDir: string): Promise<{ cosmos: LocalCosmos; store: Store }> {
  const cosmos = await startLocalCosmos(0, { dataDir });
  const store = await openStore({ endpoint: cosmos.endpoint, database: "retention-test", local: true });
  await cosmos.journal!.recover(store);
  return { cosmos, store };
}

async function ids(store: Store, name: "usage" | "ledger" | "idempotency" | "outbox" | "rollups"): Promise<string[]> {
  const { resources } = await store.containers[name].items.readAll().fetchAll();
  return resources.map((r) => String(r.id)).sort();
}

describe("the retention sweeper", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-retention-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("deletes expired documents only, durably, counting from the last write", async () => {
    const first = await open(dataDir);
    const { store } = first;
    for (const id of ["old", "new", "pinned"])
      await store.containers.usage.items.create({ id, tenantId: TENANT, pk: `${TENANT}|2025-01`, ...(id === "pinned" ? { ttl: -1 } : {}) });
    await store.containers.ledger.items.create({ id: "0000000001", tenantId: TENANT, ref: "funding:1" });
    await store.containers.idempotency.items.create({ id: "key-1", tenantId: TENANT });
    await store.containers.outbox.items.create({ id: "event-1", tenantId: TENANT });
    await store.containers.rollups.items.create({ id: "day:2025-01-01", tenantId: TENANT });

    const now = Date.now();
    const writtenAt = Math.floor(now / 1000);
    // Usage kept 90 days. 20 days later nothing has expired.
    expect(await sweepExpired(store, first.cosmos.data, 90, now + 20 * DAY * 1000)).toEqual({});
    // "new" is written again 50 days later: its clock restarts.
    const items = first.cosmos.data.documents("retention-test", "usage")!;
    for (const item of items._data.values()) if (item.read().id === "new") item.read()._ts = writtenAt + 50 * DAY;
    // A snapshot keeps each document's last write time; the sweep's deletes after it are in the journal only.
    await first.cosmos.journal!.snapshot(store);
    const swept = await sweepExpired(store, first.cosmos.data, 90, now + 100 * DAY * 1000);
    expect(swept).toEqual({ usage: 1, rollups: 1, idempotency: 1, outbox: 1 });
    expect(await ids(store, "usage")).toEqual(["new", "pinned"]);
    expect(await ids(store, "ledger")).toEqual(["0000000001"]);
    await first.cosmos.close(); // as a kill: the journal has the deletes
    await store.client.dispose();

    const second = await open(dataDir);
    try {
      expect(await ids(second.store, "usage")).toEqual(["new", "pinned"]);
      expect(await ids(second.store, "idempotency")).toEqual([]);
      // The restart kept each document's last write time: "new" expires 90 days after its own.
      expect(await sweepExpired(second.store, second.cosmos.data, 90, now + 139 * DAY * 1000)).toEqual({});
      expect(await sweepExpired(second.store, second.cosmos.data, 90, now + 141 * DAY * 1000)).toEqual({ usage: 1 });
      expect(await ids(second.store, "usage")).toEqual(["pinned"]);
    } finally {
      await second.cosmos.close();
      await second.store.client.dispose();
    }
  }, 60_000);
});
