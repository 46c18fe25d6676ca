/**
 * Durability for the embedded stores: a write-ahead journal.
 *
 * The journal's lines go to an `AppendLog` (append-log.ts): group commit, on disk before an append
 * resolves, a torn last line ignored.
 *
 * `journalCosmos` wraps the request listener of the embedded Cosmos-compatible server: when a
 * document write succeeds (create, upsert, replace, patch, delete, bulk/batch), the resulting
 * document (or the deleted id) is journaled and fsynced before the response is released. The
 * journal is cut in numbered segments; a snapshot starts a new segment first, reads every container,
 * then records the first segment it does not contain, so writes made during the snapshot are in
 * both and replaying them is harmless (a record sets a document to its result, or deletes it).
 *
 * At enterprise size (hundreds of thousands of documents, a gigabyte of data): the snapshot is JSON
 * lines (a header line, then one `{"c":container,"d":document}` line per document, with its `_ts`), streamed
 * straight out of the server's in-memory data in 1 MB writes, yielding to requests between them
 * (never one giant string, never through HTTP or the query engine). A start streams it back into
 * that memory line by line and applies the journal tail the same way, so restart time is the
 * snapshot's size plus a bounded tail, not the history. The periodic snapshot (`snapshotIfDue`)
 * runs only once the journal since the last one holds a quarter as many records as that snapshot
 * had documents (and at least one): the tail a start replays stays bounded, and the
 * snapshots written cost a constant factor of the writes, not a full copy every interval.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { open, readFile, readdir, rename, rm, mkdir, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { setImmediate as yieldToRequests } from "node:timers/promises";

import { join } from "node:path";
import { AppendLog, readLog } from "./append-log.js";
import { withoutSystemFields, type Store } from "../../store/cosmos.js";
import { CONTAINER_NAMES, MONTH_PARTITION_KEY_PATH, partitionPathOf, partitionValueOf } from "../../store/containers.js";
import type { EmbeddedData, EmbeddedItems } from "./embedded-data.js";

/** One line of the store's journal: a document as written, or a deletion. */
export type JournalRecord = { db: string; coll: string; put: Record<string, unknown> } | { db: string; coll: string; del: string; pk: unknown };

/** fsync a directory, so a rename or a new file in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const SNAPSHOT_FILE = "cosmos-snapshot.json";
const SEGMENT = /^cosmos-journal\.(\d+)\.log$/;
const segmentName = (n: number) => `cosmos-journal.${n}.log`;

interface SnapshotFile {
  format: 2;
  /** The first journal segment the snapshot does not contain. */
  journalFrom: number;
  containers: Record<string, Record<string, unknown>[]>;
}

/** The first line of a JSON-lines snapshot (format 3); a `{"c":container,"d":document}` line per document follows. */
interface SnapshotHeader {
  format: 3;
  journalFrom: number;
  database: string;
}

/** A periodic snapshot waits for at least this many journal records since the last one (and a quarter of the last snapshot's documents). */
export const SNAPSHOT_MIN_RECORDS = 1;
/** Snapshot writes are gathered into chunks of this many bytes. */
const SNAPSHOT_CHUNK_BYTES = 1 << 20;

const stripSystem = (doc: Record<string, unknown>) => withoutSystemFields(doc) as Record<string, unknown>;

/**
 * A document of a snapshot or journal as this version stores it. Usage and audit records written
 * before those containers were partitioned by tenant and month have no `pk`: they get the one their
 * month gives (containers.ts: partitionValueOf), so data from before the change starts and lands in
 * the right partition (the migration at start; Azure's is a new container and a copy, README).
 */
function migrated(coll: string, doc: Record<string, unknown>): Record<string, unknown> {
  if (partitionPathOf(coll) !== MONTH_PARTITION_KEY_PATH || typeof doc.pk === "string") return doc;
  const pk = partitionValueOf(coll, doc);
  return pk === undefined ? doc : { ...doc, pk };
}

const isTrue = (req: IncomingMessage, name: string) => String(req.headers[name] ?? "").toLowerCase() === "true";
const DOC_PATH = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs(?:\/([^/]+))?\/?$/;

function partitionKeyOf(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? parsed[0] : parsed;
  } catch {
    return raw;
  }
}

interface BatchOp {
  operationType?: string;
  id?: string;
  partitionKey?: string;
}
interface BatchResult {
  statusCode: number;
  resourceBody?: Record<string, unknown>;
}

/**
 * What a finished request wrote, as journal lines, from the request and the response the server is
 * about to send. A written document is journaled as the response's own JSON text (system fields
 * and all, dropped on replay): no parse and no second serialisation on the write path.
 */
export function journalLines(req: IncomingMessage, status: number, body: string | undefined, batchRequest: string | undefined): string[] {
  if (status >= 300) return [];
  const match = DOC_PATH.exec((req.url ?? "").split("?")[0]);
  if (!match) return [];
  const method = req.method ?? "";
  const single =
    match[3] !== undefined
      ? method === "PUT" || method === "PATCH"
      : method === "POST" &&
        !isTrue(req, "x-ms-documentdb-isquery") &&
        req.headers["content-type"] !== "application/query+json" &&
        (isTrue(req, "x-ms-documentdb-is-upsert") || !isTrue(req, "x-ms-cosmos-is-batch-request"));
  if (single && body && body.startsWith("{") && !body.includes("\n")) {
    return [`{"db":${JSON.stringify(decodeURIComponent(match[1]))},"coll":${JSON.stringify(decodeURIComponent(match[2]))},"put":${body}}`];
  }
  return recordsFor(req, status, body, batchRequest).map((r) => JSON.stringify(r));
}

/** What a finished request wrote, from the request and the response the server is about to send. */
export function recordsFor(req: IncomingMessage, status: number, body: string | undefined, batchRequest: string | undefined): JournalRecord[] {
  if (status >= 300) return [];
  const match = DOC_PATH.exec((req.url ?? "").split("?")[0]);
  if (!match) return [];
  const db = decodeURIComponent(match[1]);
  const coll = decodeURIComponent(match[2]);
  const docId = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  const method = req.method ?? "";
  const parse = () => JSON.parse(body ?? "null") as unknown;
  if (docId !== undefined) {
    if (method === "DELETE") return [{ db, coll, del: docId, pk: partitionKeyOf(req.headers["x-ms-documentdb-partitionkey"]) }];
    if (method === "PUT" || method === "PATCH") return [{ db, coll, put: stripSystem(parse() as Record<string, unknown>) }];
    return [];
  }
  if (method !== "POST" || isTrue(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json") return [];
  if (isTrue(req, "x-ms-documentdb-is-upsert") || !isTrue(req, "x-ms-cosmos-is-batch-request")) {
    return [{ db, coll, put: stripSystem(parse() as Record<string, unknown>) }];
  }
  const ops = JSON.parse(batchRequest ?? "[]") as BatchOp[];
  const results = parse() as BatchResult[];
  const out: JournalRecord[] = [];
  results.forEach((result, i) => {
    const op = ops[i] ?? {};
    if (result.statusCode >= 300 || op.operationType === "Read") return;
    if (op.operationType === "Delete") out.push({ db, coll, del: String(op.id), pk: partitionKeyOf(op.partitionKey) });
    else if (result.resourceBody) out.push({ db, coll, put: stripSystem(result.resourceBody) });
  });
  return out;
}

/**
 * The partition of a journaled deletion. One journaled before its container was partitioned by
 * month names the tenant only: the document is the tenant's one with that id (ids are unique per
 * tenant there, as they were).
 */
function deletedPartition(coll: string, id: string, pk: unknown, items: EmbeddedItems): unknown {
  if (partitionPathOf(coll) !== MONTH_PARTITION_KEY_PATH || (typeof pk === "string" && pk.includes("|"))) return pk;
  for (const item of items._data.values()) {
    const doc = item.read();
    if (doc.id === id && doc.tenantId === pk) return partitionValueOf(coll, doc);
  }
  return pk;
}

export interface CosmosJournal {
  /** Restore the snapshot, replay the journal after it, then start journaling. Documents restored and records replayed. */
  recover(store: Store): Promise<{ documents: number; replayed: number; tornTail: boolean }>;
  /** Write a snapshot of every container and drop the journal it contains. Documents written. */
  snapshot(store: Store): Promise<number>;
  /** The periodic snapshot: only when the journal since the last one has grown enough (see the top of this file). Documents written, or 0. */
  snapshotIfDue(store: Store): Promise<number>;
  /** Turn journaling off (the bench's baseline) or on. */
  setEnabled(on: boolean): void;
  stats(): { syncs: number; records: number };
  close(): Promise<void>;
}

/**
 * Put a journal in DATA_DIR in front of `server` (before it listens). Writes are not journaled
 * until `recover` has run, so restoring the snapshot does not journal it again. One closure over
 * the journal's state (log, snapshot, enabled), which recover, snapshot and the request hook share.
 */
export function journalCosmos(server: Server, dataDir: string, options: { readOnly?: boolean; data?: EmbeddedData } = {}): CosmosJournal {
  let log: AppendLog | undefined;
  let segment = 0;
  let enabled = false;
  let snapshotting: Promise<number> | undefined;
  let running = 0;
  /** Journal records written and documents snapshotted at the last snapshot (or start). */
  let recordsAtSnapshot = 0;
  let documentsAtSnapshot = 0;

  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (enabled && log && req.method !== "GET" && req.method !== "HEAD") intercept(req, res, log);
    for (const listener of listeners) listener(req, res);
  });

  function intercept(req: IncomingMessage, res: ServerResponse, journal: AppendLog): void {
    let batchRequest: string | undefined;
    if (isTrue(req, "x-ms-cosmos-is-batch-request")) {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => (batchRequest = Buffer.concat(chunks).toString("utf8")));
    }
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      let lines: string[];
      try {
        lines = journalLines(req, res.statusCode, typeof chunk === "string" ? chunk : chunk === undefined ? undefined : String(chunk), batchRequest);
      } catch {
        lines = [];
      }
      if (lines.length === 0) return end(chunk);
      Promise.all(lines.map((line) => journal.appendLine(line))).then(
        () => end(chunk),
        (error: unknown) => {
          // Not on disk: the client must not believe it is stored.
          res.statusCode = 503;
          end(JSON.stringify({ code: "ServiceUnavailable", message: `journal write failed: ${(error as Error).message}` }));
        },
      );
      return res;
    }) as typeof res.end;
  }

  async function segments(): Promise<number[]> {
    return (await readdir(dataDir))
      .flatMap((f) => {
        const m = SEGMENT.exec(f);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  /** The documents of container `coll` in the server's memory, when this journal can reach it. */
  function embedded(store: Store, coll: string): EmbeddedItems | undefined {
    return options.data?.documents(store.database.id, coll);
  }

  /** Put documents into the store: straight into the server's memory, else by upserts over HTTP. */
  async function put(store: Store, coll: string, docs: Record<string, unknown>[]): Promise<void> {
    const items = embedded(store, coll);
    if (items) {
      for (const doc of docs) {
        const stored = items.upsert(migrated(coll, stripSystem(doc))) as Record<string, unknown>;
        // The time of the last write, as the journal or snapshot has it: retention counts from it.
        if (typeof doc._ts === "number") stored._ts = doc._ts;
      }
      return;
    }
    const container = (store.containers as Record<string, Store["containers"][keyof Store["containers"]]>)[coll] ?? store.client.database(store.database.id).container(coll);
    for (let i = 0; i < docs.length; i += 100) await Promise.all(docs.slice(i, i + 100).map((doc) => container.items.upsert(migrated(coll, stripSystem(doc)))));
  }

  /**
   * Load the snapshot into the store: a JSON-lines snapshot line by line, an older one (one JSON
   * object) whole. The first journal segment it does not contain, and how many documents it held.
   */
  async function loadSnapshot(store: Store): Promise<{ journalFrom: number; documents: number } | undefined> {
    const file = join(dataDir, SNAPSHOT_FILE);
    let first: string | undefined;
    try {
      const handle = await open(file, "r");
      try {
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
        first = buffer.subarray(0, bytesRead).toString("utf8");
      } finally {
        await handle.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    if (!first.startsWith('{"format":3')) {
      const raw = JSON.parse(await readFile(file, "utf8")) as Partial<SnapshotFile> & Record<string, unknown>;
      // Before the journal, the snapshot was the containers object itself.
      const legacy = raw.format === 2 ? (raw as SnapshotFile) : { format: 2, journalFrom: 0, containers: raw as SnapshotFile["containers"] };
      let documents = 0;
      for (const name of CONTAINER_NAMES) {
        const docs = legacy.containers[name] ?? [];
        await put(store, name, docs);
        documents += docs.length;
      }
      return { journalFrom: legacy.journalFrom, documents };
    }
    let header: SnapshotHeader | undefined;
    let documents = 0;
    let pending: { c: string; d: Record<string, unknown> }[] = [];
    const flush = async () => {
      const byContainer = new Map<string, Record<string, unknown>[]>();
      for (const { c, d } of pending) byContainer.set(c, [...(byContainer.get(c) ?? []), d]);
      pending = [];
      for (const [c, docs] of byContainer) await put(store, c, docs);
    };
    const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === "") continue;
      if (!header) {
        header = JSON.parse(line) as SnapshotHeader;
        continue;
      }
      pending.push(JSON.parse(line) as { c: string; d: Record<string, unknown> });
      documents++;
      if (pending.length >= 1000) await flush();
    }
    await flush();
    if (!header || header.format !== 3) throw new Error(`${file}: not a snapshot this version reads`);
    return { journalFrom: header.journalFrom, documents };
  }

  /** Empty the store's containers (a read-only reader that must read the durable state again). */
  async function clear(store: Store): Promise<void> {
    for (const name of CONTAINER_NAMES) {
      const items = embedded(store, name);
      if (items) {
        for (const item of [...items._data.values()]) {
          const doc = item.read();
          items.delete(String(doc.id), partitionValueOf(name, doc));
        }
        continue;
      }
      const { resources } = await store.containers[name].items.readAll().fetchAll();
      for (const doc of resources)
        await store.containers[name]
          .item(String(doc.id), partitionValueOf(name, doc as Record<string, unknown>))
          .delete()
          .catch(() => undefined);
    }
  }

  /**
   * Load the snapshot and read the journal segments after it, as one consistent moment. Beside a
   * running app (check-ledger) the app may take a snapshot while this reads, and then delete the
   * segments this was about to read: the view would miss writes, and report breaches that are not
   * there. So the snapshot file's identity is compared before and after the reading, and the whole
   * read is done again (into an emptied store) when the app replaced it meanwhile. Journal records
   * are held in memory until the read is known good (segments are short: snapshots cut them).
   */
  async function readDurableState(
    store: Store,
  ): Promise<{ snapshot: { journalFrom: number; documents: number } | undefined; journal: { records: JournalRecord[]; tornTail: boolean }; found: number[] }> {
    const identity = () =>
      stat(join(dataDir, SNAPSHOT_FILE)).then(
        (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
        () => "none",
      );
    for (let attempt = 1; ; attempt++) {
      const before = await identity();
      const snapshot = await loadSnapshot(store);
      const from = snapshot?.journalFrom ?? 0;
      const found = await segments().catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
      const records: JournalRecord[] = [];
      let tornTail = false;
      let vanished = false;
      for (const n of found.filter((s) => s >= from)) {
        const read = await readLog<JournalRecord>(join(dataDir, segmentName(n))).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
        if (!read) {
          vanished = true; // cut by a snapshot taken meanwhile
          break;
        }
        tornTail ||= read.tornTail;
        records.push(...read.records);
      }
      if (!options.readOnly || (!vanished && (await identity()) === before)) return { snapshot, journal: { records, tornTail }, found };
      if (attempt >= 10) throw new Error(`the app took a new snapshot of ${dataDir} each of the ${attempt} times this read it; try again`);
      await clear(store);
    }
  }

  async function apply(store: Store, record: JournalRecord): Promise<void> {
    // Into the store's own containers, as the snapshot is restored (the database name is the app's).
    const items = embedded(store, record.coll);
    if (items) {
      if ("put" in record) await put(store, record.coll, [record.put]);
      else {
        try {
          items.delete(record.del, deletedPartition(record.coll, record.del, record.pk, items));
        } catch {
          // already gone
        }
      }
      return;
    }
    const container = (store.containers as Record<string, Store["containers"][keyof Store["containers"]]>)[record.coll] ?? store.client.database(record.db).container(record.coll);
    if ("put" in record) {
      await container.items.upsert(migrated(record.coll, stripSystem(record.put)));
      return;
    }
    try {
      await container.item(record.del, record.pk as string).delete();
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }

  /** Every document of container `name`, streamed: from the server's memory, else in pages over HTTP. */
  async function* documentsOf(store: Store, name: (typeof CONTAINER_NAMES)[number]): AsyncGenerator<Record<string, unknown>> {
    const items = embedded(store, name);
    if (items) {
      let n = 0;
      // The live map: a document written meanwhile may be seen in either state; the journal after the
      // snapshot's segment has its final state anyway.
      for (const item of items._data.values()) {
        yield item.read();
        if (++n % 2000 === 0) await yieldToRequests();
      }
      return;
    }
    const iterator = store.containers[name].items.readAll({ maxItemCount: 1000 });
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      for (const r of resources) yield r as Record<string, unknown>;
    }
  }

  async function takeSnapshot(store: Store): Promise<number> {
    if (!log) throw new Error("the journal has not been recovered yet");
    // New writes go to a new segment from here; the snapshot below contains at least everything before it.
    const next = segment + 1;
    await log.switchTo(join(dataDir, segmentName(next)));
    const recordsAtSwitch = log.stats.records;
    segment = next;
    await syncDir(dataDir);
    const file = join(dataDir, SNAPSHOT_FILE);
    const handle = await open(`${file}.tmp`, "w");
    let count = 0;
    try {
      let chunk = JSON.stringify({ format: 3, journalFrom: next, database: store.database.id } satisfies SnapshotHeader) + "\n";
      for (const name of CONTAINER_NAMES) {
        for await (const doc of documentsOf(store, name)) {
          chunk += `{"c":${JSON.stringify(name)},"d":${JSON.stringify({ ...stripSystem(doc), _ts: doc._ts })}}\n`;
          count++;
          if (chunk.length >= SNAPSHOT_CHUNK_BYTES) {
            await handle.write(chunk);
            chunk = "";
          }
        }
      }
      await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(`${file}.tmp`, file);
    await syncDir(dataDir);
    for (const n of await segments()) if (n < next) await rm(join(dataDir, segmentName(n)), { force: true });
    recordsAtSnapshot = recordsAtSwitch;
    documentsAtSnapshot = count;
    return count;
  }

  return {
    async recover(store) {
      if (!options.readOnly) await mkdir(dataDir, { recursive: true });
      const { snapshot, journal, found } = await readDurableState(store);
      const documents = snapshot?.documents ?? 0;
      // In order: a later record of a document overrides an earlier one.
      for (let i = 0; i < journal.records.length; i++) {
        await apply(store, journal.records[i]);
        if (i % 2000 === 1999) await yieldToRequests();
      }
      const {
        tornTail,
        records: { length: replayed },
      } = journal;
      const from = snapshot?.journalFrom ?? 0;
      // Read-only (check-ledger beside a running app): the durable state, and nothing written.
      if (options.readOnly) return { documents, replayed, tornTail };
      segment = Math.max(from, ...found) + 1; // a fresh segment: a torn tail stays the last line of its own file
      log = await AppendLog.open(join(dataDir, segmentName(segment)));
      await syncDir(dataDir);
      enabled = true;
      documentsAtSnapshot = documents;
      // Fold the replayed tail into a snapshot off the start's path (at enterprise size writing one
      // takes tens of seconds); until it is written the segments it would cut stay and replay again.
      if (replayed > 0 || tornTail) void this.snapshot(store).catch(() => undefined);
      return { documents, replayed, tornTail };
    },
    snapshot(store) {
      // One at a time; a caller arriving during a snapshot waits for it and takes its own.
      running++;
      const run = (snapshotting ?? Promise.resolve(0))
        .catch(() => 0)
        .then(() => takeSnapshot(store))
        .finally(() => void running--);
      snapshotting = run;
      return run;
    },
    async snapshotIfDue(store) {
      const since = (log?.stats.records ?? 0) - recordsAtSnapshot;
      if (running > 0 || since < Math.max(SNAPSHOT_MIN_RECORDS, documentsAtSnapshot / 4)) return 0;
      return this.snapshot(store);
    },
    setEnabled(on) {
      enabled = on;
    },
    stats: () => ({ ...(log?.stats ?? { syncs: 0, records: 0 }) }),
    async close() {
      await snapshotting?.catch(() => 0); // a snapshot under way finishes first
      enabled = false;
      await log?.close();
      log = undefined;
    },
  };
}
