/** `npm start`: the whole product on http://localhost:PORT with the local world. */
import "./warnings.js";
import { destination as fileDestination, pino, type DestinationStream, type Logger } from "pino";
import { DEMO_TENANTS, roleDisplayName } from "@cc/common";
import { loadConfig, type Config } from "./config.js";
import { createApp } from "./app.js";
import { installLastResort } from "./http/last-resort.js";

const config = loadConfig();
const logger = await startupLogger(config);
// Before anything can fail: an error that escapes a request fails that request, not the process.
installLastResort(logger);
const app = await createApp(config, { logger });
const shown = `http://localhost:${new URL(app.url).port}`;
const store = config.COSMOS_ENDPOINT ?? "embedded local Cosmos-compatible server";
const demoUsers =
  config.AUTH_MODE === "dev" && config.SEED_DEMO
    ? DEMO_TENANTS.flatMap((tenant) => tenant.users.map((user) => ({ upn: user.upn, roles: user.roles.map((role) => roleDisplayName[role]).join(", ") || "no admin role" })))
    : [];
if (process.stdout.isTTY) {
  // For a person at a terminal: the address and who to sign in as, once, before the request logs.
  const users = demoUsers.map((user) => `    ${user.upn.padEnd(28)} ${user.roles}`).join("\n");
  process.stdout.write(
    `\n  Communications Credits is up on ${shown}\n  store: ${store}  auth: ${config.AUTH_MODE}  data: ${config.DATA_DIR}\n` +
      (users ? `  Demo users (sign in as any of them in the tab):\n${users}\n` : "") +
      "\n",
  );
} else {
  app.logger.info(
    { url: shown, authMode: config.AUTH_MODE, store, dataDir: config.DATA_DIR, demoUsers: demoUsers.map((user) => user.upn) },
    `Communications Credits is up on ${shown}`,
  );
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, "stopping: saving the local store");
    // close() is bounded by SHUTDOWN_GRACE_MS; should the snapshot after it hang, every acknowledged write is in the journal already.
    setTimeout(() => {
      app.logger.error("stopping took too long: exiting without the last snapshot (the journal has every acknowledged write)");
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 20_000).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.logger.error({ err }, "stop failed");
        process.exit(1);
      },
    );
  });
}

/**
 * JSON lines (App Service, pipes, files); human-readable lines when stdout is a terminal. The JSON
 * lines are written asynchronously (sonic-boom, no buffering beyond a write in flight): a request's
 * log line no longer holds its answer for a write to the pipe. pino flushes what is pending when
 * the process exits (a signal, the last-resort handler); a `kill -9` can lose the lines of the
 * writes in flight, never a stored change. Measured by `BENCH_ONLY=account npm run bench:big`
 * (GET /api/v1/account at 200 req/s, 30 s, eight runs each, interleaved): p99 median 30 ms
 * (15–83) with synchronous writes, 17 ms (7–77) without.
 */
async function startupLogger(config: Config): Promise<Logger> {
  const options = { level: config.LOG_LEVEL, redact: ["req.headers.authorization", "*.token", "*.card"] };
  let destination: DestinationStream | undefined;
  if (process.stdout.isTTY) {
    const { default: pretty } = await import("pino-pretty");
    destination = pretty({ colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname", sync: true });
  }
  return pino(options, destination ?? fileDestination({ dest: 1, sync: false }));
}
