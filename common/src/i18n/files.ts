/** Every namespace of the catalog, imported statically so Node, the tab bundle and tsc all see them; see catalog.ts. */
import { TAB_EN, TAB_FR, TAB_NAMESPACES } from "./tab-files.js";
import en_bot from "./messages/en/bot.json" with { type: "json" };
import en_cards from "./messages/en/cards.json" with { type: "json" };
import en_problems from "./messages/en/problems.json" with { type: "json" };
import en_cli from "./messages/en/cli.json" with { type: "json" };
import fr_bot from "./messages/fr/bot.json" with { type: "json" };
import fr_cards from "./messages/fr/cards.json" with { type: "json" };
import fr_problems from "./messages/fr/problems.json" with { type: "json" };
import fr_cli from "./messages/fr/cli.json" with { type: "json" };

export const NAMESPACES = [...TAB_NAMESPACES, "bot", "cards", "problems", "cli"] as const;
export type Namespace = (typeof NAMESPACES)[number];
export const EN = {
  ...TAB_EN,
  bot: en_bot,
  cards: en_cards,
  problems: en_problems,
  cli: en_cli,
};
export const FR = {
  ...TAB_FR,
  bot: fr_bot,
  cards: fr_cards,
  problems: fr_problems,
  cli: fr_cli,
};
