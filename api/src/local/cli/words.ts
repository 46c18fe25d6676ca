/**
 * What the CLIs print, from the message catalog (namespace "cli"), in the language of the terminal
 * (LC_ALL, LC_MESSAGES or LANG, negotiated like every other surface). Amounts to the cent in the
 * account's currency.
 */
import { formatAmount, t, type MessageId, type MessageValues } from "@cc/common";
import type { Finding, Verdict } from "../../reconciliation/invariants.js";

/** "fr_FR.UTF-8" → "fr-FR"; the C and POSIX locales are English. */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  const tag = raw.split(/[.@]/)[0].replace(/_/g, "-");
  return tag === "C" || tag === "POSIX" ? "en" : tag;
}

export const say = (id: MessageId, values?: MessageValues, locale = cliLocale()) => t(locale, id, values);

export const amount = (micros: number, currency: string, locale = cliLocale()) => formatAmount(locale, micros, currency);

/** The line `npm run debit` ends with. */
export function debitDone(
  facts: { amountMicros: number; balanceMicros: number; currency: string; tenant: string; entryId: string; status?: string },
  locale = cliLocale(),
): string {
  return say(
    "cli.debit.done",
    {
      amount: amount(facts.amountMicros, facts.currency, locale),
      balance: amount(facts.balanceMicros, facts.currency, locale),
      tenant: facts.tenant,
      entryId: facts.entryId,
      status: facts.status ?? "none",
    },
    locale,
  );
}

/** The line `npm run simulate` ends with. */
export function simulateCharged(facts: { chargedMicros: number; balanceMicros: number; currency: string }, locale = cliLocale()): string {
  return say("cli.simulate.charged", { amount: amount(facts.chargedMicros, facts.currency, locale), balance: amount(facts.balanceMicros, facts.currency, locale) }, locale);
}

/** One finding of check-ledger (a code and its facts, reconciliation/invariants.ts) in words; the tenant and ids stay as data. */
export function findingText(finding: Finding, locale = cliLocale()): string {
  const tried =
    finding.tried === undefined
      ? ""
      : finding.tried.length === 0
        ? say("cli.checkLedger.triedNone", {}, locale)
        : finding.tried
            .map((r) => {
              const channel = say(`tab.reach.channel.${r.channel}` as MessageId, {}, locale);
              return say("cli.checkLedger.tried", { upn: r.upn, channel, status: r.status }, locale) + (r.reasonCode ? ` (${r.reasonCode})` : "");
            })
            .join("; ");
  return say(`cli.checkLedger.finding.${finding.code}`, { ...finding.facts, tried }, locale);
}

/** The verdict lines of check-ledger: each invariant (its id and its words), then its breaches and notes. */
export function verdictLines(verdict: Verdict, locale = cliLocale()): string[] {
  const name = say(`cli.checkLedger.invariant.${verdict.invariant}`, {}, locale);
  return [
    say(verdict.ok ? "cli.checkLedger.ok" : "cli.checkLedger.breach", { invariant: verdict.invariant, name }, locale),
    ...verdict.breaches.map((b) => say("cli.checkLedger.breachLine", { tenant: b.tenantId, text: findingText(b, locale) }, locale)),
    ...verdict.notes.map((n) => say("cli.checkLedger.noteLine", { tenant: n.tenantId, text: findingText(n, locale) }, locale)),
  ];
}
