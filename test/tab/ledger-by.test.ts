/** Who posted a ledger entry, as the tab says it: a system job in the reader's language (the catalog's words), a person's upn as it is. */
import { describe, expect, it } from "vitest";
import { LEDGER_JOBS, type LedgerEntryView } from "@cc/common";
import { makeI18n } from "../../tab/src/i18n";
import { postedBy } from "../../tab/src/pages/LedgerPage";

const entry = (by: string, byJob: LedgerEntryView["byJob"]): LedgerEntryView => ({
  id: "e",
  seq: 1,
  kind: "usage",
  amountMicros: -1,
  balanceAfterMicros: 0,
  currency: "USD",
  at: "2026-11-12T10:00:00Z",
  ref: "r",
  by,
  byJob,
});

describe("ledger: who posted an entry", () => {
  it("says a job in English and French, from the catalog", () => {
    expect(postedBy(entry("usage", "usage"), makeI18n("en"))).toBe("call rating");
    expect(postedBy(entry("usage", "usage"), makeI18n("fr"))).toBe("la tarification des appels");
    expect(postedBy(entry("auto_recharge", "auto_recharge"), makeI18n("fr"))).toBe("la recharge automatique");
  });

  it("has words for every job: in the pseudo-locale each is accented and bracketed", () => {
    for (const job of LEDGER_JOBS) expect(postedBy(entry(job, job), makeI18n("en-XA")), job).toMatch(/^⟦[^A-Za-z]+⟧$/);
  });

  it("keeps a person's upn as data, in every language", () => {
    expect(postedBy(entry("megan@contoso.example", null), makeI18n("fr"))).toBe("megan@contoso.example");
    expect(postedBy(entry("megan@contoso.example", null), makeI18n("en-XA"))).toBe("megan@contoso.example");
  });
});
