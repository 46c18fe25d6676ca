/**
 * The whole product on one port: API (/api/v1), bot (/api/messages), health and the built tab (/).
 * index.ts only starts it; tests start as many as they like on one shared world.
 */
import restify, { type Request, type Response, type Server } from "restify";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { DEMO_TENANTS, type DemoTenant } from "@cc/common";
import { createBot } from "@cc/bot";
import type { Config } from "./config.js";
import { openWorld, type World, type WorldOverrides } from "./world.js";
import { botDependencies, createServices, seedLocalInstallations, seedTenants, type Services } from "./wiring.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { DevTokenIssuer, entraVerifier, type TokenVerifier } from "./auth/tokens.js";
import { Authorizer, sendProblem } from "./http/router.js";
import { catchHandlerThrows, rejectBadPaths, rejectDeepJson } from "./http/edges.js";
import { RateLimits } from "./http/rate-limit.js";
import { admitWrites } from "./http/admission.js";
import { readJsonBody } from "./http/body.js";
import { scopeRequests } from "./http/last-resort.js";
import { acceptActivityShape, acceptBotActivity } from "./http/bot-guard.js";
import { mountAccount } from "./http/routes/account.js";
import { mountLedger } from "./http/routes/ledger.js";
import { mountLicenses } from "./http/routes/licenses.js";
import { mountUsage } from "./http/routes/usage.js";
import { mountUsageExport } from "./http/routes/usage-export.js";
import { mountBudgets } from "./http/routes/budgets.js";
import { mountDevUsage } from "./http/routes/dev-usage.js";
import type { GraphPoller } from "./usage/graph-poller.js";
import { mountDev } from "./http/routes/dev.js";
import { mountHealth } from "./http/routes/health.js";
import { mountMe } from "./http/routes/me.js";
import { firstFrameDrawer, mountFirstFrame } from "./http/routes/first-frame.js";
import { mountStaticTab } from "./http/static-tab.js";
import { MIN_PURCHASE_MICROS } from "./accounts/account.js";
import { mountNotificationSettings } from "./http/routes/notification-settings.js";
import { mountOpenApi } from "./http/routes/openapi.js";

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

export interface AppOptions extends WorldOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Tenants seeded into a fresh store (default: the demo directory). */
  tenants?: DemoTenant[];
}

const here = dirname(fileURLToPath(import.meta.url));

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL, redact: ["req.headers.authorization", "*.token", "*.card"] });
  const clock = options.clock ?? systemClock;
  const world = await openWorld(config, options);
  const journal = world.local.cosmos?.journal;
  const persist = journal !== undefined;
  if (journal) {
    const recovered = await journal.recover(world.store);
    if (recovered.documents + recovered.replayed > 0) logger.info({ ...recovered, dataDir: config.DATA_DIR }, "restored the local store (snapshot and journal)");
  }
  const services = createServices(world, config, clock, logger);
  const tenants = options.tenants ?? DEMO_TENANTS;
  if (config.SEED_DEMO) await seedTenants(services, tenants);

  let verifier: TokenVerifier;
  let devTokens: DevTokenIssuer | undefined;
  if (config.AUTH_MODE === "dev") {
    devTokens = await DevTokenIssuer.create(world.store.containers.state);
    verifier = devTokens.verifier;
  } else {
    verifier = entraVerifier({
      authority: config.ENTRA_AUTHORITY,
      clientId: config.ENTRA_CLIENT_ID ?? "",
      audience: config.ENTRA_AUDIENCE,
      allowedTenants: config.ENTRA_ALLOWED_TENANTS.split(",").map((t) => t.trim()).filter(Boolean),
    });
  }
  const limits = new RateLimits({
    tenantPerSecond: config.RATE_LIMIT_TENANT_PER_SECOND,
    tenantBurst: config.RATE_LIMIT_TENANT_BURST,
    userPerSecond: config.RATE_LIMIT_USER_PER_SECOND,
    userBurst: config.RATE_LIMIT_USER_BURST,
  });
  const auth = new Authorizer(verifier, services.directory, limits);

  const server = restify.createServer({ name: "communications-credits", handleUncaughtExceptions: false });
  // Before anything else is registered: no handler's throw can stop the process (http/edges.ts).
  catchHandlerThrows(server);
  // An error that escapes a request fails that request only (http/last-resort.ts).
  scopeRequests(server);
  server.pre(rejectBadPaths);
  // First of the per-route handlers: a write the instance has no room for is refused before its body is read.
  server.use(
    admitWrites(
      { concurrent: config.WRITE_CONCURRENCY, queued: config.WRITE_QUEUE, perTenant: config.WRITE_CONCURRENCY_PER_TENANT, perTenantQueued: config.WRITE_QUEUE_PER_TENANT, perTenantPerSecond: config.WRITE_RATE_PER_TENANT },
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

  mountHealth(server, world.store, logger);
  mountOpenApi(server, { dev: devTokens !== undefined }, logger);
  const paymentLimits = { minPaymentMicros: MIN_PURCHASE_MICROS, maxPaymentMicros: config.MAX_CHARGE_MICROS };
  const tabDist = config.TAB_DIST ?? resolve(here, "../../tab/dist");
  mountMe(server, services, auth, paymentLimits, logger);
  const drawer = firstFrameDrawer(resolve(tabDist, "../dist-server/render.js"), logger);
  mountFirstFrame(server, services, auth, paymentLimits, devTokens ? "dev" : "teams", drawer, logger);
  mountAccount(server, services, auth, logger);
  mountLedger(server, services, auth, logger);
  mountLicenses(server, services, auth, logger);
  mountUsage(server, services, auth, logger);
  mountUsageExport(server, services.usageExport, auth, logger, services.usage);
  mountBudgets(server, services.departments, auth, logger);
  mountNotificationSettings(server, services, auth, logger);
  if (devTokens) {
    const byUpn = new Map(tenants.flatMap((t) => t.users.map((u) => [u.upn.toLowerCase(), t.tenantId] as const)));
    mountDev(server, services, auth, devTokens, { tenantIdForUpn: (upn) => byUpn.get(upn) }, logger, world.local.botConnector);
    mountDevUsage(server, services.graphPoller, auth, logger);
  }

  const bot = createBot(
    { appId: config.BOT_ID, appPassword: config.BOT_PASSWORD, appTenantId: config.BOT_TENANT_ID, appType: config.BOT_TYPE },
    botDependencies(services, logger),
  );
  const localConnector = world.local.botConnector;
  services.attachMessenger(bot.messenger, {
    // Without a conversation in the tenant yet: Teams' endpoint and the bot's Teams account (28:<app id>), or the local connector's.
    defaultNewChat: localConnector ? { serviceUrl: localConnector.url, bot: localConnector.bot } : { serviceUrl: config.BOT_SERVICE_URL, bot: { id: `28:${config.BOT_ID}` } },
    catalogAppId: config.TEAMS_APP_ID,
    tabUrl: `https://teams.microsoft.com/l/entity/${config.TEAMS_APP_ID}/credits`,
  });
  // The local world: demo admins already have the app, in chats held by the local Bot Connector.
  if (config.SEED_DEMO && localConnector) await seedLocalInstallations(services, tenants, localConnector);
  server.post("/api/messages", async (req: Request, res: Response) => {
    // With BOT_ID the SDK verifies the Bot Framework token; without (APP_ENV=local only), only this machine may post.
    if (!config.BOT_ID) acceptBotActivity(req);
    // With BOT_ID, a request with no token is the SDK's to refuse (401) before its shape matters.
    if (!config.BOT_ID || req.headers.authorization) acceptActivityShape(req.body);
    await bot.handle(req, res);
  });

  mountStaticTab(server, tabDist);

  await new Promise<void>((ok) => server.listen(config.PORT, config.HOST, () => ok()));
  const { port } = server.address() as AddressInfo;

  services.jobs.start();
  const timers: NodeJS.Timeout[] = [];
  if (journal && config.SNAPSHOT_INTERVAL_MS > 0) {
    // Every write is journaled already; a snapshot only keeps the journal short.
    timers.push(setInterval(() => void journal.snapshot(world.store).catch((err) => logger.error({ err }, "snapshot failed")), config.SNAPSHOT_INTERVAL_MS));
  }
  for (const t of timers) t.unref();

  /** Background work this instance started: recharges, and the effects they post. */
  const settle = async () => {
    await services.ledger.settle();
    await services.autoRecharge.settle();
    await services.ledger.settle();
    await services.notifier?.settle();
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
        const handedBack = (await services.notifier?.handBack()) ?? 0;
        logger.warn({ graceMs: config.SHUTDOWN_GRACE_MS, handedBack }, "stopping with work left: the outbox and the recharge retries resume it at the next start");
      }
      server.server.closeAllConnections();
      await drawer.close();
      if (journal) await journal.snapshot(world.store);
      await world.close();
    },
  };
}
