/**
 * The Communications Credits bot. Wiring only: the routes (routes.ts) are SDK-free, the Teams SDK
 * lives in teams/, cards are JSON templates in cards/. The API server hosts it:
 *
 *   const bot = createBot(config, deps);
 *   server.post("/api/messages", (req, res) => bot.handle(req, res));
 *   notifier = new Notifier(..., bot.messenger);
 */
import { createRoutes } from "./routes.js";
import { createTeamsHost, type TeamsHost } from "./teams/adapter.js";
import type { BotConfig, BotDeps } from "./types.js";

export type * from "./types.js";
export { ConnectorError, isWholeReference } from "./types.js";
export { BOT_COMMANDS, BOT_COMMAND_NAMES, commandWords, type BotCommand } from "./commands.js";
export * from "./cards/index.js";
export { localeOf } from "./cards/words.js";

export function createBot(config: BotConfig, deps: BotDeps): TeamsHost {
  return createTeamsHost(config, createRoutes(deps), deps.logger);
}
