/**
 * The embedded Cosmos-compatible server (@vercel/cosmosdb-server) on 127.0.0.1. Its data lives in
 * memory; given a data directory, a write-ahead journal (journal.ts) makes every acknowledged write
 * durable: it is fsynced to DATA_DIR before its response leaves, and a start restores the last
 * snapshot and replays the journal after it.
 */
import { createHttpServer } from "@vercel/cosmosdb-server";
import type { AddressInfo } from "node:net";
import { journalCosmos, type CosmosJournal } from "./journal.js";

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
  const journal = options.dataDir ? journalCosmos(server, options.dataDir, { readOnly: options.readOnly }) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    journal,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      await journal?.close();
    },
  };
}
