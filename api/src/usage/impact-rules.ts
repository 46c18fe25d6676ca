/**
 * Zero-balance impact, pure: of the last 30 days of rated calls, the ones that drew on the balance
 * are the ones a zero balance would have refused. Grouped the way a person asks "what stops?":
 * calls to our toll-free numbers (by number), meeting dial-outs, international calls and calls past
 * what the calling plans include (each with how many users made them).
 */
import type { ImpactView } from "@cc/common";

export const IMPACT_DAYS = 30;

export interface ImpactRecord {
  callType: string;
  calleeNumber: string;
  inventoryType?: string | null;
  billedMinutes: number;
  userId: string;
  destinationCountry: string;
  /** The caller's country: usage location, or the organisation's. */
  homeCountry: string;
}

const TOLL_FREE = /toll.?free/i;
const isInbound = (callType: string) => /(^|_)in(_|$)/.test(callType);
const isDialOut = (callType: string) => callType.startsWith("conf_") || callType === "user_out_conf";

/**
 * What the impact needs of a set of calls charged to credits, small enough to keep per day in the
 * usage rollups (rollups.ts): toll-free calls by number, dial-outs, and the other calls by user and
 * destination country (whether a call is international depends on the user's country, known when
 * the figures are read).
 */
export interface ImpactTally {
  tollFree: Record<string, { calls: number; minutes: number }>;
  dialOut: { calls: number; minutes: number };
  /** userId ("" for none) → destination country ("" unknown) → calls. */
  outbound: Record<string, Record<string, number>>;
}

export const emptyImpactTally = (): ImpactTally => ({ tollFree: {}, dialOut: { calls: 0, minutes: 0 }, outbound: {} });

/** Count one call charged to credits into `tally`. */
export function tallyImpact(tally: ImpactTally, r: Omit<ImpactRecord, "homeCountry">): void {
  const type = r.callType.toLowerCase();
  if (isInbound(type)) {
    if (!TOLL_FREE.test(r.inventoryType ?? "")) return;
    const slot = (tally.tollFree[r.calleeNumber] ??= { calls: 0, minutes: 0 });
    slot.calls++;
    slot.minutes += r.billedMinutes;
  } else if (isDialOut(type)) {
    tally.dialOut.calls++;
    tally.dialOut.minutes += r.billedMinutes;
  } else {
    const byCountry = (tally.outbound[r.userId ?? ""] ??= {});
    byCountry[r.destinationCountry ?? ""] = (byCountry[r.destinationCountry ?? ""] ?? 0) + 1;
  }
}

/** Add `from` into `into`. */
export function mergeImpact(into: ImpactTally, from: ImpactTally): void {
  for (const [number, t] of Object.entries(from.tollFree)) {
    const slot = (into.tollFree[number] ??= { calls: 0, minutes: 0 });
    slot.calls += t.calls;
    slot.minutes += t.minutes;
  }
  into.dialOut.calls += from.dialOut.calls;
  into.dialOut.minutes += from.dialOut.minutes;
  for (const [user, byCountry] of Object.entries(from.outbound)) {
    const slot = (into.outbound[user] ??= {});
    for (const [country, calls] of Object.entries(byCountry)) slot[country] = (slot[country] ?? 0) + calls;
  }
}

/** The impact of the tallied calls; `homeCountry(userId)`: the caller's country (usage location, or the organisation's). */
export function impactOf(tally: ImpactTally, homeCountry: (userId: string) => string): ImpactView {
  const international = { calls: 0, users: new Set<string>() };
  const beyondPlan = { calls: 0, users: new Set<string>() };
  for (const [userId, byCountry] of Object.entries(tally.outbound)) {
    const home = homeCountry(userId);
    for (const [country, calls] of Object.entries(byCountry)) {
      const slot = country && country !== home ? international : beyondPlan;
      slot.calls += calls;
      if (userId && calls > 0) slot.users.add(userId);
    }
  }
  return {
    basisDays: IMPACT_DAYS,
    tollFree: Object.entries(tally.tollFree)
      .map(([number, t]) => ({ number, calls: t.calls, minutes: t.minutes }))
      .sort((a, b) => b.calls - a.calls || a.number.localeCompare(b.number)),
    conferenceDialOut: { ...tally.dialOut },
    international: { calls: international.calls, users: international.users.size },
    beyondPlan: { calls: beyondPlan.calls, users: beyondPlan.users.size },
  };
}

/** `records`: calls charged to credits in the basis window. */
export function zeroBalanceImpact(records: readonly ImpactRecord[]): ImpactView {
  const tally = emptyImpactTally();
  const home = new Map<string, string>();
  for (const r of records) {
    tallyImpact(tally, r);
    home.set(r.userId ?? "", r.homeCountry);
  }
  return impactOf(tally, (userId) => home.get(userId) ?? "");
}
