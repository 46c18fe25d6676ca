/** The usage card (the `usage` command): a period's spend, minutes and calls, by destination and call type. */
import { intlFor, t } from "@cc/common";
import usageTemplate from "./usage.json" with { type: "json" };
import { expand, langOf, type AdaptiveCardJson } from "./template.js";
import { day, money } from "./words.js";
import type { Locale, UsagePeriod } from "../types.js";

export function renderUsageCard(usage: UsagePeriod, locale: Locale): AdaptiveCardJson {
  const m = (micros: number) => money(micros, usage.currency, locale);
  const count = (n: number) => t(locale, "cards.usage.count", { count: n });
  const value = (l: UsagePeriod["destinations"][number]) => t(locale, "cards.usage.line", { amount: m(l.chargeMicros), minutes: l.minutes, calls: l.calls });
  return expand(usageTemplate, {
    lang: langOf(locale),
    title: t(locale, "cards.usage.title"),
    period: t(locale, "cards.usage.period", { from: day(usage.from, locale), to: day(usage.to, locale) }),
    totals: [
      { title: t(locale, "cards.usage.spend"), value: m(usage.totals.chargeMicros) },
      { title: t(locale, "cards.usage.minutes"), value: count(usage.totals.minutes) },
      { title: t(locale, "cards.usage.calls"), value: count(usage.totals.calls) },
    ],
    destinationsTitle: t(locale, "cards.usage.destinations"),
    // A destination is a country: its name in the reader's language ("Royaume-Uni"), else the API's label.
    destinations: usage.destinations
      .slice(0, 5)
      .map((l) => ({ title: /^[A-Z]{2}$/.test(l.key) ? (intlFor(locale).formatDisplayName(l.key, { type: "region" }) ?? l.label) : l.label, value: value(l) })),
    callTypesTitle: t(locale, "cards.usage.callTypes"),
    // Call types in words ("Dial-in to meetings"), never Graph's codes ("conf_in").
    callTypes: usage.callTypes.map((l) => ({ title: t(locale, "cards.callType", { type: l.key }), value: value(l) })),
    empty: usage.totals.calls === 0 ? t(locale, "cards.usage.empty") : "",
  });
}
