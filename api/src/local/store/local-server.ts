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
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { journalCosmos, type CosmosJournal } from "./journal.js";
import type { EmbeddedData, EmbeddedItems } from "./embedded-data.js";

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

export interface LocalCosmos {
  endpoint: string;
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
  let bound = 0;
  const data: EmbeddedData = { documents: (db, coll) => embeddedData(bound).documents(db, coll) };
  const journal = options.dataDir ? journalCosmos(server, options.dataDir, { readOnly: options.readOnly, data }) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    journal,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      accounts.delete(bound);
      await journal?.close();
    },
  };
}
