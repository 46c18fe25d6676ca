/**
 * The catalog's records as FormatJS reads them, from the namespace files: flat (id → ICU message),
 * and the pseudo-locale's. Pure functions, shared by the whole catalog (catalog.ts, for the API,
 * the bot and the CLI) and the tab's part of it (tab-catalog.ts).
 */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

/** The flat records of one language: id → ICU message. */
export type Messages = Record<string, string>;

/** Namespace files ({ tab: { signOut: "…" } }) as flat records ({ "tab.signOut": "…" }). */
export function flatten(files: Record<string, Record<string, string>>): Messages {
  const flat: Messages = {};
  for (const [ns, messages] of Object.entries(files)) for (const [key, text] of Object.entries(messages)) flat[`${ns}.${key}`] = text;
  return flat;
}

// The pseudo-locale: each literal letter accented and the whole message bracketed, so a test can
// tell catalog text (accented) from text that bypassed the catalog (plain) on any page or card.
const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."àƀçđéƒĝĥîĵķĺɱñöƥɋŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖƤɊŔŠŢÛṼŴẊÝŽ"][i]]),
);
const accent = (text: string) => text.replace(/[a-zA-Z]/g, (c) => ACCENTED[c] ?? c);

function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: accent(element.value) };
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(element.options).map(([k, o]) => [k, { ...o, value: pseudoElements(o.value) }]));
      return { ...element, options };
    }
    if (element.type === TYPE.tag) return { ...element, children: pseudoElements(element.children) };
    return element;
  });
}

/** English records in the pseudo-locale, as ASTs (accented literals, the whole message bracketed). */
export function pseudoLocalize(english: Messages): Record<string, MessageFormatElement[]> {
  return Object.fromEntries(
    Object.entries(english).map(([id, text]) => [
      id,
      [{ type: TYPE.literal, value: "⟦" }, ...pseudoElements(parse(text)), { type: TYPE.literal, value: "⟧" }] as MessageFormatElement[],
    ]),
  );
}
