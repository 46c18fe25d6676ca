/** The embedded store's operations one request costs (STORE_OP_COUNTS=1), kept by name to be printed. */
import { storeOps } from "../../api/src/local/store/local-server.js";

export type Counted = Record<string, { reads: number; queries: number; readBytes: number }>;

export async function measured<T>(counted: Counted, name: string, send: () => Promise<T>): Promise<T> {
  const before = { ...storeOps };
  const result = await send();
  counted[name] = { reads: storeOps.reads - before.reads, queries: storeOps.queries - before.queries, readBytes: storeOps.readBytes - before.readBytes };
  return result;
}
