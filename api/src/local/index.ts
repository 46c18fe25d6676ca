/**
 * The local world's one entry (APP_ENV=local only): the embedded stand-in for every edge the
 * configuration left unset — the Cosmos-compatible store with its journal, the sandbox card
 * processor, the local Graph directory, the local Bot Connector — plus what only that world has
 * (the /api/dev/* routes, the demo admins' chats). world.ts loads this module with a dynamic import
 * when APP_ENV=local, so the production entry point never reaches it (test/deploy/production-bundle.test.ts).
 */
import type { Config } from "../config.js";
import type { LocalWorld } from "../local-world.js";
import { startLocalCosmos, type LocalCosmos } from "./store/local-server.js";
import { startSandboxProcessor, type SandboxProcessor } from "./payments/sandbox-server.js";
import { startLocalGraph, type LocalGraph } from "./directory/local-graph-server.js";
import { startLocalBotConnector, type LocalBotConnector } from "./bot/local-bot-connector.js";
import { mountDev } from "./http/dev.js";
import { mountDevUsage } from "./http/dev-usage.js";
import { seedLocalInstallations } from "./seed-installations.js";

/** The stand-ins this process started (and must stop), with their local-only controls (tests use them). */
export interface EmbeddedWorld extends LocalWorld {
  cosmos?: LocalCosmos;
  sandbox?: SandboxProcessor;
  graph?: LocalGraph;
  botConnector?: LocalBotConnector;
}

export async function openLocalWorld(config: Config): Promise<EmbeddedWorld> {
  const opened: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of opened.reverse()) await stop().catch(() => undefined);
  };
  try {
    const world: EmbeddedWorld = {
      mountDevRoutes(server, deps) {
        mountDev(server, deps, world.botConnector);
        mountDevUsage(server, deps.graphPoller, deps.auth, deps.logger);
      },
      async seedInstallations(installations, tenants) {
        if (world.botConnector) await seedLocalInstallations(installations, tenants, world.botConnector);
      },
      close,
    };
    if (!config.COSMOS_ENDPOINT) {
      world.cosmos = await startLocalCosmos(0, { dataDir: config.DATA_DIR });
      opened.push(world.cosmos.close);
    }
    if (!config.PROCESSOR_URL) {
      world.sandbox = await startSandboxProcessor(0, { dataDir: config.DATA_DIR });
      opened.push(world.sandbox.close);
    }
    if (!config.GRAPH_BASE_URL) {
      world.graph = await startLocalGraph();
      opened.push(world.graph.close);
    }
    // Without a bot registration, messages go to a local Bot Connector that records them (dev view in the tab).
    if (!config.BOT_ID) {
      world.botConnector = await startLocalBotConnector();
      opened.push(world.botConnector.close);
    }
    return world;
  } catch (error) {
    await close();
    throw error;
  }
}
