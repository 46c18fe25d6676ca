/** Every namespace of the catalog, imported statically so Node, the tab bundle and tsc all see them; see catalog.ts. */
import en_tab from "./messages/en/tab.json" with { type: "json" };
import en_bot from "./messages/en/bot.json" with { type: "json" };
import en_cards from "./messages/en/cards.json" with { type: "json" };
import en_problems from "./messages/en/problems.json" with { type: "json" };
import en_events from "./messages/en/events.json" with { type: "json" };
import en_email from "./messages/en/email.json" with { type: "json" };
import en_feed from "./messages/en/feed.json" with { type: "json" };
import en_cli from "./messages/en/cli.json" with { type: "json" };
import en_words from "./messages/en/words.json" with { type: "json" };
import en_policy from "./messages/en/policy.json" with { type: "json" };
import en_budgets from "./messages/en/budgets.json" with { type: "json" };
import en_alerts from "./messages/en/alerts.json" with { type: "json" };
import fr_tab from "./messages/fr/tab.json" with { type: "json" };
import fr_bot from "./messages/fr/bot.json" with { type: "json" };
import fr_cards from "./messages/fr/cards.json" with { type: "json" };
import fr_problems from "./messages/fr/problems.json" with { type: "json" };
import fr_events from "./messages/fr/events.json" with { type: "json" };
import fr_email from "./messages/fr/email.json" with { type: "json" };
import fr_feed from "./messages/fr/feed.json" with { type: "json" };
import fr_cli from "./messages/fr/cli.json" with { type: "json" };
import fr_words from "./messages/fr/words.json" with { type: "json" };
import fr_policy from "./messages/fr/policy.json" with { type: "json" };
import fr_budgets from "./messages/fr/budgets.json" with { type: "json" };
import fr_alerts from "./messages/fr/alerts.json" with { type: "json" };

export const NAMESPACES = ["tab", "bot", "cards", "problems", "events", "email", "feed", "cli", "words", "policy", "budgets", "alerts"] as const;
export type Namespace = (typeof NAMESPACES)[number];
export const EN = {
  tab: en_tab,
  bot: en_bot,
  cards: en_cards,
  problems: en_problems,
  events: en_events,
  email: en_email,
  feed: en_feed,
  cli: en_cli,
  words: en_words,
  policy: en_policy,
  budgets: en_budgets,
  alerts: en_alerts,
};
export const FR = {
  tab: fr_tab,
  bot: fr_bot,
  cards: fr_cards,
  problems: fr_problems,
  events: fr_events,
  email: fr_email,
  feed: fr_feed,
  cli: fr_cli,
  words: fr_words,
  policy: fr_policy,
  budgets: fr_budgets,
  alerts: fr_alerts,
};
