/**
 * The catalog's namespaces the tab says, imported statically (see files.ts, which adds the
 * server's: bot, cards, problems, cli). The tab's bundle carries these and no others.
 */
import en_tab from "./messages/en/tab.json" with { type: "json" };
import en_words from "./messages/en/words.json" with { type: "json" };
import en_events from "./messages/en/events.json" with { type: "json" };
import en_feed from "./messages/en/feed.json" with { type: "json" };
import en_email from "./messages/en/email.json" with { type: "json" };
import en_policy from "./messages/en/policy.json" with { type: "json" };
import en_budgets from "./messages/en/budgets.json" with { type: "json" };
import en_alerts from "./messages/en/alerts.json" with { type: "json" };
import fr_tab from "./messages/fr/tab.json" with { type: "json" };
import fr_words from "./messages/fr/words.json" with { type: "json" };
import fr_events from "./messages/fr/events.json" with { type: "json" };
import fr_feed from "./messages/fr/feed.json" with { type: "json" };
import fr_email from "./messages/fr/email.json" with { type: "json" };
import fr_policy from "./messages/fr/policy.json" with { type: "json" };
import fr_budgets from "./messages/fr/budgets.json" with { type: "json" };
import fr_alerts from "./messages/fr/alerts.json" with { type: "json" };

export const TAB_NAMESPACES = ["tab", "words", "events", "feed", "email", "policy", "budgets", "alerts"] as const;
export type TabNamespace = (typeof TAB_NAMESPACES)[number];
export const TAB_EN = {
  tab: en_tab,
  words: en_words,
  events: en_events,
  feed: en_feed,
  email: en_email,
  policy: en_policy,
  budgets: en_budgets,
  alerts: en_alerts,
};
export const TAB_FR = {
  tab: fr_tab,
  words: fr_words,
  events: fr_events,
  feed: fr_feed,
  email: fr_email,
  policy: fr_policy,
  budgets: fr_budgets,
  alerts: fr_alerts,
};
