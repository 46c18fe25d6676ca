/**
 * The embedded Cosmos-compatible server (@vercel/cosmosdb-server) on 127.0.0.1. Its data lives in
 * memory; given a data directory, a write-ahead journal (journal.ts) makes every acknowledged write
 * durable: it is fsynced to DATA_DIR before its response leaves, and a start restores the last
 * snapshot and replays the journal after it.
 *
 * The journal reaches the server's in-memory data directly (`EmbeddedData`): a snapshot streams the
 * documents out of it and a start puts them back into it, neither through HTTP nor the query engine.
 */
import { createHttpServer } from "@vercel/cosmosdb-server";
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { journalCosmos, type CosmosJournal } from "./journal.js";
import type { EmbeddedData, EmbeddedItems } from "./embedded-data.js";
import { sweepExpired } from "./retention.js";
import type { Store } from "../../store/cosmos.js";

export type { EmbeddedData, EmbeddedItems };

interface EmbeddedAccount {
  database(id: string): { read(): unknown; collection(id: string): { read(): unknown; documents: EmbeddedItems } };
}

// The server creates its account when it starts listening, as `new (require("./account").default)(host, port)`:
// a subclass put there records each account by port, so this module can hand its data to the journal.
const accounts = new Map<number, EmbeddedAccount>();
const accountModule = createRequire(import.meta.url)("@vercel/cosmosdb-server/lib/account/index.js") as { default: new (host: string, port: number) => EmbeddedAccount };
if (!(accountModule.default as { recorded?: boolean }).recorded) {
  const Base = accountModule.default;
  class RecordedAccount extends (Base as new (host: string, port: number) => object) {
    static recorded = true;
    constructor(host: string, port: number) {
      super(host, port);
      accounts.set(port, this as unknown as EmbeddedAccount);
    }
  }
  accountModule.default = RecordedAccount as unknown as typeof accountModule.default;
}

/*
 * The server's query engine (@zeit/cosmosdb-query) gathers a container's documents with
 * `reduce(($, c) => [...$, { c }], [])`: a copy per document, quadratic in the container's size
 * (a records page took 1 s at 5,000 usage records, 36 s at 20,000). Its generated code is rewritten
 * to gather them in one linear pass, and its single-field ORDER BY sorts precomputed keys of one
 * type with plain comparisons (the engine's own sort otherwise: several fields, mixed types).
 */
type QueryHelpers = { sort: (collection: unknown[], getRid: (d: unknown) => unknown, compositeIndexes: unknown, ...orders: [string[], boolean][]) => unknown[] };
const requireCjs = createRequire(import.meta.url);
const queryFactory = (requireCjs("@zeit/cosmosdb-query") as { default: (q: string) => object }).default;
const queryProto = Object.getPrototypeOf(queryFactory("SELECT * FROM c")) as object & { linear?: boolean };
if (!queryProto.linear) {
  queryProto.linear = true;
  const code = Object.getOwnPropertyDescriptor(queryProto, "code")!;
  const QUADRATIC_GATHER = /\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, (\{[^{}]*\})\] : \$, \[\]\)/g;
  Object.defineProperty(queryProto, "code", {
    get(this: { linearCode?: string }) {
      this.linearCode ??= (code.get!.call(this) as string).replace(
        QUADRATIC_GATHER,
        (_m, name: string, item: string) => `.flatMap((${name}) => typeof ${name} !== "undefined" ? [${item}] : [])`,
      );
      return this.linearCode;
    },
  });
  const helpers = requireCjs("@zeit/cosmosdb-query/lib/helpers.js") as QueryHelpers;
  const engineSort = helpers.sort;
  helpers.sort = (collection, getRid, compositeIndexes, ...orders) => {
    if (orders.length !== 1) return engineSort(collection, getRid, compositeIndexes, ...orders);
    const [keys, desc] = orders[0];
    const valueOf = (d: unknown) => keys.reduce<unknown>((o, k) => (typeof o === "object" && o ? (o as Record<string, unknown>)[k] : undefined), d);
    const keyed = collection.flatMap((d) => {
      const v = valueOf(d);
      return v === undefined ? [] : [{ d, v }];
    });
    const type = typeof keyed[0]?.v;
    if ((type !== "string" && type !== "number") || keyed.some((k) => typeof k.v !== type)) return engineSort(collection, getRid, compositeIndexes, ...orders);
    const sign = desc ? -1 : 1;
    keyed.sort((a, b) => {
      if (a.v !== b.v) return ((a.v as string) < (b.v as string) ? -1 : 1) * sign;
      const ra = String(getRid(a.d));
      const rb = String(getRid(b.d));
      return ra === rb ? 0 : ra < rb ? -1 : 1;
    });
    return keyed.map((k) => k.d);
  };
}

/*
 * The engine has no index: every query runs over the whole container, and the server ignores a
 * query's partition key (the x-ms-documentdb-partitionkey header). Both are put right here:
 *
 * - A query sent with a partition key runs over that logical partition's documents only, as in
 *   Azure: a tenant's query of one month's usage (cosmos.ts: queryAll with a month) sees that
 *   month's documents and nothing else (`queryPartition` carries the header from the request to the
 *   engine, across the handler's awaits).
 * - The usage queries that page through records one UTC day at a time (report.ts, export.ts:
 *   `WHERE c.tenantId = @tenantId AND c.day = @day AND …`, no OR) run over that day's documents
 *   only: every document they can match has `day` = @day.
 *
 * Both narrow with one plain comparison per document.
 */
interface EngineItems {
  _data: Map<string, { read(): Record<string, unknown> }>;
  _getPartition(doc: Record<string, unknown>): unknown;
  query(params: { query: string; parameters?: { name: string; value: unknown }[] }, options: unknown): unknown;
}
const queryPartition = new AsyncLocalStorage<{ partition: unknown }>();
/** The partition key a request names (`["value"]` in its header), or undefined. */
function partitionOfRequest(req: import("node:http").IncomingMessage): { partition: unknown } | undefined {
  const raw = req.headers["x-ms-documentdb-partitionkey"];
  if (typeof raw !== "string") return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    const value = Array.isArray(parsed) ? parsed[0] : parsed;
    return value === undefined || value === null || typeof value === "object" ? undefined : { partition: value };
  } catch {
    return undefined;
  }
}
const itemsProto = (requireCjs("@vercel/cosmosdb-server/lib/account/items.js") as { default: { prototype: EngineItems & { dayNarrowed?: boolean } } }).default.prototype;
if (!itemsProto.dayNarrowed) {
  itemsProto.dayNarrowed = true;
  const engineQuery = itemsProto.query;
  const DAY_CONJUNCT = /\bWHERE c\.tenantId = @tenantId AND c\.day = @day AND /;
  itemsProto.query = function (this: EngineItems, params, options) {
    const dayParam = params.parameters?.find((p) => p.name === "@day")?.value;
    const day = typeof dayParam === "string" && DAY_CONJUNCT.test(params.query) && !/\bOR\b/i.test(params.query) ? dayParam : undefined;
    const scope = queryPartition.getStore();
    if (day === undefined && scope === undefined) return engineQuery.call(this, params, options);
    const all = this._data;
    const ofDay = new Map<string, { read(): Record<string, unknown> }>();
    for (const [rid, item] of all) {
      const doc = item.read();
      if ((day === undefined || doc.day === day) && (scope === undefined || this._getPartition(doc) === scope.partition)) ofDay.set(rid, item);
    }
    this._data = ofDay; // the engine's query is synchronous: nothing else sees this
    try {
      return engineQuery.call(this, params, options);
    } finally {
      this._data = all;
    }
  };
}

function embeddedData(port: number): EmbeddedData {
  return {
    documents(db, coll) {
      const account = accounts.get(port);
      const database = account?.database(db);
      if (!database?.read()) return undefined;
      const collection = database.collection(coll);
      return collection.read() ? collection.documents : undefined;
    },
  };
}

/**
 * Store operations counted by kind, for the capacity model (`npm run bench:big`): point reads and
 * the bytes they return, writes (create, upsert, replace, patch, delete, each operation of a bulk
 * request) and the bytes they send, queries (each page) and the bytes of their results.
 */
export interface StoreOps {
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
  largestWrite: number;
  queries: number;
  queryBytes: number;
}
export const storeOps: StoreOps = { reads: 0, readBytes: 0, writes: 0, writeBytes: 0, largestWrite: 0, queries: 0, queryBytes: 0 };

/** With STORE_OP_COUNTS=1, count the server's document operations into `storeOps`; SIGUSR2 prints them as one JSON line. */
function countOps(server: ReturnType<typeof createHttpServer>): void {
  const listeners = server.listeners("request") as ((req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    const path = (req.url ?? "").split("?")[0];
    if (/\/docs(\/|$)/.test(path)) {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      const end = res.end.bind(res) as (chunk?: unknown) => unknown;
      res.end = ((chunk?: unknown) => {
        const out = typeof chunk === "string" ? Buffer.byteLength(chunk) : 0;
        const body = Buffer.concat(chunks).toString("utf8");
        const query = String(req.headers["x-ms-documentdb-isquery"] ?? "").toLowerCase() === "true" || req.headers["content-type"] === "application/query+json";
        if (req.method === "GET") {
          storeOps.reads++;
          storeOps.readBytes += out;
        } else if (query) {
          storeOps.queries++;
          storeOps.queryBytes += out;
        } else if (String(req.headers["x-ms-cosmos-is-batch-request"] ?? "").toLowerCase() === "true") {
          for (const op of JSON.parse(body || "[]") as { operationType?: string; resourceBody?: unknown }[]) {
            if (op.operationType === "Read") {
              storeOps.reads++;
              continue;
            }
            const size = op.resourceBody ? Buffer.byteLength(JSON.stringify(op.resourceBody)) : 0;
            storeOps.writes++;
            storeOps.writeBytes += size;
            storeOps.largestWrite = Math.max(storeOps.largestWrite, size);
          }
        } else {
          storeOps.writes++;
          storeOps.writeBytes += body.length;
          storeOps.largestWrite = Math.max(storeOps.largestWrite, body.length);
        }
        return end(chunk);
      }) as typeof res.end;
    }
    for (const listener of listeners) listener(req, res);
  });
}
let printOpsOnSignal = false;

/** Outermost: a query request's partition key reaches the engine's query (above) through `queryPartition`. */
function scopeQueriesToPartition(server: ReturnType<typeof createHttpServer>): void {
  const listeners = server.listeners("request") as ((req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    const query =
      req.method === "POST" && (String(req.headers["x-ms-documentdb-isquery"] ?? "").toLowerCase() === "true" || req.headers["content-type"] === "application/query+json");
    const scope = query ? partitionOfRequest(req) : undefined;
    if (scope === undefined) for (const listener of listeners) listener(req, res);
    else queryPartition.run(scope, () => listeners.forEach((listener) => listener(req, res)));
  });
}

export interface LocalCosmos {
  endpoint: string;
  /** The server's in-memory data (the journal's snapshots, the retention sweeper). */
  data: EmbeddedData;
  /** Delete what Cosmos DB's time to live would have expired (retention.ts); how many, by container. */
  sweepExpired(store: Store, usageRetentionDays: number, nowMs?: number): Promise<Partial<Record<string, number>>>;
  /** Present when the server keeps its data in a directory. */
  journal?: CosmosJournal;
  close(): Promise<void>;
}

export async function startLocalCosmos(port = 0, options: { dataDir?: string; readOnly?: boolean } = {}): Promise<LocalCosmos> {
  // keepAlive makes the SDK reuse sockets: about four times the throughput on this server.
  const server = createHttpServer({ keepAlive: true });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one just then gets ECONNRESET.
  // Keep them longer than the SDK's agent keeps them idle, so the server is never the one to close.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  if (process.env.STORE_OP_COUNTS === "1") {
    countOps(server);
    if (!printOpsOnSignal) {
      printOpsOnSignal = true;
      process.on("SIGUSR2", () => process.stdout.write(`${JSON.stringify({ storeOps })}\n`));
    }
  }
  let bound = 0;
  const data: EmbeddedData = { documents: (db, coll) => embeddedData(bound).documents(db, coll) };
  const journal = options.dataDir ? journalCosmos(server, options.dataDir, { readOnly: options.readOnly, data }) : undefined;
  scopeQueriesToPartition(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    data,
    journal,
    sweepExpired: (store, usageRetentionDays, nowMs) => sweepExpired(store, data, usageRetentionDays, nowMs),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      await journal?.close(); // after a snapshot under way, which reads the data below
      accounts.delete(bound);
    },
  };
}
