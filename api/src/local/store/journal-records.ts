/**
 * The journal's records: what a finished request to the embedded server wrote, read from the
 * request and the response the server is about to send (journal.ts hooks the server; this module
 * only reads values).
 */
import type { IncomingMessage } from "node:http";
import { withoutSystemFields } from "../../store/cosmos.js";

/** One line of the store's journal: a document as written, or a deletion. */
export type JournalRecord = { db: string; coll: string; put: Record<string, unknown> } | { db: string; coll: string; del: string; pk: unknown };

export const stripSystem = (doc: Record<string, unknown>) => withoutSystemFields(doc) as Record<string, unknown>;

export const isTrue = (req: IncomingMessage, name: string) => String(req.headers[name] ?? "").toLowerCase() === "true";
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
  return batchRecords(db, coll, JSON.parse(batchRequest ?? "[]") as BatchOp[], parse() as BatchResult[]);
}

/** The writes of a bulk/batch request: each operation that succeeded and was not a read. */
function batchRecords(db: string, coll: string, ops: BatchOp[], results: BatchResult[]): JournalRecord[] {
  const out: JournalRecord[] = [];
  results.forEach((result, i) => {
    const op = ops[i] ?? {};
    if (result.statusCode >= 300 || op.operationType === "Read") return;
    if (op.operationType === "Delete") out.push({ db, coll, del: String(op.id), pk: partitionKeyOf(op.partitionKey) });
    else if (result.resourceBody) out.push({ db, coll, put: stripSystem(result.resourceBody) });
  });
  return out;
}
