/**
 * A restify server with the app's last-resort guard (http/last-resort.ts) and routes whose errors
 * escape their request the ways real bugs do, run as a child process by last-resort.test.ts.
 * `--outside` also throws from a timer that belongs to no request, once the server listens.
 */
import restify from "restify";
import { EventEmitter } from "node:events";
import { pino } from "pino";
import { installLastResort, scopeRequests } from "../../api/src/http/last-resort.js";

const logger = pino({ level: "info" });
installLastResort(logger);
const server = restify.createServer({ handleUncaughtExceptions: false });
scopeRequests(server);
server.get("/timer", (_req, _res, _next) => {
  setTimeout(() => {
    throw new Error("a throw in a timer the request started");
  }, 5);
});
server.get("/emitter", (_req, _res, _next) => {
  void Promise.resolve().then(() => new EventEmitter().emit("error", new Error("an error event nobody listens to")));
});
server.get("/rejection", (_req, _res, _next) => {
  void Promise.reject(new Error("a promise nobody awaits"));
});
server.get("/ok", (_req, res, next) => {
  res.sendRaw(200, JSON.stringify({ ok: true }), { "content-type": "application/json" });
  next();
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on ${(server.address() as { port: number }).port}\n`);
  if (process.argv.includes("--outside"))
    setTimeout(() => {
      throw new Error("a job failed outside any request");
    }, 50);
});
