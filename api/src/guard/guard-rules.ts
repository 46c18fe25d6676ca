/**
 * The toll-fraud guard's rules, pure: the default settings, which settings may be saved, whether a
 * call about to start is refused (destination_blocked, domestic_only, user_cap_reached), and what
 * a spend spike is. guard.ts does the I/O.
 */
import { formatMoney, type GuardException, type GuardSettings } from "@cc/common";
import { refuse } from "../shared/refusal.js";

/**
 * Premium-rate and satellite ranges, blocked while `blockPremiumRate` is on (the default): the
 * Global Mobile Satellite System and international networks (+881, +882, +883), Inmarsat (+870),
 * and well-known premium-rate ranges (US/CA +1900, +1976; UK +4490, +4491, +4498, +4470 personal
 * numbers; FR +3389; DE +49900, +49137; IT +39899; ES +34803, +34806, +34807; AU +61190).
 */
export const PREMIUM_AND_SATELLITE_PREFIXES: readonly string[] = [
  "+881",
  "+882",
  "+883",
  "+870",
  "+1900",
  "+1976",
  "+4490",
  "+4491",
  "+4498",
  "+4470",
  "+3389",
  "+49900",
  "+49137",
  "+39899",
  "+34803",
  "+34806",
  "+34807",
  "+61190",
];

export const DEFAULT_SPIKE_FACTOR = 5;
/** A spike must also be above this last-hour spend (whole units of the currency), so a quiet user's first call is not one. */
export const SPIKE_FLOOR_MICROS = 20_000_000;

export const DEFAULT_GUARD: GuardSettings = {
  blockedCountries: [],
  blockedPrefixes: [],
  blockPremiumRate: true,
  domesticOnly: false,
  perUserDailyCapMicros: null,
  spikeFactor: DEFAULT_SPIKE_FACTOR,
  exceptions: [],
};

/** At most this many exceptions per tenant. */
export const MAX_GUARD_EXCEPTIONS = 100;

function normalizeCountries(list: readonly string[], path: string): string[] {
  const countries = list.map((c) => c.trim().toUpperCase());
  countries.forEach((c, i) => {
    if (!/^[A-Z]{2}$/.test(c)) throw refuse.invalid(`${path}/${i}`, "countryCode", { value: list[i] });
  });
  return [...new Set(countries)].sort();
}

/** Exceptions as saved: one subject each (a user or a group), once; only the rules that differ. */
function normalizeExceptions(exceptions: readonly GuardException[]): GuardException[] {
  if (exceptions.length > MAX_GUARD_EXCEPTIONS) throw refuse.invalid("exceptions", "tooManyExceptions", { count: MAX_GUARD_EXCEPTIONS });
  const seen = new Set<string>();
  return exceptions.map((e, i) => {
    const subject = e.userId ? `user:${e.userId}` : e.groupId ? `group:${e.groupId}` : "";
    if (!subject || (e.userId && e.groupId)) throw refuse.invalid(`exceptions/${i}`, "exceptionSubject");
    if (seen.has(subject)) throw refuse.invalid(`exceptions/${i}`, "exceptionTwice");
    seen.add(subject);
    return {
      ...(e.userId ? { userId: e.userId } : { groupId: e.groupId }),
      ...(e.displayName ? { displayName: e.displayName } : {}),
      ...(e.blockedCountries ? { blockedCountries: normalizeCountries(e.blockedCountries, `exceptions/${i}/blockedCountries`) } : {}),
      ...(e.domesticOnly !== undefined ? { domesticOnly: e.domesticOnly } : {}),
      ...(e.blockPremiumRate !== undefined ? { blockPremiumRate: e.blockPremiumRate } : {}),
    };
  });
}

/** The group ids the exceptions name (whose members the guard must know at call time). */
export function exceptionGroups(settings: GuardSettings): string[] {
  return (settings.exceptions ?? []).flatMap((e) => (e.groupId ? [e.groupId] : []));
}

/**
 * The rules for one caller: the tenant's, with what their groups' exceptions change (the first
 * listed group wins a rule two groups set), then what their own exception changes.
 */
export function rulesFor(settings: GuardSettings, userId: string | null, groupsOfUser: ReadonlySet<string>): { rules: GuardSettings; exception?: GuardException } {
  const exceptions = settings.exceptions ?? [];
  const own = userId ? exceptions.find((e) => e.userId === userId) : undefined;
  const groups = exceptions.filter((e) => e.groupId && groupsOfUser.has(e.groupId));
  let rules: GuardSettings = { ...settings };
  for (const e of [...groups].reverse().concat(own ? [own] : [])) {
    rules = {
      ...rules,
      ...(e.blockedCountries ? { blockedCountries: e.blockedCountries } : {}),
      ...(e.domesticOnly !== undefined ? { domesticOnly: e.domesticOnly } : {}),
      ...(e.blockPremiumRate !== undefined ? { blockPremiumRate: e.blockPremiumRate } : {}),
    };
  }
  const exception = own ?? groups[0];
  return exception ? { rules, exception } : { rules };
}

/** Settings as saved: country codes upper-case, prefixes "+digits", each once, sorted. */
export function normalizeGuard(settings: GuardSettings, currency: string): GuardSettings {
  const countries = normalizeCountries(settings.blockedCountries, "blockedCountries");
  const prefixes = settings.blockedPrefixes.map((p) => p.replace(/[\s-]/g, ""));
  prefixes.forEach((p, i) => {
    if (!/^\+\d{1,12}$/.test(p)) throw refuse.invalid(`blockedPrefixes/${i}`, "numberPrefix", { value: settings.blockedPrefixes[i] });
  });
  if (settings.perUserDailyCapMicros !== null && settings.perUserDailyCapMicros <= 0) {
    throw refuse.rule("invalid_cap", `A daily cap per user must be more than ${formatMoney(0, currency)}, or none`, "perUserDailyCapMicros", { currency });
  }
  if (!(settings.spikeFactor >= 2 && settings.spikeFactor <= 100)) throw refuse.invalid("spikeFactor", "spikeFactor");
  return {
    ...settings,
    blockedCountries: countries,
    blockedPrefixes: [...new Set(prefixes)].sort(),
    exceptions: normalizeExceptions(settings.exceptions ?? []),
  };
}

export type GuardRefusal = "destination_blocked" | "domestic_only" | "user_cap_reached";

export interface GuardedCall {
  /** Outbound from a user or a meeting dial-out; inbound and emergency calls are never guarded. */
  outbound: boolean;
  /** As dialed, "+" and digits (or a short code). */
  number: string;
  /** ISO country of the destination ("" when unknown). */
  destinationCountry: string;
  /** The caller's country (usage location, or the organisation's). */
  homeCountry: string;
  /** Whether the call would draw on the balance. */
  chargesCredits: boolean;
  /** What the user's calls charged to credits today (the tenant's calendar day, in its time zone), or null without a user. */
  userSpentTodayMicros: number | null;
}

/** Why the guard refuses this call, or undefined when it lets it through. */
export function guardCall(settings: GuardSettings, call: GuardedCall): GuardRefusal | undefined {
  if (!call.outbound) return undefined;
  const number = call.number.startsWith("+") ? call.number : `+${call.number}`;
  const prefixes = settings.blockPremiumRate ? [...settings.blockedPrefixes, ...PREMIUM_AND_SATELLITE_PREFIXES] : settings.blockedPrefixes;
  if (prefixes.some((p) => number.startsWith(p))) return "destination_blocked";
  if (call.destinationCountry && settings.blockedCountries.includes(call.destinationCountry)) return "destination_blocked";
  if (settings.domesticOnly && call.destinationCountry !== call.homeCountry) return "domestic_only";
  if (call.chargesCredits && settings.perUserDailyCapMicros !== null && call.userSpentTodayMicros !== null && call.userSpentTodayMicros >= settings.perUserDailyCapMicros) {
    return "user_cap_reached";
  }
  return undefined;
}

/** A last-hour spend is a spike when above the floor and above factor × the 30-day hourly baseline. */
export function isSpike(lastHourMicros: number, baselineHourlyMicros: number, factor: number): boolean {
  return lastHourMicros > SPIKE_FLOOR_MICROS && lastHourMicros > factor * baselineHourlyMicros;
}

/** The 30-day hourly baseline from 30 days of spend. */
export function hourlyBaseline(thirtyDaysMicros: number): number {
  return Math.round(thirtyDaysMicros / (30 * 24));
}
