import { describe, expect, it } from "vitest";
import { parse } from "@formatjs/icu-messageformat-parser";
import { LANGUAGES, PSEUDO_LOCALE, TAB_NAMESPACES, messagesFor, missingMessages, negotiateLanguage, t, tabMessagesFor } from "@cc/common";

describe("the message catalog", () => {
  it("has every message in both languages", () => {
    expect(missingMessages()).toEqual({ en: [], fr: [] });
  });

  it("holds only valid ICU messages", () => {
    for (const language of LANGUAGES) {
      for (const [id, text] of Object.entries(messagesFor(language))) {
        expect(() => parse(String(text)), `${language} ${id}`).not.toThrow();
      }
    }
  });

  it("speaks the pseudo-locale for every id, so text that bypassed the catalog shows plain", () => {
    expect(t("en-XA", "words.language.name")).toBe("⟦Éñĝĺîšĥ⟧");
    expect(t("fr", "words.language.name")).toBe("Français");
  });

  it("gives the tab the same messages of its namespaces, and none of the server's", () => {
    const namespaces = new Set(Object.keys(messagesFor("en")).map((id) => id.split(".")[0]));
    const server = [...namespaces].filter((ns) => !(TAB_NAMESPACES as readonly string[]).includes(ns));
    expect(server.sort()).toEqual(["bot", "cards", "cli", "problems"]);
    for (const locale of [...LANGUAGES, PSEUDO_LOCALE] as const) {
      const all = messagesFor(locale);
      const theTabs = Object.fromEntries(Object.entries(all).filter(([id]) => (TAB_NAMESPACES as readonly string[]).includes(id.split(".")[0])));
      expect(tabMessagesFor(locale), locale).toEqual(theTabs);
      expect(Object.keys(tabMessagesFor(locale)).length, locale).toBeGreaterThan(300);
    }
  });
});

describe("one language negotiation", () => {
  it.each([
    ["de, fr;q=0.9", "fr"],
    ["fr-CA", "fr"],
    ["fr-FR, fr;q=0.9", "fr"],
    ["en-US,en;q=0.9,fr;q=0.8", "en"],
    ["en;q=0.1, fr;q=0.5", "fr"],
    ["*", "en"],
    ["xx-!!", "en"],
    ["", "en"],
  ])("Accept-Language %j → %s", (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it("reads a list of tags best first, and one tag", () => {
    expect(negotiateLanguage(["de-DE", "fr-BE"])).toBe("fr");
    expect(negotiateLanguage("fr-FR")).toBe("fr");
    expect(negotiateLanguage(null)).toBe("en");
  });
});
