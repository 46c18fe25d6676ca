/**
 * The whole product on one port: API (/api/v1), bot (/api/messages), health and the built tab (/).
 * index.ts only starts it; tests start as many as they like on one shared world.
 */
import restify, { type Server } from "restify";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { DEMO_TENANTS, hasPermission, type DemoTenant } from "@cc/common";
import { createBot } from "@cc/bot";
import type { Config } from "./config.js";
import { openWorld, type World, type WorldOverrides } from "./world.js";
import { createServices, type Services } from "./services/index.js";
import { systemClock, type Clock } from "./services/clock.js";
import { DevTokenIssuer, entraVerifier, type TokenVerifier } from "./auth/tokens.js";
import { Authorizer, sendProblem } from "./http/router.js";
import { mountAccount } from "./http/routes/account.js";
import { mountLedger } from "./http/routes/ledger.js";
import { mountLicenses } from "./http/routes/licenses.js";
import { mountUsage } from "./http/routes/usage.js";
import { mountUsageExport } from "./http/routes/usage-export.js";
import { mountDevUsage } from "./http/routes/dev-usage.js";
import { GraphPoller, GRAPH_POLL_EVERY_MS } from "./services/graph-poller.js";
import { UsageExport } from "./services/usage-export.js";
import { mountDev } from "./http/routes/dev.js";
import { mountHealth } from "./http/routes/health.js";
import { mountMe } from "./http/routes/me.js";
import { mountStaticTab } from "./http/static-tab.js";
import { MIN_PURCHASE_MICROS } from "./domain/account.js";
import { restoreSnapshot, saveSnapshot } from "./store/local-server.js";

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
  const persist = world.local.cosmos !== undefined;
  if (persist) {
    const restored = await restoreSnapshot(world.store, config.DATA_DIR);
    if (restored > 0) logger.info({ documents: restored, dataDir: config.DATA_DIR }, "restored the local store's snapshot");
  }
  const services = createServices(world, config, clock, logger);
  const tenants = options.tenants ?? DEMO_TENANTS;
  if (config.SEED_DEMO) await seedTenants(services, tenants);

  let verifier: TokenVerifier;
  let devTokens: DevTokenIssuer | undefined;
  if (config.AUTH_MODE === "dev") {
    devTokens = await DevTokenIssuer.create(persist ? config.DATA_DIR : undefined);
    verifier = devTokens.verifier;
  } else {
    verifier = entraVerifier({
      authority: config.ENTRA_AUTHORITY,
      clientId: config.ENTRA_CLIENT_ID ?? "",
      audience: config.ENTRA_AUDIENCE,
      allowedTenants: config.ENTRA_ALLOWED_TENANTS.split(",").map((t) => t.trim()).filter(Boolean),
    });
  }
  const auth = new Authorizer(verifier, services.directory);
  const graphPoller = new GraphPoller(world.store, world.graph, services.usage, clock, logger);

  const server = restify.createServer({ name: "communications-credits", handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // 5 MiB: a full usage batch (1,000 call records) with room to spare; larger bodies get 413.
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, maxBodySize: 5 * 1024 * 1024 } as restify.plugins.BodyParserOptions));
  server.on("after", (req: restify.Request, res: restify.Response) => {
    // Path only: query strings and headers can carry tokens.
    logger.info({ method: req.method, path: req.getPath(), status: res.statusCode, ms: Date.now() - req.time() }, "request");
  });
  server.on("restifyError", (req: restify.Request, res: restify.Response, err: Error, next: (e?: unknown) => void) => {
    sendProblem(logger, req, res, err);
    next(false);
  });

  mountHealth(server, world.store, logger);
  mountMe(server, services, auth, { minPaymentMicros: MIN_PURCHASE_MICROS, maxPaymentMicros: config.MAX_CHARGE_MICROS }, logger);
  mountAccount(server, services, auth, logger);
  mountLedger(server, services, auth, logger);
  mountLicenses(server, services, auth, logger);
  mountUsage(server, services, auth, logger);
  mountUsageExport(server, new UsageExport(world.store, services.rates, clock), auth, logger);
  if (devTokens) {
    const byUpn = new Map(tenants.flatMap((t) => t.users.map((u) => [u.upn.toLowerCase(), t.tenantId] as const)));
    mountDev(server, services, auth, devTokens, { tenantIdForUpn: (upn) => byUpn.get(upn) }, logger, world.local.botConnector);
    mountDevUsage(server, graphPoller, auth, logger);
  }

  const bot = createBot(
    { appId: config.BOT_ID, appPassword: config.BOT_PASSWORD, appTenantId: config.BOT_TENANT_ID, appType: config.BOT_TYPE },
    {
      getAccountSummary: async (tenantId, userId) => {
        const user = (await services.directory.users(tenantId)).find((u) => u.id === userId);
        return user && hasPermission(user.roles, "read") ? services.accounts.view(tenantId) : null;
      },
      saveConversationReference: async (tenantId, key, reference) => {
        await world.store.containers.conversations.items.upsert({ id: key, tenantId, reference, savedAt: clock.now().toISOString() });
      },
      logger,
    },
  );
  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    await bot.handle(req, res);
  });

  mountStaticTab(server, config.TAB_DIST ?? resolve(here, "../../tab/dist"));

  await new Promise<void>((ok) => server.listen(config.PORT, config.HOST, () => ok()));
  const { port } = server.address() as AddressInfo;

  const timers: NodeJS.Timeout[] = [];
  if (config.JOBS_INTERVAL_MS > 0) {
    timers.push(setInterval(() => {
      services.autoRecharge
        .retryDue()
        .then(() => services.accounts.applyExpiryEverywhere())
        .then(() => services.usage.ingestor.recoverStaleEverywhere())
        .catch((err) => logger.error({ err }, "background job failed"));
    }, config.JOBS_INTERVAL_MS));
    // Graph publishes call records late, so the poller runs less often than the other jobs.
    timers.push(setInterval(() => {
      graphPoller.pollAll().catch((err) => logger.error({ err }, "graph poller sweep failed"));
    }, Math.max(config.JOBS_INTERVAL_MS, GRAPH_POLL_EVERY_MS)));
  }
  if (persist && config.SNAPSHOT_INTERVAL_MS > 0) {
    timers.push(setInterval(() => void saveSnapshot(world.store, config.DATA_DIR).catch((err) => logger.error({ err }, "snapshot failed")), config.SNAPSHOT_INTERVAL_MS));
  }
  for (const t of timers) t.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    server,
    services,
    world,
    logger,
    devTokens,
    graphPoller,
    settle: () => services.autoRecharge.settle(),
    async close() {
      for (const t of timers) clearInterval(t);
      await services.autoRecharge.settle();
      await new Promise<void>((ok) => server.close(() => ok()));
      if (persist) await saveSnapshot(world.store, config.DATA_DIR);
      await world.close();
    },
  };
}

async function seedTenants(services: Services, tenants: DemoTenant[]): Promise<void> {
  for (const tenant of tenants) {
    const created = await services.accounts.ensure(tenant);
    if (created) await services.licenses.seed(tenant.tenantId, tenant.users.filter((u) => u.licensed).map((u) => u.id));
  }
}
