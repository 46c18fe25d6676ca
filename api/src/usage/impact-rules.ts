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

/** `records`: calls charged to credits in the basis window. */
export function zeroBalanceImpact(records: readonly ImpactRecord[]): ImpactView {
  const tollFree = new Map<string, { number: string; calls: number; minutes: number }>();
  const dialOut = { calls: 0, minutes: 0 };
  const international = { calls: 0, users: new Set<string>() };
  const beyondPlan = { calls: 0, users: new Set<string>() };
  for (const r of records) {
    const type = r.callType.toLowerCase();
    if (isInbound(type)) {
      if (!TOLL_FREE.test(r.inventoryType ?? "")) continue;
      const slot = tollFree.get(r.calleeNumber) ?? { number: r.calleeNumber, calls: 0, minutes: 0 };
      slot.calls++;
      slot.minutes += r.billedMinutes;
      tollFree.set(r.calleeNumber, slot);
    } else if (isDialOut(type)) {
      dialOut.calls++;
      dialOut.minutes += r.billedMinutes;
    } else if (r.destinationCountry && r.destinationCountry !== r.homeCountry) {
      international.calls++;
      if (r.userId) international.users.add(r.userId);
    } else {
      beyondPlan.calls++;
      if (r.userId) beyondPlan.users.add(r.userId);
    }
  }
  return {
    basisDays: IMPACT_DAYS,
    tollFree: [...tollFree.values()].sort((a, b) => b.calls - a.calls || a.number.localeCompare(b.number)),
    conferenceDialOut: dialOut,
    international: { calls: international.calls, users: international.users.size },
    beyondPlan: { calls: beyondPlan.calls, users: beyondPlan.users.size },
  };
}
