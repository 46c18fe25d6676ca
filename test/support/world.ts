/**
 * A test world: the real local Cosmos-compatible server, the sandbox card processor and the local
 * Graph directory, each on a port of 127.0.0.1, shared by any number of app instances — as two
 * API instances share one Cosmos account in production.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { DEMO_TENANTS, type DemoTenant } from "@cc/common";
import { loadConfig, type Config } from "../../api/src/config.js";
import { createApp, type App } from "../../api/src/app.js";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";
import { startSandboxProcessor, type SandboxProcessor } from "../../api/src/local/payments/sandbox-server.js";
import { startLocalGraph, type LocalGraph } from "../../api/src/local/directory/local-graph-server.js";
import type { Clock } from "../../api/src/shared/clock.js";
import type { LocalBotConnector } from "../../api/src/local/bot/local-bot-connector.js";

export interface TestWorld {
  cosmos: LocalCosmos;
  sandbox: SandboxProcessor;
  graph: LocalGraph;
  tenants: DemoTenant[];
  /** Start an app instance on this world (a fresh database per world, shared by its instances). */
  app(options?: { clock?: Clock; config?: Partial<Config> }): Promise<App>;
  close(): Promise<void>;
}

/** `dataDir`: the store journals its writes there (its journal is started by `cosmos.journal.recover`). */
export async function startWorld(options: { tenants?: DemoTenant[]; dataDir?: string } = {}): Promise<TestWorld> {
  const tenants = options.tenants ?? DEMO_TENANTS;
  const [cosmos, sandbox, graph] = await Promise.all([startLocalCosmos(0, { dataDir: options.dataDir }), startSandboxProcessor(), startLocalGraph({ tenants })]);
  const database = `test-${randomUUID()}`;
  const apps: App[] = [];
  return {
    cosmos,
    sandbox,
    graph,
    tenants,
    async app(opts = {}) {
      const config = loadConfig(
        {
          APP_ENV: "local",
          PORT: "0",
          HOST: "127.0.0.1",
          COSMOS_ENDPOINT: cosmos.endpoint,
          COSMOS_DATABASE: database,
          PROCESSOR_URL: sandbox.url,
          GRAPH_BASE_URL: graph.url,
          JOBS_INTERVAL_MS: "0",
          LOG_LEVEL: "silent",
        },
        opts.config,
      );
      const app = await createApp(config, { graphCa: graph.ca, clock: opts.clock, tenants, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await Promise.all([cosmos.close(), sandbox.close(), graph.close()]);
    },
  };
}

/**
 * The local Bot Connector an app started (APP_ENV=local without BOT_ID), with its test controls:
 * the app sees it through the narrow LocalWorld interface only, the local world built the whole one.
 */
export function localBotConnector(app: App): LocalBotConnector {
  const connector = app.world.local.botConnector;
  if (!connector) throw new Error("this app runs no local Bot Connector (BOT_ID is set)");
  return connector as LocalBotConnector;
}
