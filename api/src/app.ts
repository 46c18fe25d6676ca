/**
 * The whole product on one port: API (/api/v1), bot (/api/messages), health and the built tab (/).
 * This file only builds the HTTP server from what wiring.ts composed (serveApp): each route gets
 * the use cases it calls. createApp is the two steps; index.ts only starts it; tests start as many
 * as they like on one shared world.
 */
import restify, { type Request, type Response, type Server } from "restify";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { World } from "./world.js";
import { composeApp, type AppOptions, type Composition } from "./wiring.js";
import type { Services } from "./services.js";
import type { DevTokenIssuer } from "./auth/tokens.js";
import { sendProblem } from "./http/router.js";
import { catchHandlerThrows, rejectBadPaths, rejectDeepJson } from "./http/edges.js";
import { admitWrites } from "./http/admission.js";
import { readJsonBody } from "./http/body.js";
import { scopeRequests } from "./http/last-resort.js";
import { acceptActivityShape, acceptBotActivity } from "./http/bot-guard.js";
import { mountAccount } from "./http/routes/account.js";
import { mountLedger } from "./http/routes/ledger.js";
import { mountLicenses } from "./http/routes/licenses.js";
import { SWEEP_EVERY_MS } from "./store/containers.js";
import { mountUsage } from "./http/routes/usage.js";
import { mountUsageExport } from "./http/routes/usage-export.js";
import { mountBudgets } from "./http/routes/budgets.js";
import type { GraphPoller } from "./usage/graph-poller.js";
import { mountHealth } from "./http/routes/health.js";
import { mountMe } from "./http/routes/me.js";
import { mountFirstFrame } from "./http/routes/first-frame.js";
import { mountStaticTab } from "./http/static-tab.js";
import { mountNotificationSettings } from "./http/routes/notification-settings.js";
import { mountOpenApi } from "./http/routes/openapi.js";

export type { AppOptions } from "./wiring.js";

export interface App {
  url: string;
  server: Server;
  services: Services;
  world: World;
  logger: Logger;
  devTokens?: DevTokenIssuer;
  /** Pulls PSTN call records from Graph into usage ingestion (a background job; tests drive it). */
  graphPoller: GraphPoller;
  /** Wait for background work this instance started (recharges). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Compose the app (wiring.ts), then serve it. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  return serveApp(await composeApp(config, options));
}

/** What every request meets first, in this order (restify runs handlers in the order they are registered): the edges, write admission, the query and body readers, the log line, problem+json for errors. */
function guardEdges(server: Server, composed: Composition): void {
  const { config, logger, auth } = composed;
  // Before anything else is registered: no handler's throw can stop the process (http/edges.ts).
  catchHandlerThrows(server);
  // An error that escapes a request fails that request only (http/last-resort.ts).
  scopeRequests(server);
  server.pre(rejectBadPaths);
  // First of the per-route handlers: a write the instance has no room for is refused before its body is read.
  server.use(
    admitWrites(
      {
        concurrent: config.WRITE_CONCURRENCY,
        queued: config.WRITE_QUEUE,
        perTenant: config.WRITE_CONCURRENCY_PER_TENANT,
        perTenantQueued: config.WRITE_QUEUE_PER_TENANT,
        perTenantPerSecond: config.WRITE_RATE_PER_TENANT,
      },
      (req) => auth.tenantOf(req),
    ),
  );
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Bounded, decoded and refused in words (http/body.ts); restify's own reader could stop the process.
  server.use(readJsonBody);
  server.use(rejectDeepJson);
  server.on("after", (req: Request, res: Response) => {
    // Path only: query strings and headers can carry tokens.
    logger.info({ method: req.method, path: req.getPath(), status: res.statusCode, ms: Date.now() - req.time() }, "request");
  });
  server.on("restifyError", (req: Request, res: Response, err: Error, next: (e?: unknown) => void) => {
    sendProblem(logger, req, res, err);
    next(false);
  });
}

/** The routes, each with the use cases it calls; the dev routes with dev sign-in only; the bot; the tab last. */
function mountRoutes(server: Server, composed: Composition): void {
  const { config, logger, world, services, auth, devTokens, bot, firstFrame: drawer } = composed;
  const { accounts, forecasts, funding, paymentMethods, autoRecharge, usage, idempotency, outbox, licenses, directory, guard, rates, ledger } = services;
  mountHealth(server, world.store, logger);
  mountOpenApi(server, { dev: devTokens !== undefined }, logger);
  mountMe(server, { directory }, auth, composed.paymentLimits, logger);
  mountFirstFrame(server, { accounts, directory, unreachedEvents: services.unreachedEvents }, auth, composed.paymentLimits, devTokens ? "dev" : "teams", drawer, logger);
  mountAccount(
    server,
    { accounts, forecasts, funding, paymentMethods, autoRecharge, usage, idempotency, unreachedEvents: services.unreachedEvents, setTimeZone: services.setTimeZone },
    auth,
    logger,
  );
  mountLedger(server, { accounts, outbox }, auth, logger);
  mountLicenses(server, { licenses }, auth, logger);
  mountUsage(server, { usage, guard, rates, ledger, idempotency, groups: services.groups }, auth, logger);
  mountUsageExport(server, services.usageExport, auth, logger, services.usage);
  mountBudgets(server, services.departments, auth, logger);
  mountNotificationSettings(server, { notificationSettings: services.notificationSettingsView }, auth, logger);
  if (devTokens) {
    const byUpn = new Map(composed.tenants.flatMap((t) => t.users.map((u) => [u.upn.toLowerCase(), t.tenantId] as const)));
    // Dev sign-in runs only with APP_ENV=local (config.ts), so the local world is there to mount its routes.
    world.local.mountDevRoutes!(server, {
      directory,
      idempotency,
      usage,
      graphPoller: services.graphPoller,
      jobs: services.jobs,
      auth,
      devTokens,
      tenantIdForUpn: (upn) => byUpn.get(upn),
      logger,
      localGraph: composed.localGraph,
    });
  }
  server.post("/api/messages", async (req: Request, res: Response) => {
    // With BOT_ID the SDK verifies the Bot Framework token; without (APP_ENV=local only), only this machine may post.
    if (!config.BOT_ID) acceptBotActivity(req);
    // With BOT_ID, a request with no token is the SDK's to refuse (401) before its shape matters.
    if (!config.BOT_ID || req.headers.authorization) acceptActivityShape(req.body);
    await bot.handle(req, res);
  });

  mountStaticTab(server, composed.tabDist);
}

/**
 * The HTTP server over a composed app: edges, then the routes with the use cases each calls, the
 * bot, the tab (restify runs handlers in the order they are registered: guardEdges, then
 * mountRoutes); then listen and start the jobs.
 */
export async function serveApp(composed: Composition): Promise<App> {
  const { config, logger, world, services, devTokens, firstFrame: drawer } = composed;
  const journal = world.local.cosmos?.journal;
  const server = restify.createServer({ name: "communications-credits", handleUncaughtExceptions: false });
  guardEdges(server, composed);
  mountRoutes(server, composed);

  await new Promise<void>((ok) => server.listen(config.PORT, config.HOST, () => ok()));
  const { port } = server.address() as AddressInfo;

  services.jobs.start();
  const timers = startStoreUpkeep(composed);

  /** Background work this instance started: recharges, and the effects they post. */
  const settle = async () => {
    await services.ledger.settle();
    await services.autoRecharge.settle();
    await services.ledger.settle();
    await services.notifier.settle();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    server,
    services,
    world,
    logger,
    devTokens,
    graphPoller: services.graphPoller,
    settle,
    async close() {
      // Stop taking work: no new connection, no job round, no new delivery (the backlog stays in the outbox).
      services.jobs.stop();
      for (const t of timers) clearInterval(t);
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      // Requests in flight and the money work they started finish within the grace; whatever is
      // left (a paced notification backlog, a recharge mid-charge) is durable and resumes at the next start.
      const finished = await Promise.race([
        Promise.all([closed, settle()]).then(() => true),
        new Promise<false>((ok) => setTimeout(() => ok(false), config.SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (!finished) {
        const handedBack = await services.notifier.handBack();
        logger.warn({ graceMs: config.SHUTDOWN_GRACE_MS, handedBack }, "stopping with work left: the outbox and the recharge retries resume it at the next start");
      }
      server.server.closeAllConnections();
      await drawer.close();
      if (journal) await journal.snapshot(world.store);
      await world.close();
    },
  };
}

/** The embedded store's upkeep: a snapshot every SNAPSHOT_INTERVAL_MS keeps the journal short; retention at start, then hourly. */
function startStoreUpkeep(composed: Composition): NodeJS.Timeout[] {
  const { config, logger, world } = composed;
  const journal = world.local.cosmos?.journal;
  const timers: NodeJS.Timeout[] = [];
  if (journal && config.SNAPSHOT_INTERVAL_MS > 0) {
    // Every write is journaled already; a snapshot only keeps the journal short.
    timers.push(setInterval(() => void journal.snapshotIfDue(world.store).catch((err: unknown) => logger.error({ err }, "snapshot failed")), config.SNAPSHOT_INTERVAL_MS));
  }
  const localCosmos = world.local.cosmos;
  if (localCosmos) {
    // Retention on the embedded store (Cosmos DB's TTL in Azure): at start, then hourly.
    const sweep = () => void localCosmos.sweepExpired(world.store, config.USAGE_RETENTION_DAYS).catch((err: unknown) => logger.error({ err }, "retention sweep failed"));
    sweep();
    timers.push(setInterval(sweep, SWEEP_EVERY_MS));
  }
  for (const t of timers) t.unref();
  return timers;
}
