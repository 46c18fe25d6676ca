/**
 * How the journal reaches the store's documents: straight in the embedded server's memory when it
 * can (`EmbeddedData`), else over HTTP through the Cosmos client. Restoring a snapshot, replaying a
 * journal record, emptying the store and streaming every document out for a snapshot.
 */
import { setImmediate as yieldToRequests } from "node:timers/promises";
import type { Store } from "../../store/cosmos.js";
import { CONTAINER_NAMES, MONTH_PARTITION_KEY_PATH, partitionPathOf, partitionValueOf } from "../../store/containers.js";
import type { EmbeddedData, EmbeddedItems } from "./embedded-data.js";
import { stripSystem, type JournalRecord } from "./journal-records.js";

type Container = Store["containers"][keyof Store["containers"]];

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

/** The documents of container `coll` in the server's memory, when the journal can reach it. */
function embedded(data: EmbeddedData | undefined, store: Store, coll: string): EmbeddedItems | undefined {
  return data?.documents(store.database.id, coll);
}

/** Put documents into the store: straight into the server's memory, else by upserts over HTTP. */
export async function putDocuments(data: EmbeddedData | undefined, store: Store, coll: string, docs: Record<string, unknown>[]): Promise<void> {
  const items = embedded(data, store, coll);
  if (items) {
    for (const doc of docs) {
      const stored = items.upsert(migrated(coll, stripSystem(doc))) as Record<string, unknown>;
      // The time of the last write, as the journal or snapshot has it: retention counts from it.
      if (typeof doc._ts === "number") stored._ts = doc._ts;
    }
    return;
  }
  const container = (store.containers as Record<string, Container>)[coll] ?? store.client.database(store.database.id).container(coll);
  for (let i = 0; i < docs.length; i += 100) await Promise.all(docs.slice(i, i + 100).map((doc) => container.items.upsert(migrated(coll, stripSystem(doc)))));
}

/** Empty the store's containers (a read-only reader that must read the durable state again). */
export async function clearStore(data: EmbeddedData | undefined, store: Store): Promise<void> {
  for (const name of CONTAINER_NAMES) {
    const items = embedded(data, store, name);
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

/** Replay one journal record. */
export async function applyRecord(data: EmbeddedData | undefined, store: Store, record: JournalRecord): Promise<void> {
  // Into the store's own containers, as the snapshot is restored (the database name is the app's).
  const items = embedded(data, store, record.coll);
  if (items) {
    if ("put" in record) await putDocuments(data, store, record.coll, [record.put]);
    else {
      try {
        items.delete(record.del, deletedPartition(record.coll, record.del, record.pk, items));
      } catch {
        // already gone
      }
    }
    return;
  }
  const container = (store.containers as Record<string, Container>)[record.coll] ?? store.client.database(record.db).container(record.coll);
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
export async function* documentsOf(data: EmbeddedData | undefined, store: Store, name: (typeof CONTAINER_NAMES)[number]): AsyncGenerator<Record<string, unknown>> {
  const items = embedded(data, store, name);
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
