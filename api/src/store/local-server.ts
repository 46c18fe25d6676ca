/**
 * The embedded Cosmos-compatible server (@vercel/cosmosdb-server) on 127.0.0.1. Its data lives in
 * memory, so the app snapshots every container to DATA_DIR through the SDK itself and restores it
 * on start.
 */
import { createHttpServer } from "@vercel/cosmosdb-server";
import type { AddressInfo } from "node:net";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "./cosmos.js";
import { CONTAINER_NAMES } from "./containers.js";

export interface LocalCosmos {
  endpoint: string;
  close(): Promise<void>;
}

export async function startLocalCosmos(port = 0): Promise<LocalCosmos> {
  // keepAlive makes the SDK reuse sockets: about four times the throughput on this server.
  const server = createHttpServer({ keepAlive: true });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one just then gets ECONNRESET.
  // Keep them longer than the SDK's agent keeps them idle, so the server is never the one to close.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

const SNAPSHOT_FILE = "cosmos-snapshot.json";
type Snapshot = Record<string, Record<string, unknown>[]>;

export async function saveSnapshot(store: Store, dataDir: string): Promise<number> {
  const snapshot: Snapshot = {};
  let count = 0;
  for (const name of CONTAINER_NAMES) {
    const { resources } = await store.containers[name].items.readAll().fetchAll();
    snapshot[name] = resources.map(({ _rid, _self, _etag, _attachments, _ts, ...doc }) => (void [_rid, _self, _etag, _attachments, _ts], doc));
    count += resources.length;
  }
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, SNAPSHOT_FILE);
  // Write then rename, so a crash mid-write never leaves half a snapshot.
  await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
  await rename(`${file}.tmp`, file);
  return count;
}

export async function restoreSnapshot(store: Store, dataDir: string): Promise<number> {
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(await readFile(join(dataDir, SNAPSHOT_FILE), "utf8")) as Snapshot;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
  let count = 0;
  for (const name of CONTAINER_NAMES) {
    const docs = snapshot[name] ?? [];
    const container = store.containers[name];
    for (let i = 0; i < docs.length; i += 100) {
      await Promise.all(docs.slice(i, i + 100).map((doc) => container.items.upsert(doc)));
    }
    count += docs.length;
  }
  return count;
}
