/**
 * check-ledger's findings are codes and facts; what a person reads of them is the catalog's
 * (cli.checkLedger.*), in English and French: every finding code and invariant has words in both
 * languages, and in the pseudo-locale every letter of a line is the catalog's (only ids stay plain).
 */
import { describe, expect, it } from "vitest";
import { messagesFor } from "@cc/common";
import { FINDING_CODES, checkAll, type Finding, type InvariantName, type Verdict } from "../../api/src/reconciliation/invariants.js";
import { findingText, verdictLines } from "../../api/src/local/cli/words.js";

const INVARIANTS: InvariantName[] = ["balance_matches_entries", "charges_credited_once", "usage_in_one_debit", "no_expired_lot_spendable", "outbox_accounted_for"];

/** Facts every finding's message may read (ids as ids, counts and micros as numbers). */
const FACTS = {
  seq: 3,
  expected: 2,
  saysMicros: 5_000_000,
  sumMicros: 4_000_000,
  debitMicros: 3_000_000,
  entries: 2,
  balanceMicros: 5_000_000,
  lotsMicros: 1_000_000,
  overdraftMicros: 0,
  count: 2,
  charges: "ch_1, ch_2",
  ref: "funding:a",
  chargeId: "ch_1",
  chargeMicros: 50_000_000,
  creditMicros: 40_000_000,
  succeeded: 1,
  failed: 2,
  seconds: 60,
  minutes: 10,
  lotId: "lot-1",
  expiresAt: "2026-05-01T00:00:00Z",
  remainingMicros: 1_000_000,
  eventId: "ev-1",
  at: "2026-05-01T00:00:00Z",
  kind: "balance_depleted",
};
const finding = (code: Finding["code"], extra: Partial<Finding> = {}): Finding => ({ code, tenantId: "t1", facts: FACTS, ...extra });
const unreached = finding("event_unreached", { tried: [{ upn: "nestor@fabrikam.example", channel: "teams_chat", status: "not_installed", reasonCode: "app_install_refused" }] });

describe("check-ledger in words", () => {
  it("has English and French words for every finding and every invariant", () => {
    for (const language of ["en", "fr"] as const) {
      const messages = messagesFor(language);
      for (const code of FINDING_CODES) expect(messages[`cli.checkLedger.finding.${code}`], `${language} ${code}`).toMatch(/\p{L}{2,}/u);
      for (const name of INVARIANTS) expect(messages[`cli.checkLedger.invariant.${name}`], `${language} ${name}`).toMatch(/\p{L}{2,}/u);
    }
  });

  it("says a finding with its facts, in the reader's language", () => {
    expect(findingText(finding("charge_not_credited"), "en")).toBe("charge ch_1 succeeded but was never credited (funding:a)");
    expect(findingText(finding("charge_not_credited"), "fr")).toBe("le débit ch_1 a réussi mais n’a jamais été crédité (funding:a)");
    expect(findingText(finding("head_trails", { facts: { count: 1 } }), "en")).toBe("the account trails the ledger by 1 entry (the next read rolls it forward)");
    expect(findingText(finding("entry_balance"), "fr")).toMatch(/^l’écriture 3 indique un solde de 5\s000\s000 micros/);
    expect(findingText(unreached, "en")).toContain("nestor@fabrikam.example by Teams chat: app not installed (app_install_refused)");
    expect(findingText(unreached, "fr")).toContain("nestor@fabrikam.example par conversation Teams : application non installée (app_install_refused)");
    expect(findingText(finding("event_unreached", { tried: [] }), "fr")).toContain("aucun administrateur n’a de rôle averti");
  });

  it("in the pseudo-locale every letter of every line is the catalog's; only ids and the tenant stay plain", () => {
    const ids = /\b(?:ch_1|ch_2|funding:a|lot-1|ev-1|t1|balance_depleted|nestor@fabrikam\.example|app_install_refused|[a-z]+(?:_[a-z]+)+)\b|\d{4}-\d\d-\d\dT[\d:]+Z/g;
    const verdicts: Verdict[] = INVARIANTS.map((invariant, i) => ({
      invariant,
      ok: i % 2 === 0,
      breaches: i % 2 === 0 ? [] : FINDING_CODES.map((code) => (code === "event_unreached" ? unreached : finding(code))),
      notes: [finding("charges_checked")],
    }));
    for (const line of verdicts.flatMap((v) => verdictLines(v, "en-XA"))) expect(line.replace(ids, ""), line).not.toMatch(/[A-Za-z]/);
  });

  it("a healthy tenant's verdicts read as the CLI prints them", () => {
    const lines = checkAll([], new Date(), { inFlightMs: 1, chargeInFlightMs: 1, expiryGraceMs: 1 }).flatMap((v) => verdictLines(v, "en"));
    expect(lines[0]).toBe("ok     balance_matches_entries (the balance is the sum of its ledger entries)");
    expect(verdictLines({ invariant: "usage_in_one_debit", ok: false, breaches: [finding("usage_not_debited")], notes: [] }, "fr")).toEqual([
      "ÉCART usage_in_one_debit (chaque appel tarifé est dans un débit d’utilisation)",
      "         écart : t1 : 2 appels tarifés du lot funding:a dans aucun débit d’utilisation",
    ]);
  });
});
