/**
 * The last line of defence: an error that escapes a request (a stream's 'error' event nobody
 * listens to, a throw in a callback or timer the request started) fails that request, not the
 * process. Every request runs in an AsyncLocalStorage scope; Node runs 'uncaughtException' in the
 * async context the error was thrown in, so the handler knows which request it belongs to, logs it
 * with the request's id and answers that request 500 (or cuts it, when its answer had started).
 *
 * An error outside any request (a job, the store's client, the journal) is not one request's
 * failure: the process cannot know what state it is in, so it logs and exits, and `npm start`'s
 * supervisor or the App Service starts it again. Nothing acknowledged is lost: every answered
 * write is in the store (and the local journal) before its answer is sent.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "restify";
import type { Logger } from "pino";
import { problemFor } from "./problem.js";

interface InFlight {
  req: IncomingMessage & { getId?: () => string };
  res: ServerResponse;
}

const inFlight = new AsyncLocalStorage<InFlight>();

/** Run every request of `server` in its own scope (call before the server listens). */
export function scopeRequests(server: Server): void {
  const http = server.server;
  const listeners = http.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.removeAllListeners("request");
  http.on("request", (req: IncomingMessage, res: ServerResponse) => {
    inFlight.run({ req, res }, () => {
      for (const listener of listeners) listener.call(http, req, res);
    });
  });
}

/** Fail the request `error` escaped from, if any; true when it was one request's. */
export function failRequestOf(error: unknown, logger: Logger): boolean {
  const scope = inFlight.getStore();
  if (!scope) return false;
  const { req, res } = scope;
  logger.error({ err: error, reqId: req.getId?.(), method: req.method, path: req.url?.split("?")[0] }, "an error escaped a request; that request failed, the service goes on");
  if (res.headersSent || res.writableEnded) {
    res.destroy();
    return true;
  }
  const problem = problemFor(error);
  res.writeHead(500, { "content-type": "application/problem+json; charset=utf-8", connection: "close" });
  res.end(JSON.stringify(problem));
  // Whatever the request left unread or half-done goes with its connection.
  req.socket?.once("finish", () => req.socket?.destroy());
  return true;
}

let installed = false;

/** Process-wide handlers; the entry point installs them once (tests keep their runner's own). */
export function installLastResort(logger: Logger): void {
  if (installed) return;
  installed = true;
  const fatal = (error: unknown, what: string) => {
    if (failRequestOf(error, logger)) return;
    logger.fatal({ err: error }, `${what} outside any request: the process stops and is started again`);
    logger.flush?.();
    process.exit(1);
  };
  process.on("uncaughtException", (error) => fatal(error, "an uncaught exception"));
  process.on("unhandledRejection", (reason) => fatal(reason, "an unhandled rejection"));
}
