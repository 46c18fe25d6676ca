/**
 * The Communications Credits bot. Wiring only: the routes (routes.ts) are SDK-free, the Teams SDK
 * lives in teams/, cards are JSON templates in cards/. The API server hosts it:
 *
 *   const connection = connectBot(config, logger);           // the adapter, first
 *   notifier = new Notifier(..., connection.messenger);
 *   const bot = createBot(connection, deps);                  // deps may use the notifier
 *   server.post("/api/messages", (req, res) => bot.handle(req, res));
 */
import { createRoutes } from "./routes.js";
import { connectTeams, type BotConnection, type TeamsHost } from "./teams/adapter.js";
import type { BotConfig, BotDeps, BotLogger } from "./types.js";

export type * from "./types.js";
export { ConnectorError, isWholeReference } from "./types.js";
export { BOT_COMMANDS, BOT_COMMAND_NAMES, commandWords, type BotCommand } from "./commands.js";
export * from "./cards/template.js";
export * from "./cards/balance-card.js";
export * from "./cards/notification-card.js";
export * from "./cards/confirm-card.js";
export * from "./cards/usage-card.js";
export { localeOf } from "./cards/words.js";

export type { BotConnection, TeamsHost } from "./teams/adapter.js";

/** The Bot Connector adapter and its proactive messenger, built before anything that sends. */
export function connectBot(config: BotConfig, logger: BotLogger): BotConnection {
  return connectTeams(config, logger);
}

/** The bot's routes on a connection: what answers /api/messages. */
export function createBot(connection: BotConnection, deps: BotDeps): TeamsHost {
  return connection.host(createRoutes(deps));
}
