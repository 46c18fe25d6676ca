/**
 * Issue 21: the embedded store's snapshot is JSON lines streamed from the server's memory, and a
 * start restores it and then replays only the journal tail written after it (restart time is the
 * snapshot plus a bounded tail, not the history). The periodic snapshot waits until the tail is
 * worth it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";
import { bulkCreate, openStore, type Store } from "../../api/src/store/cosmos.js";
import { monthPartition } from "../../api/src/store/containers.js";

const TENANT = "31313131-3131-4131-8131-313131313131";

async function open(dataDir: string): Promise<{ cosmos: LocalCosmos; store: Store; recovered: { documents: number; replayed: number; tornTail: boolean } }> {
  const cosmos = await startLocalCosmos(0, { dataDir });
  const store = await openStore({ endpoint: cosmos.endpoint, database: "snapshot-test", local: true });
  const recovered = await cosmos.journal!.recover(store);
  return { cosmos, store, recovered };
}

const record = (i: number) => ({
  id: `call-${i}`,
  tenantId: TENANT,
  pk: monthPartition(TENANT, "2026-03"),
  sortKey: `2026-03-01T00:00:${String(i % 60).padStart(2, "0")}Z|call-${i}`,
  chargeMicros: i,
  note: "x".repeat(200),
});

describe("snapshot plus journal tail", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-snapshot-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("restores the streamed snapshot and replays only what was written after it", async () => {
    const first = await open(dataDir);
    expect(first.recovered).toMatchObject({ documents: 0, replayed: 0 });
    const usage = first.store.containers.usage;
    expect(
      (
        await bulkCreate(
          usage,
          Array.from({ length: 3_000 }, (_, i) => record(i)),
        )
      ).every(Boolean),
    ).toBe(true);

    // Too little written since the start for a periodic snapshot? No: a quarter of 0 documents. Taken.
    expect(await first.cosmos.journal!.snapshotIfDue(first.store)).toBe(3_000);
    // Right after it nothing is due.
    expect(await first.cosmos.journal!.snapshotIfDue(first.store)).toBe(0);

    const text = await readFile(join(dataDir, "cosmos-snapshot.json"), "utf8");
    const lines = text.trimEnd().split("\n");
    expect(JSON.parse(lines[0])).toMatchObject({ format: 3, database: "snapshot-test" });
    expect(lines).toHaveLength(1 + 3_000);
    expect(JSON.parse(lines[1])).toMatchObject({ c: "usage", d: { tenantId: TENANT } });
    expect(lines[1]).not.toContain("_etag");

    // The tail: 10 new records, one replaced, one deleted. A few writes are not due for a snapshot.
    await bulkCreate(
      usage,
      Array.from({ length: 10 }, (_, i) => record(5_000 + i)),
    );
    await usage.items.upsert({ ...record(7), chargeMicros: 777 });
    await usage.item("call-8", monthPartition(TENANT, "2026-03")).delete();
    expect(await first.cosmos.journal!.snapshotIfDue(first.store)).toBe(0);
    await first.cosmos.close(); // as a kill: no snapshot on the way out
    await first.store.client.dispose();

    const second = await open(dataDir);
    try {
      expect(second.recovered).toMatchObject({ documents: 3_000, replayed: 12, tornTail: false });
      const { resources } = await second.store.containers.usage.items.readAll().fetchAll();
      expect(resources).toHaveLength(3_000 + 10 - 1);
      const byId = new Map(resources.map((r) => [r.id, r]));
      expect(byId.get("call-7")?.chargeMicros).toBe(777);
      expect(byId.has("call-8")).toBe(false);
      expect(byId.get("call-5009")?.chargeMicros).toBe(5_009);
      // A replayed tail is folded into a new snapshot at once: the next start replays nothing.
    } finally {
      await second.cosmos.close();
      await second.store.client.dispose();
    }
    const third = await open(dataDir);
    try {
      expect(third.recovered).toMatchObject({ documents: 3_009, replayed: 0 });
    } finally {
      await third.cosmos.close();
      await third.store.client.dispose();
    }
  }, 120_000);
});
