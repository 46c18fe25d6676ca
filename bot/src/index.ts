/**
 * The Communications Credits bot. Wiring only: the routes (routes.ts) are SDK-free, the Teams SDK
 * lives in teams/adapter.ts, cards are JSON templates in cards/. The API server hosts it:
 *
 *   const bot = createBot(config, deps);
 *   server.post("/api/messages", (req, res) => bot.handle(req, res));
 */
import { createRoutes } from "./routes.js";
import { createTeamsHost } from "./teams/adapter.js";
import type { BotConfig, BotDeps } from "./types.js";

export type { BotConfig, BotDeps, BotLogger } from "./types.js";
export { renderBalanceCard, balanceCardData } from "./cards/index.js";

export function createBot(config: BotConfig, deps: BotDeps): { handle(req: unknown, res: unknown): Promise<void> } {
  return createTeamsHost(config, createRoutes(deps), deps.logger);
}
export { BOT_COMMANDS, BOT_COMMAND_NAMES, type BotCommand, type BotCommandName } from "./commands.js";
