/**
 * The bot's commands: the one list the Teams manifest (appPackage/manifest.json, its localisation
 * files) must match; test/deploy/app-package.test.ts compares them. Whoever adds a handler in
 * teams/adapter.ts adds its command here, and the test names what the manifest then lacks.
 * Teams shows at most 10 commands per command list; titles at most 32 characters, descriptions 128.
 */
export interface BotCommand {
  /** What the user types (the manifest's command title); the adapter matches it case-insensitively. */
  name: string;
  description: { en: string; fr: string };
}

export const BOT_COMMANDS = [
  {
    name: "balance",
    description: {
      en: "Show the Communications Credits balance and auto-recharge settings",
      fr: "Afficher le solde de Communications Credits et la recharge automatique",
    },
  },
  {
    name: "usage",
    description: {
      en: "Summarise this month's PSTN usage and charges",
      fr: "Résumer l'utilisation RTC et les frais de ce mois-ci",
    },
  },
  {
    name: "top up",
    description: {
      en: "Add funds to the balance with the card on file",
      fr: "Ajouter des fonds au solde avec la carte enregistrée",
    },
  },
  {
    name: "auto-recharge",
    description: {
      en: "Show or change the auto-recharge threshold and amount",
      fr: "Afficher ou modifier le seuil et le montant de la recharge automatique",
    },
  },
  {
    name: "notify here",
    description: {
      en: "Send balance and recharge notifications to this conversation",
      fr: "Envoyer les notifications de solde et de recharge dans cette conversation",
    },
  },
  {
    name: "notify stop",
    description: {
      en: "Stop notifications in this conversation",
      fr: "Arrêter les notifications dans cette conversation",
    },
  },
  {
    name: "help",
    description: {
      en: "What this bot can do",
      fr: "Ce que ce bot sait faire",
    },
  },
] as const satisfies readonly BotCommand[];

export type BotCommandName = (typeof BOT_COMMANDS)[number]["name"];
export const BOT_COMMAND_NAMES: readonly BotCommandName[] = BOT_COMMANDS.map((c) => c.name);
