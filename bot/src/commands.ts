/**
 * The bot's chat commands, one list: the routes are registered from it and the app manifest's
 * `commandLists` is written from the same names (appPackage/). `adminOnly` commands are refused
 * politely to people outside the API's admin roles and not offered to them in `help`.
 */
export type CommandScope = "personal" | "team" | "groupChat";

export interface BotCommand {
  name: string;
  title: { en: string; fr: string };
  description: { en: string; fr: string };
  scopes: CommandScope[];
  adminOnly: boolean;
}

export const BOT_COMMANDS: BotCommand[] = [
  { name: "balance", title: { en: "balance", fr: "balance" }, description: { en: "The Communications Credits balance and auto-recharge", fr: "Le solde des crédits de communication et la recharge automatique" }, scopes: ["personal", "team", "groupChat"], adminOnly: true },
  { name: "usage", title: { en: "usage [7d|30d|month]", fr: "usage [7d|30d|month]" }, description: { en: "Spend, minutes, top destinations and call types", fr: "Dépense, minutes, principales destinations et types d'appel" }, scopes: ["personal", "team", "groupChat"], adminOnly: true },
  { name: "top up", title: { en: "top up <amount>", fr: "top up <montant>" }, description: { en: "Add funds with the default card (asks to confirm)", fr: "Ajouter des fonds avec la carte par défaut (demande confirmation)" }, scopes: ["personal", "team", "groupChat"], adminOnly: true },
  { name: "auto-recharge", title: { en: "auto-recharge on <amount> below <threshold> | off", fr: "auto-recharge on <montant> below <seuil> | off" }, description: { en: "Turn auto-recharge on or off", fr: "Activer ou désactiver la recharge automatique" }, scopes: ["personal", "team", "groupChat"], adminOnly: true },
  { name: "notify", title: { en: "notify here | notify stop", fr: "notify here | notify stop" }, description: { en: "Send notifications to this channel too, or stop", fr: "Envoyer aussi les notifications dans ce canal, ou arrêter" }, scopes: ["team"], adminOnly: true },
  { name: "help", title: { en: "help", fr: "help" }, description: { en: "What I can do", fr: "Ce que je sais faire" }, scopes: ["personal", "team", "groupChat"], adminOnly: false },
];

export type CommandName = "balance" | "usage" | "top up" | "auto-recharge" | "notify" | "help";

/** How each command is recognised in a message (the bot's @mention already removed). */
export const COMMAND_PATTERNS: Record<CommandName, RegExp> = {
  balance: /^\s*balance\s*$/i,
  usage: /^\s*usage(?:\s+(\S+))?\s*$/i,
  "top up": /^\s*top[\s-]?up(?:\s+(.*))?$/i,
  "auto-recharge": /^\s*auto[\s-]?recharge(?:\s+(.*))?$/i,
  notify: /^\s*notify(?:\s+(.*))?$/i,
  help: /^\s*help\b/i,
};
