/** The call guard's form as typed, from and to the settings: values in, values out. */
import { formatMoneyInput, type GuardException, type GuardSettings } from "@cc/common";
import { readMoney } from "../../components/MoneyInput";
import type { I18n } from "../../i18n";

export type GuardField = "blockedCountries" | "blockedPrefixes" | "perUserDailyCapMicros" | "spikeFactor";

export interface GuardDraft {
  countries: string[];
  exceptions: GuardException[];
  prefixes: string;
  premium: boolean;
  domestic: boolean;
  cap: string;
  spike: string;
}

export const EMPTY_DRAFT: GuardDraft = { countries: [], exceptions: [], prefixes: "", premium: true, domestic: false, cap: "", spike: "" };

const split = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The saved settings as the form shows them, in the reader's locale. */
export function draftOf(g: GuardSettings, locale: string, lang: string): GuardDraft {
  return {
    countries: g.blockedCountries,
    exceptions: g.exceptions ?? [],
    prefixes: g.blockedPrefixes.join(", "),
    premium: g.blockPremiumRate,
    domestic: g.domesticOnly,
    cap: g.perUserDailyCapMicros === null ? "" : formatMoneyInput(g.perUserDailyCapMicros, locale),
    spike: String(g.spikeFactor).replace(".", lang === "fr" ? "," : "."),
  };
}

/** The settings the draft stands for, or why a field cannot be read. */
export function readGuard(draft: GuardDraft, currency: string, i18n: I18n): { settings: GuardSettings } | { errors: Partial<Record<GuardField, string>> } {
  const { t } = i18n;
  const found: Partial<Record<GuardField, string>> = {};
  const prefixList = split(draft.prefixes).map((p) => (p.startsWith("+") ? p : `+${p}`));
  const badPrefix = prefixList.find((p) => !/^\+\d{1,15}$/.test(p));
  if (badPrefix) found.blockedPrefixes = t("guardBadPrefix", { prefix: badPrefix });
  let capMicros: number | null = null;
  if (draft.cap.trim()) {
    const read = readMoney(draft.cap, currency, i18n, {});
    if ("error" in read) found.perUserDailyCapMicros = read.error;
    else capMicros = read.micros;
  }
  const factor = Number(draft.spike.trim().replace(",", "."));
  if (!draft.spike.trim() || !Number.isFinite(factor) || factor <= 1) found.spikeFactor = t("guardBadSpike");
  if (Object.keys(found).length > 0) return { errors: found };
  return {
    settings: {
      blockedCountries: draft.countries,
      blockedPrefixes: prefixList,
      blockPremiumRate: draft.premium,
      domesticOnly: draft.domestic,
      perUserDailyCapMicros: capMicros,
      spikeFactor: factor,
      exceptions: draft.exceptions,
    },
  };
}
