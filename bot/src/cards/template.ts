/** What every card shares: its templates expanded with adaptivecards-templating, and the language it declares. */
import * as ACData from "adaptivecards-templating";
import type { Locale } from "../types.js";

export type AdaptiveCardJson = Record<string, unknown>;

/** The language a card declares (`lang`): the pseudo-locale is English underneath. */
export const langOf = (locale: Locale) => (locale === "fr" ? "fr" : "en");

/**
 * Each template parsed once: building an ACData.Template parses every `${…}` expression (about
 * 10 ms of CPU for the notification card), and an instance is meant to be bound to data again and
 * again (its expand is synchronous and keeps no state between calls).
 */
const prepared = new Map<object, ACData.Template>();

export function expand(template: object, data: object): AdaptiveCardJson {
  let parsed = prepared.get(template);
  if (!parsed) {
    parsed = new ACData.Template(template);
    prepared.set(template, parsed);
  }
  return parsed.expand({ $root: data }) as AdaptiveCardJson;
}
