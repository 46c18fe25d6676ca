/** The tab's dates in each language: what a person reads under a chart and beside an event. */
import { describe, expect, it } from "vitest";
import { makeI18n } from "../../tab/src/i18n";

describe("i18n dates", () => {
  it("writes a calendar day short, in the language, whatever the time zone", () => {
    expect(makeI18n("en").formatDay("2026-11-12")).toBe("Nov 12");
    expect(makeI18n("fr").formatDay("2026-11-12")).toBe("12 nov.");
    // The first of a month stays the first: the day is read in UTC, not shifted by the browser's zone.
    expect(makeI18n("en").formatDay("2026-12-01")).toBe("Dec 1");
  });

  it("keeps what it cannot read, and a dash for nothing", () => {
    expect(makeI18n("en").formatDay("not a day")).toBe("not a day");
    expect(makeI18n("en").formatDate(null)).toBe("—");
    expect(makeI18n("fr").formatDate("2026-11-12T10:00:00Z")).toBe("12 nov. 2026");
  });
});
