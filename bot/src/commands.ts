/**
 * The bot's chat commands, one list. The routes are registered from it (routes.ts: one handler per
 * `handler`), `help` is written from it, and the Teams manifest's `commandLists` (appPackage/
 * manifest.json and its en-US/fr-FR localisation files) must list exactly these names and
 * descriptions: test/deploy/app-package.test.ts compares them. `adminOnly` commands are refused
 * politely to people outside the API's admin roles and not offered to them in `help`.
 * Teams shows at most 10 commands per list; titles at most 32 characters, descriptions 128.
 */
export type CommandScope = "personal" | "team" | "groupChat";

/** The handlers behind the commands. */
export type CommandName = "balance" | "usage" | "top up" | "auto-recharge" | "notify" | "help";

export interface BotCommand {
  /** What the user types, as the manifest's command title. */
  name: string;
  /** How help shows it, with its arguments. */
  title: { en: string; fr: string };
  description: { en: string; fr: string };
  scopes: CommandScope[];
  adminOnly: boolean;
  handler: CommandName;
}

const everywhere: CommandScope[] = ["personal", "team", "groupChat"];

export const BOT_COMMANDS: readonly BotCommand[] = [
  {
    name: "balance",
    title: { en: "balance", fr: "balance" },
    description: { en: "Show the Communications Credits balance and auto-recharge settings", fr: "Afficher le solde de Communications Credits et la recharge automatique" },
    scopes: everywhere,
    adminOnly: true,
    handler: "balance",
  },
  {
    name: "usage",
    title: { en: "usage [7d|30d|month]", fr: "usage [7d|30d|month]" },
    description: { en: "Summarise PSTN spend, minutes, top destinations and call types", fr: "Résumer la dépense RTC, les minutes, les principales destinations et les types d'appel" },
    scopes: everywhere,
    adminOnly: true,
    handler: "usage",
  },
  {
    name: "top up",
    title: { en: "top up <amount>", fr: "top up <montant>" },
    description: { en: "Add funds to the balance with the card on file", fr: "Ajouter des fonds au solde avec la carte enregistrée" },
    scopes: everywhere,
    adminOnly: true,
    handler: "top up",
  },
  {
    name: "auto-recharge",
    title: { en: "auto-recharge on <amount> below <threshold> | off", fr: "auto-recharge on <montant> below <seuil> | off" },
    description: { en: "Turn auto-recharge on with an amount and a threshold, or off", fr: "Activer la recharge automatique avec un montant et un seuil, ou la désactiver" },
    scopes: everywhere,
    adminOnly: true,
    handler: "auto-recharge",
  },
  {
    name: "notify here",
    title: { en: "notify here", fr: "notify here" },
    description: { en: "Send balance and recharge notifications to this channel too", fr: "Envoyer aussi les notifications de solde et de recharge dans ce canal" },
    scopes: ["team"],
    adminOnly: true,
    handler: "notify",
  },
  {
    name: "notify stop",
    title: { en: "notify stop", fr: "notify stop" },
    description: { en: "Stop notifications in this channel", fr: "Arrêter les notifications dans ce canal" },
    scopes: ["team"],
    adminOnly: true,
    handler: "notify",
  },
  {
    name: "help",
    title: { en: "help", fr: "help" },
    description: { en: "What this bot can do", fr: "Ce que ce bot sait faire" },
    scopes: everywhere,
    adminOnly: false,
    handler: "help",
  },
];

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
