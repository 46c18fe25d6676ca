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
 *
 * The parts, beside this file: journal-records.ts (what a request wrote, as journal lines),
 * journal-hook.ts (the request hook), journal-files.ts (segments, the snapshot writer and reader),
 * journal-documents.ts (reading and writing the store's documents). This file holds the journal's
 * state and the recovery and snapshot steps that use it.
 */
import type { Server } from "node:http";
import { mkdir, rm, stat } from "node:fs/promises";
import { setImmediate as yieldToRequests } from "node:timers/promises";
import { join } from "node:path";
import { AppendLog, readLog } from "./append-log.js";
import type { Store } from "../../store/cosmos.js";
import type { EmbeddedData } from "./embedded-data.js";
import type { JournalRecord } from "./journal-records.js";
import { hookRequests } from "./journal-hook.js";
import { SNAPSHOT_FILE, listSegments, loadSnapshot, segmentName, syncDir, writeSnapshotFile, type LoadedSnapshot, type SnapshotHeader } from "./journal-files.js";
import { applyRecord, clearStore, documentsOf, putDocuments } from "./journal-documents.js";

export { journalLines, recordsFor, type JournalRecord } from "./journal-records.js";

/** A periodic snapshot waits for at least this many journal records since the last one (and a quarter of the last snapshot's documents). */
export const SNAPSHOT_MIN_RECORDS = 1;

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

/** The journal's state, which recovery, the snapshots and the request hook share. */
interface JournalState {
  readonly dataDir: string;
  readonly readOnly: boolean;
  readonly data: EmbeddedData | undefined;
  log: AppendLog | undefined;
  segment: number;
  enabled: boolean;
  snapshotting: Promise<number> | undefined;
  running: number;
  /** Journal records written and documents snapshotted at the last snapshot (or start). */
  recordsAtSnapshot: number;
  documentsAtSnapshot: number;
}

type DurableState = { snapshot: LoadedSnapshot | undefined; journal: { records: JournalRecord[]; tornTail: boolean }; found: number[] };

/** The records of the journal segments from `from` on, or `vanished` when one was cut meanwhile. */
async function readSegments(dataDir: string, from: number, found: number[]): Promise<{ records: JournalRecord[]; tornTail: boolean; vanished: boolean }> {
  const records: JournalRecord[] = [];
  let tornTail = false;
  for (const n of found.filter((s) => s >= from)) {
    const read = await readLog<JournalRecord>(join(dataDir, segmentName(n))).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
    if (!read) return { records, tornTail, vanished: true }; // cut by a snapshot taken meanwhile
    tornTail ||= read.tornTail;
    records.push(...read.records);
  }
  return { records, tornTail, vanished: false };
}

/**
 * Load the snapshot and read the journal segments after it, as one consistent moment. Beside a
 * running app (check-ledger) the app may take a snapshot while this reads, and then delete the
 * segments this was about to read: the view would miss writes, and report breaches that are not
 * there. So the snapshot file's identity is compared before and after the reading, and the whole
 * read is done again (into an emptied store) when the app replaced it meanwhile. Journal records
 * are held in memory until the read is known good (segments are short: snapshots cut them).
 */
async function readDurableState(state: JournalState, store: Store): Promise<DurableState> {
  const { dataDir } = state;
  const identity = () =>
    stat(join(dataDir, SNAPSHOT_FILE)).then(
      (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
      () => "none",
    );
  for (let attempt = 1; ; attempt++) {
    const before = await identity();
    const snapshot = await loadSnapshot(dataDir, (coll, docs) => putDocuments(state.data, store, coll, docs));
    const from = snapshot?.journalFrom ?? 0;
    const found = await listSegments(dataDir).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
    const { records, tornTail, vanished } = await readSegments(dataDir, from, found);
    if (!state.readOnly || (!vanished && (await identity()) === before)) return { snapshot, journal: { records, tornTail }, found };
    if (attempt >= 10) throw new Error(`the app took a new snapshot of ${dataDir} each of the ${attempt} times this read it; try again`);
    await clearStore(state.data, store);
  }
}

async function recover(state: JournalState, store: Store): Promise<{ documents: number; replayed: number; tornTail: boolean }> {
  if (!state.readOnly) await mkdir(state.dataDir, { recursive: true });
  const { snapshot: restored, journal, found } = await readDurableState(state, store);
  const documents = restored?.documents ?? 0;
  // In order: a later record of a document overrides an earlier one.
  for (let i = 0; i < journal.records.length; i++) {
    await applyRecord(state.data, store, journal.records[i]);
    if (i % 2000 === 1999) await yieldToRequests();
  }
  const {
    tornTail,
    records: { length: replayed },
  } = journal;
  const from = restored?.journalFrom ?? 0;
  // Read-only (check-ledger beside a running app): the durable state, and nothing written.
  if (state.readOnly) return { documents, replayed, tornTail };
  state.segment = Math.max(from, ...found) + 1; // a fresh segment: a torn tail stays the last line of its own file
  state.log = await AppendLog.open(join(state.dataDir, segmentName(state.segment)));
  await syncDir(state.dataDir);
  state.enabled = true;
  state.documentsAtSnapshot = documents;
  // Fold the replayed tail into a snapshot off the start's path (at enterprise size writing one
  // takes tens of seconds); until it is written the segments it would cut stay and replay again.
  if (replayed > 0 || tornTail) void snapshot(state, store).catch(() => undefined);
  return { documents, replayed, tornTail };
}

async function takeSnapshot(state: JournalState, store: Store): Promise<number> {
  const { log, dataDir } = state;
  if (!log) throw new Error("the journal has not been recovered yet");
  // New writes go to a new segment from here; the snapshot below contains at least everything before it.
  const next = state.segment + 1;
  await log.switchTo(join(dataDir, segmentName(next)));
  const recordsAtSwitch = log.stats.records;
  state.segment = next;
  await syncDir(dataDir);
  const header = { format: 3, journalFrom: next, database: store.database.id } satisfies SnapshotHeader;
  const count = await writeSnapshotFile(dataDir, header, (name) => documentsOf(state.data, store, name));
  for (const n of await listSegments(dataDir)) if (n < next) await rm(join(dataDir, segmentName(n)), { force: true });
  state.recordsAtSnapshot = recordsAtSwitch;
  state.documentsAtSnapshot = count;
  return count;
}

function snapshot(state: JournalState, store: Store): Promise<number> {
  // One at a time; a caller arriving during a snapshot waits for it and takes its own.
  state.running++;
  const run = (state.snapshotting ?? Promise.resolve(0))
    .catch(() => 0)
    .then(() => takeSnapshot(state, store))
    .finally(() => void state.running--);
  state.snapshotting = run;
  return run;
}

async function snapshotIfDue(state: JournalState, store: Store): Promise<number> {
  const since = (state.log?.stats.records ?? 0) - state.recordsAtSnapshot;
  if (state.running > 0 || since < Math.max(SNAPSHOT_MIN_RECORDS, state.documentsAtSnapshot / 4)) return 0;
  return snapshot(state, store);
}

async function close(state: JournalState): Promise<void> {
  await state.snapshotting?.catch(() => 0); // a snapshot under way finishes first
  state.enabled = false;
  await state.log?.close();
  state.log = undefined;
}

/**
 * Put a journal in DATA_DIR in front of `server` (before it listens). Writes are not journaled
 * until `recover` has run, so restoring the snapshot does not journal it again. One explicit state
 * value (log, segment, snapshot, enabled), which recover, snapshot and the request hook share.
 */
export function journalCosmos(server: Server, dataDir: string, options: { readOnly?: boolean; data?: EmbeddedData } = {}): CosmosJournal {
  const state: JournalState = {
    dataDir,
    readOnly: options.readOnly ?? false,
    data: options.data,
    log: undefined,
    segment: 0,
    enabled: false,
    snapshotting: undefined,
    running: 0,
    recordsAtSnapshot: 0,
    documentsAtSnapshot: 0,
  };
  hookRequests(server, () => (state.enabled ? state.log : undefined));
  return {
    recover: (store) => recover(state, store),
    snapshot: (store) => snapshot(state, store),
    snapshotIfDue: (store) => snapshotIfDue(state, store),
    setEnabled(on) {
      state.enabled = on;
    },
    stats: () => ({ ...(state.log?.stats ?? { syncs: 0, records: 0 }) }),
    close: () => close(state),
  };
}
