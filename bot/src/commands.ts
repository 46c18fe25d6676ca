/**
 * The bot's chat commands, one list. The routes are registered from it (routes.ts: one handler per
 * `handler`), `help` is written from it, and the Teams manifest's `commandLists` (appPackage/
 * manifest.json and its en-US/fr-FR localisation files) must list exactly these names and
 * descriptions: test/deploy/app-package.test.ts compares them. `adminOnly` commands are refused
 * politely to people outside the API's admin roles and not offered to them in `help`.
 * Teams shows at most 10 commands per list; titles at most 32 characters, descriptions 128.
 */
import { t } from "@cc/common";

export type CommandScope = "personal" | "team" | "groupChat";

/** The handlers behind the commands. */
export type CommandName = "balance" | "usage" | "top up" | "auto-recharge" | "notify" | "help";

export interface BotCommand {
  /** What the user types, as the manifest's command title. */
  name: string;
  /** Its words in the catalog: bot.command.<words>.title (how help shows it, with its arguments) and .description. */
  words: "balance" | "usage" | "topUp" | "autoRecharge" | "notifyHere" | "notifyStop" | "help";
  scopes: CommandScope[];
  adminOnly: boolean;
  handler: CommandName;
}

const everywhere: CommandScope[] = ["personal", "team", "groupChat"];

export const BOT_COMMANDS: readonly BotCommand[] = [
  {
    name: "balance",
    words: "balance",
    scopes: everywhere,
    adminOnly: true,
    handler: "balance",
  },
  {
    name: "usage",
    words: "usage",
    scopes: everywhere,
    adminOnly: true,
    handler: "usage",
  },
  {
    name: "top up",
    words: "topUp",
    scopes: everywhere,
    adminOnly: true,
    handler: "top up",
  },
  {
    name: "auto-recharge",
    words: "autoRecharge",
    scopes: everywhere,
    adminOnly: true,
    handler: "auto-recharge",
  },
  {
    name: "notify here",
    words: "notifyHere",
    scopes: ["team"],
    adminOnly: true,
    handler: "notify",
  },
  {
    name: "notify stop",
    words: "notifyStop",
    scopes: ["team"],
    adminOnly: true,
    handler: "notify",
  },
  {
    name: "help",
    words: "help",
    scopes: everywhere,
    adminOnly: false,
    handler: "help",
  },
];

/** A command's title and description in the reader's language (the manifest's localisation files say the same). */
export function commandWords(command: BotCommand, locale: string): { title: string; description: string } {
  return { title: t(locale, `bot.command.${command.words}.title`), description: t(locale, `bot.command.${command.words}.description`) };
}

export const BOT_COMMAND_NAMES: readonly string[] = BOT_COMMANDS.map((c) => c.name);

/** How each handler's command is recognised in a message (the bot's @mention already removed). */
export const COMMAND_PATTERNS: Record<CommandName, RegExp> = {
  balance: /^\s*balance\s*$/i,
  usage: /^\s*usage(?:\s+(\S+))?\s*$/i,
  "top up": /^\s*top[\s-]?up(?:\s+(.*))?$/i,
  "auto-recharge": /^\s*auto[\s-]?recharge(?:\s+(.*))?$/i,
  notify: /^\s*notify(?:\s+(.*))?$/i,
  help: /^\s*help\b/i,
};
