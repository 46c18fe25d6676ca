/**
 * The edges of the world the app talks to — store, card processor, directory — either the real
 * services (from configuration) or the embedded local ones that `npm start` and the tests run.
 */
import { ClientSecretCredential } from "@azure/identity";
import { DEMO_INSTALL_REFUSED } from "@cc/common";
import type { Config } from "./config.js";
import { openStore, type Store } from "./store/cosmos.js";
import { startLocalCosmos, type LocalCosmos } from "./store/local-server.js";
import { startSandboxProcessor, type SandboxProcessor } from "./payments/sandbox-server.js";
import { HttpCardProcessor } from "./payments/http-processor.js";
import type { CardProcessor } from "./payments/processor.js";
import { startLocalGraph, LOCAL_GRAPH_TOKEN_PREFIX, type LocalGraph } from "./directory/local-graph-server.js";
import { startLocalBotConnector, type LocalBotConnector } from "./dev/local-bot-connector.js";
import { graphClientFactory, type GraphClientFactory } from "./directory/graph-directory.js";

export interface World {
  store: Store;
  processor: CardProcessor;
  graph: GraphClientFactory;
  /** The embedded pieces this process started (and must stop), if any. */
  local: { cosmos?: LocalCosmos; sandbox?: SandboxProcessor; graph?: LocalGraph; botConnector?: LocalBotConnector };
  close(): Promise<void>;
}

export interface WorldOverrides {
  /** Trust this CA for GRAPH_BASE_URL (a local directory started by someone else, e.g. a test). */
  graphCa?: string;
  /** That local directory itself, so the dev routes can show what it received (mails, feed items). */
  localGraph?: LocalGraph;
}

/**
 * A missing endpoint is filled by its embedded stand-in only with APP_ENV=local (config.ts refuses
 * the other combinations; this is the second lock on the same door).
 */
function embedded(config: Config, what: string): void {
  if (config.APP_ENV !== "local") throw new Error(`${what} is not configured and the embedded one runs only with APP_ENV=local`);
}

export async function openWorld(config: Config, overrides: WorldOverrides = {}): Promise<World> {
  const local: World["local"] = {};
  const opened: (() => Promise<void>)[] = [];
  try {
    let endpoint = config.COSMOS_ENDPOINT;
    if (!endpoint) {
      embedded(config, "COSMOS_ENDPOINT");
      local.cosmos = await startLocalCosmos(0, { dataDir: config.DATA_DIR });
      opened.push(local.cosmos.close);
      endpoint = local.cosmos.endpoint;
    }
    const store = await openStore({ endpoint, key: config.COSMOS_KEY, database: config.COSMOS_DATABASE, local: endpoint.startsWith("http://") });
    opened.push(async () => store.client.dispose());

    let processorUrl = config.PROCESSOR_URL;
    if (!processorUrl) {
      embedded(config, "PROCESSOR_URL");
      local.sandbox = await startSandboxProcessor(0, { dataDir: config.DATA_DIR });
      opened.push(local.sandbox.close);
      processorUrl = local.sandbox.url;
    }
    const processor = new HttpCardProcessor(processorUrl, config.PROCESSOR_SECRET_KEY);

    let graphUrl = config.GRAPH_BASE_URL;
    let graphCa = overrides.graphCa;
    if (!graphUrl) {
      embedded(config, "GRAPH_BASE_URL");
      // The demo tenant's app policy refuses the app for one admin (DEMO_INSTALL_REFUSED): `npm start` shows the e-mail path.
      local.graph = await startLocalGraph({ refusedInstalls: DEMO_INSTALL_REFUSED });
      opened.push(local.graph.close);
      graphUrl = local.graph.url;
      graphCa = local.graph.ca;
    }
    const graph = graphClientFactory({ baseUrl: graphUrl, ca: graphCa, tokenFor: graphTokens(config) });

    // Without a bot registration, messages go to a local Bot Connector that records them (dev view in the tab).
    if (!config.BOT_ID) {
      embedded(config, "BOT_ID");
      local.botConnector = await startLocalBotConnector();
      opened.push(local.botConnector.close);
    }

    return {
      store,
      processor,
      graph,
      local,
      close: async () => {
        for (const close of opened.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/** App-only Graph tokens per tenant with client credentials; the local directory takes a plain tenant token. */
function graphTokens(config: Config): (tenantId: string) => Promise<string> {
  const { GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: secret } = config;
  if (!clientId || !secret) return async (tenantId) => `${LOCAL_GRAPH_TOKEN_PREFIX}${tenantId}`;
  const credentials = new Map<string, ClientSecretCredential>();
  return async (tenantId) => {
    let credential = credentials.get(tenantId);
    if (!credential) credentials.set(tenantId, (credential = new ClientSecretCredential(tenantId, clientId, secret)));
    const token = await credential.getToken("https://graph.microsoft.com/.default");
    return token.token;
  };
}
