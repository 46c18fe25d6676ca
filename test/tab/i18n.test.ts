/** The tab's dates in each language: what a person reads under a chart and beside an event. */
import { describe, expect, it } from "vitest";
import { makeI18n } from "../../tab/src/i18n";
import { moneyTicks } from "../../tab/src/pages/usage/UsageCharts";

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

describe("the tab's words from the catalog", () => {
  it("says one user and two users, in English and French (ICU plurals, not '1 users')", () => {
    expect(makeI18n("en").t("confirmAssign", { n: 1 })).toBe("Assign a Communications Credits license to 1 user?");
    expect(makeI18n("en").t("confirmAssign", { n: 2 })).toBe("Assign a Communications Credits license to 2 users?");
    expect(makeI18n("fr").t("confirmAssign", { n: 1 })).toBe("Attribuer une licence Crédits de communication à 1 utilisateur ?");
    expect(makeI18n("fr").t("confirmAssign", { n: 3 })).toBe("Attribuer une licence Crédits de communication à 3 utilisateurs ?");
  });

  it("says the daily limit's default amount only when there is a recharge amount to multiply", () => {
    expect(makeI18n("en").t("maxAmountPerDayHint", { known: "yes", amount: "$1,000.00" })).toBe("Empty: 10 × the recharge amount ($1,000.00).");
    expect(makeI18n("en").t("maxAmountPerDayHint", { known: "no", amount: "$0.00" })).toBe("Empty: 10 × the recharge amount.");
    expect(makeI18n("fr").t("maxAmountPerDayHint", { known: "no", amount: "0,00 $US" })).toBe("Vide : 10 × le montant de recharge.");
  });

  it("in the pseudo-locale every word is accented and bracketed, the values as given", () => {
    const said = makeI18n("en-XA").t("byWho", { who: "megan@contoso.example" });
    expect(said).toBe("⟦ƀý megan@contoso.example⟧");
  });
});

describe("the charts' money axis", () => {
  it("steps by 1, 2 or 5 × a power of ten from zero to just above the largest bar", () => {
    expect(moneyTicks(27.5)).toEqual([0, 10, 20, 30]);
    expect(moneyTicks(10.68)).toEqual([0, 5, 10, 15]);
    expect(moneyTicks(0.42)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(moneyTicks(0)).toEqual([0]);
  });
});
