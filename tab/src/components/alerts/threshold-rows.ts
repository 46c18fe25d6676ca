/**
 * The low-balance thresholds as a person edits them: each row a kind and the text typed. Reading a
 * row only checks what was typed (a percentage, an amount in whole cents); what a threshold means
 * in money is the API's answer (`lowBalanceToday`), never computed here.
 */
import { formatMoneyInput, type LowBalanceThreshold } from "@cc/common";
import type { I18n } from "../../i18n";
import { readMoney } from "../MoneyInput";

/** At most this many per tenant (the API refuses more). */
export const MAX_THRESHOLDS = 5;

export interface ThresholdRow {
  /** Stable across edits, for React keys and focus. */
  id: number;
  kind: "percent" | "amount";
  text: string;
}

let nextId = 1;

export function newRow(kind: ThresholdRow["kind"] = "percent", text = ""): ThresholdRow {
  return { id: nextId++, kind, text };
}

export function rowsOf(thresholds: readonly LowBalanceThreshold[], locale: string): ThresholdRow[] {
  return thresholds.map((t) =>
    "percentOfRecharge" in t
      ? newRow("percent", new Intl.NumberFormat(locale, { maximumFractionDigits: 6, useGrouping: false }).format(t.percentOfRecharge))
      : newRow("amount", formatMoneyInput(t.amountMicros, locale)),
  );
}

/** A percentage as typed in either language ("12.5", "12,5", "12 %"). */
function readPercent(text: string): number | undefined {
  const cleaned = text.replace(/[%\s\u00a0\u202f]/g, "").replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return value > 0 && value <= 100 ? value : undefined;
}

/** One row as a threshold, or the sentence that says why it cannot be one. */
export function readRow(row: ThresholdRow, currency: string, i18n: I18n): { threshold: LowBalanceThreshold } | { error: string } {
  if (row.kind === "percent") {
    const percent = readPercent(row.text);
    return percent === undefined ? { error: i18n.say("alerts.thresholds.percentInvalid") } : { threshold: { percentOfRecharge: percent } };
  }
  const money = readMoney(row.text, currency, i18n, { minMicros: 10_000 });
  return "error" in money ? money : { threshold: { amountMicros: money.micros } };
}

export function sameThreshold(a: LowBalanceThreshold, b: LowBalanceThreshold): boolean {
  return "percentOfRecharge" in a ? "percentOfRecharge" in b && a.percentOfRecharge === b.percentOfRecharge : "amountMicros" in b && a.amountMicros === b.amountMicros;
}

/** The row index a problem's field path names ("lowBalanceThresholds.2.percentOfRecharge" → 2). */
export function rowOfPath(path: string): number | undefined {
  const match = /^lowBalanceThresholds\.(\d+)/.exec(path);
  return match ? Number(match[1]) : undefined;
}
