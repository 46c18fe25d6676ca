/**
 * The journal's request hook on the embedded server: a successful document write's response is
 * held until its journal lines are on disk (see journal.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AppendLog } from "./append-log.js";
import { isTrue, journalLines } from "./journal-records.js";

/**
 * Put a hook in front of `server`'s request listeners (before it listens). `journalOf` is asked on
 * every request: the log to journal to, or undefined while journaling is off.
 */
export function hookRequests(server: Server, journalOf: () => AppendLog | undefined): void {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const log = journalOf();
    if (log && req.method !== "GET" && req.method !== "HEAD") intercept(req, res, log);
    for (const listener of listeners) listener(req, res);
  });
}

/** Hold the response's end until what the request wrote is journaled; a 503 when the journal write fails. */
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
