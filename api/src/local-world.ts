/**
 * What the app sees of the local world (APP_ENV=local): the interface local/index.ts implements,
 * described here, in production code, so that nothing outside local/ imports local/.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { DemoTenant, LocalFeedItemView, LocalMailView } from "@cc/common";
import type { Store } from "./store/cosmos.js";
import type { Installations } from "./notifications/installations.js";
import type { Directory } from "./directory/directory.js";
import type { IdempotencyService } from "./store/idempotency.js";
import type { Usage } from "./usage/usage.js";
import type { GraphPoller } from "./usage/graph-poller.js";
import type { Authorizer } from "./http/router.js";
import type { DevTokenIssuer } from "./auth/tokens.js";

/** The stand-ins started for what the configuration left unset, and what only the local world has. */
export interface LocalWorld {
  cosmos?: {
    endpoint: string;
    journal?: { recover(store: Store): Promise<{ documents: number; replayed: number }>; snapshot(store: Store): Promise<unknown>; snapshotIfDue(store: Store): Promise<number> };
    sweepExpired(store: Store, usageRetentionDays: number): Promise<unknown>;
  };
  sandbox?: { url: string };
  graph?: { url: string; ca: string };
  /** Without BOT_ID: the Bot Connector that holds the local chats (its URL, the bot's account in them). */
  botConnector?: { url: string; bot: { id: string; name: string } };
  /** /api/dev/* (dev sign-in only). */
  mountDevRoutes(server: Server, deps: DevRouteDeps): void;
  /** The demo admins already have the app, in chats held by the local Bot Connector (when it runs). */
  seedInstallations(installations: Installations, tenants: readonly DemoTenant[]): Promise<void>;
  close(): Promise<void>;
}

/** What the dev routes call: the use cases they stand in front of, and dev sign-in. */
export interface DevRouteDeps {
  directory: Directory;
  idempotency: IdempotencyService;
  usage: Pick<Usage, "simulateDebit">;
  graphPoller: Pick<GraphPoller, "pollTenant">;
  jobs: { runNow(): Promise<object> };
  auth: Authorizer;
  devTokens: DevTokenIssuer;
  tenantIdForUpn(upn: string): string | undefined;
  logger: Logger;
  /** A local Graph someone else started (tests): its outbox. */
  localGraph?: LocalGraphOutbox;
}

/** What a local Graph received, as GET /api/dev/graph-outbox shows it. */
export interface LocalGraphOutbox {
  mails(tenantId: string): LocalMailView[];
  feedItems(tenantId: string): LocalFeedItemView[];
}
