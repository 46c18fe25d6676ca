/**
 * The journal's files in DATA_DIR: the numbered journal segments and the snapshot (its formats, the
 * streamed writer and the reader). See journal.ts for how they fit together.
 */
import { open, readFile, readdir, rename } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { CONTAINER_NAMES } from "../../store/containers.js";
import { stripSystem } from "./journal-records.js";

/** fsync a directory, so a rename or a new file in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const SNAPSHOT_FILE = "cosmos-snapshot.json";
const SEGMENT = /^cosmos-journal\.(\d+)\.log$/;
export const segmentName = (n: number) => `cosmos-journal.${n}.log`;

/** The numbers of the journal segments in `dataDir`, in order. */
export async function listSegments(dataDir: string): Promise<number[]> {
  return (await readdir(dataDir))
    .flatMap((f) => {
      const m = SEGMENT.exec(f);
      return m ? [Number(m[1])] : [];
    })
    .sort((a, b) => a - b);
}

interface SnapshotFile {
  format: 2;
  /** The first journal segment the snapshot does not contain. */
  journalFrom: number;
  containers: Record<string, Record<string, unknown>[]>;
}

/** The first line of a JSON-lines snapshot (format 3); a `{"c":container,"d":document}` line per document follows. */
export interface SnapshotHeader {
  format: 3;
  journalFrom: number;
  database: string;
}

/** Snapshot writes are gathered into chunks of this many bytes. */
const SNAPSHOT_CHUNK_BYTES = 1 << 20;

/** Where a snapshot's documents go as they are read: the container's name and a batch of its documents. */
export type PutDocuments = (coll: string, docs: Record<string, unknown>[]) => Promise<void>;
/** The first journal segment a loaded snapshot does not contain, and how many documents it held. */
export type LoadedSnapshot = { journalFrom: number; documents: number };

/** The snapshot's first bytes, or undefined when there is no snapshot. */
async function firstBytes(file: string): Promise<string | undefined> {
  try {
    const handle = await open(file, "r");
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** An older snapshot: one JSON object, read whole. */
async function loadLegacySnapshot(file: string, put: PutDocuments): Promise<LoadedSnapshot> {
  const raw = JSON.parse(await readFile(file, "utf8")) as Partial<SnapshotFile> & Record<string, unknown>;
  // Before the journal, the snapshot was the containers object itself.
  const legacy = raw.format === 2 ? (raw as SnapshotFile) : { format: 2, journalFrom: 0, containers: raw as SnapshotFile["containers"] };
  let documents = 0;
  for (const name of CONTAINER_NAMES) {
    const docs = legacy.containers[name] ?? [];
    await put(name, docs);
    documents += docs.length;
  }
  return { journalFrom: legacy.journalFrom, documents };
}

/** A JSON-lines snapshot, streamed line by line and put in batches of a thousand documents. */
async function loadLinesSnapshot(file: string, put: PutDocuments): Promise<LoadedSnapshot> {
  let header: SnapshotHeader | undefined;
  let documents = 0;
  let pending: { c: string; d: Record<string, unknown> }[] = [];
  const flush = async () => {
    const byContainer = new Map<string, Record<string, unknown>[]>();
    for (const { c, d } of pending) byContainer.set(c, [...(byContainer.get(c) ?? []), d]);
    pending = [];
    for (const [c, docs] of byContainer) await put(c, docs);
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

/**
 * Load the snapshot into the store: a JSON-lines snapshot line by line, an older one (one JSON
 * object) whole. The first journal segment it does not contain, and how many documents it held.
 */
export async function loadSnapshot(dataDir: string, put: PutDocuments): Promise<LoadedSnapshot | undefined> {
  const file = join(dataDir, SNAPSHOT_FILE);
  const first = await firstBytes(file);
  if (first === undefined) return undefined;
  return first.startsWith('{"format":3') ? loadLinesSnapshot(file, put) : loadLegacySnapshot(file, put);
}

/**
 * Write a snapshot of every container (the documents `documentsOf` streams) to a temporary file in
 * 1 MB writes, fsync it, rename it over the snapshot and fsync the directory. Documents written.
 */
export async function writeSnapshotFile(
  dataDir: string,
  header: SnapshotHeader,
  documentsOf: (name: (typeof CONTAINER_NAMES)[number]) => AsyncIterable<Record<string, unknown>>,
): Promise<number> {
  const file = join(dataDir, SNAPSHOT_FILE);
  const handle = await open(`${file}.tmp`, "w");
  let count = 0;
  try {
    let chunk = JSON.stringify(header) + "\n";
    for (const name of CONTAINER_NAMES) {
      for await (const doc of documentsOf(name)) {
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
  return count;
}
