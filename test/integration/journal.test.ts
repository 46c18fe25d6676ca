/**
 * The store journal on its own: the real local server and SDK, writes of every kind racing a
 * snapshot, then a fresh server on the same directory must hold exactly the same documents.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";
import { openStore, type Store } from "../../api/src/store/cosmos.js";
import { CONTAINER_NAMES } from "../../api/src/store/containers.js";

async function open(dataDir: string): Promise<{ cosmos: LocalCosmos; store: Store; recovered: { documents: number; replayed: number; tornTail: boolean } }> {
  const cosmos = await startLocalCosmos(0, { dataDir });
  const store = await openStore({ endpoint: cosmos.endpoint, database: "journal-test", local: true });
  const recovered = await cosmos.journal!.recover(store);
  return { cosmos, store, recovered };
}

async function contents(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of CONTAINER_NAMES) {
    const { resources } = await store.containers[name].items.readAll().fetchAll();
    out[name] = resources
      .map(({ _rid, _self, _etag, _attachments, _ts, ...doc }) => (void [_rid, _self, _etag, _attachments, _ts], doc))
      .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  }
  return out;
}

describe("the store journal", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-journal-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("replays creates, upserts, replaces, patches, deletes and bulk writes made before, during and after a snapshot", async () => {
    const first = await open(dataDir);
    // A container partitioned by tenant that indexes nothing (audit is partitioned by tenant and month now).
    const audit = first.store.containers.state;
    const write = async (i: number) => {
      const tenantId = `t${i % 3}`;
      await audit.items.create({ id: `c${i}`, tenantId, n: i });
      await audit.items.upsert({ id: `u${i % 7}`, tenantId: "t0", n: i });
      await audit.item(`c${i}`, tenantId).replace({ id: `c${i}`, tenantId, n: i, replaced: true });
      await audit.item(`c${i}`, tenantId).patch([{ op: "add", path: "/patched", value: i }]);
      if (i % 4 === 0) await audit.item(`c${i}`, tenantId).delete();
      await audit.items.bulk([
        { operationType: "Create", partitionKey: "t9", resourceBody: { id: `b${i}`, tenantId: "t9", n: i } },
        { operationType: "Read", partitionKey: "t9", id: `b${i}` },
        ...(i % 5 === 0 ? [{ operationType: "Delete" as const, partitionKey: "t9", id: `b${i}` }] : []),
      ]);
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => write(i)));
    // A snapshot while more writes run: they land in both the snapshot and the new journal segment.
    await Promise.all([first.cosmos.journal!.snapshot(first.store), ...Array.from({ length: 40 }, (_, i) => write(40 + i))]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(80 + i)));
    const expected = await contents(first.store);
    expect(expected.state.length).toBeGreaterThan(100);
    first.store.client.dispose();
    await first.cosmos.close(); // no snapshot on the way out: the journal has the rest

    const second = await open(dataDir);
    expect(second.recovered.replayed).toBeGreaterThan(0);
    expect(await contents(second.store)).toEqual(expected);
    second.store.client.dispose();
    await second.cosmos.close();

    // A torn tail after all that: ignored, and the next start is clean again.
    const segments = (await readdir(dataDir)).filter((f) => f.startsWith("cosmos-journal."));
    await appendFile(join(dataDir, segments.sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])).at(-1)!), '{"db":"journal-test","coll":"state","put":{"id":"torn"');
    const third = await open(dataDir);
    expect(third.recovered.tornTail).toBe(true);
    expect(await contents(third.store)).toEqual(expected);
    third.store.client.dispose();
    await third.cosmos.close();
  }, 120_000);
});
