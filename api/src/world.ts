/**
 * The edges of the world the app talks to — store, card processor, directory — either the real
 * services (from configuration) or the embedded local ones that `npm start` and the tests run.
 * The embedded ones live in local/ and are loaded here, with a dynamic import, only when
 * APP_ENV=local: the production entry point never reaches them (test/deploy/production-bundle.test.ts).
 */
import { ClientSecretCredential } from "@azure/identity";
import type { Config } from "./config.js";
import { openStore, type Store } from "./store/cosmos.js";
import { graphClientFactory, LOCAL_GRAPH_TOKEN_PREFIX, type GraphClientFactory } from "./directory/graph-directory.js";
import { HttpCardProcessor } from "./payments/http-processor.js";
import type { CardProcessor } from "./payments/processor.js";
import type { LocalGraphOutbox, LocalWorld } from "./local-world.js";

export interface World {
  store: Store;
  processor: CardProcessor;
  graph: GraphClientFactory;
  /** The embedded world (APP_ENV=local): what it started, and what only it has. Empty in the cloud. */
  local: Partial<LocalWorld>;
  close(): Promise<void>;
}

export interface WorldOverrides {
  /** Trust this CA for GRAPH_BASE_URL (a local directory started by someone else, e.g. a test). */
  graphCa?: string;
  /** That local directory itself, so the dev routes can show what it received (mails, feed items). */
  localGraph?: LocalGraphOutbox;
}

/**
 * A missing endpoint is filled by its embedded stand-in only with APP_ENV=local (config.ts refuses
 * the other combinations; this is the second lock on the same door).
 */
function embedded(config: Config, what: string): never {
  throw new Error(
    config.APP_ENV === "local" ? `${what} is not configured and no embedded one was started` : `${what} is not configured and the embedded one runs only with APP_ENV=local`,
  );
}

export async function openWorld(config: Config, overrides: WorldOverrides = {}): Promise<World> {
  const local: Partial<LocalWorld> = {};
  const opened: (() => Promise<void>)[] = [];
  try {
    if (config.APP_ENV === "local") {
      const { openLocalWorld } = await import("./local/index.js");
      const started: LocalWorld = await openLocalWorld(config);
      opened.push(started.close);
      Object.assign(local, started);
    }
    const endpoint = config.COSMOS_ENDPOINT ?? local.cosmos?.endpoint ?? embedded(config, "COSMOS_ENDPOINT");
    const store = await openStore({ endpoint, key: config.COSMOS_KEY, database: config.COSMOS_DATABASE, local: endpoint.startsWith("http://") });
    opened.push(async () => store.client.dispose());

    const processorUrl = config.PROCESSOR_URL ?? local.sandbox?.url ?? embedded(config, "PROCESSOR_URL");
    const processor = new HttpCardProcessor(processorUrl, config.PROCESSOR_SECRET_KEY);

    const graphUrl = config.GRAPH_BASE_URL ?? local.graph?.url ?? embedded(config, "GRAPH_BASE_URL");
    const graphCa = config.GRAPH_BASE_URL ? overrides.graphCa : local.graph?.ca;
    const graph = graphClientFactory({ baseUrl: graphUrl, ca: graphCa, tokenFor: graphTokens(config) });
    if (!config.BOT_ID && !local.botConnector) embedded(config, "BOT_ID");

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
