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
 * Distinct users, bounded: the ids themselves while there are at most EXACT_USERS of them, then a
 * HyperLogLog sketch of HLL_REGISTERS registers (about 700 bytes; standard error about 4.6%). So a
 * day's rollup never holds one entry per user however many callers the tenant has.
 */
export type UserSet = { ids: string[] } | { hll: string };
export const EXACT_USERS = 64;
const HLL_BITS = 9;
const HLL_REGISTERS = 1 << HLL_BITS;

const emptyUsers = (): UserSet => ({ ids: [] });

function hash32(id: string): number {
  // FNV-1a, then a murmur3 finaliser: cheap and well spread for ids.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function registersOf(set: UserSet): Uint8Array {
  if ("hll" in set) return new Uint8Array(Buffer.from(set.hll, "base64"));
  const registers = new Uint8Array(HLL_REGISTERS);
  for (const id of set.ids) addToRegisters(registers, id);
  return registers;
}

function addToRegisters(registers: Uint8Array, id: string): void {
  const h = hash32(id);
  const index = h >>> (32 - HLL_BITS);
  const rest = (h << HLL_BITS) >>> 0;
  const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > registers[index]) registers[index] = rank;
}

const sketch = (registers: Uint8Array): UserSet => ({ hll: Buffer.from(registers).toString("base64") });

/** Add one user id. */
export function addUser(set: UserSet, id: string): UserSet {
  if ("ids" in set) {
    if (set.ids.includes(id)) return set;
    if (set.ids.length < EXACT_USERS) {
      set.ids.push(id);
      return set;
    }
  }
  const registers = registersOf(set);
  addToRegisters(registers, id);
  return sketch(registers);
}

/** The union of two sets (exact while it fits). */
export function unionUsers(a: UserSet, b: UserSet): UserSet {
  if ("ids" in a && "ids" in b) {
    const ids = [...new Set([...a.ids, ...b.ids])];
    if (ids.length <= EXACT_USERS) return { ids };
  }
  const into = registersOf(a);
  const from = registersOf(b);
  for (let i = 0; i < HLL_REGISTERS; i++) if (from[i] > into[i]) into[i] = from[i];
  return sketch(into);
}

/** How many users: exact for an id list, the HyperLogLog estimate (small-range corrected) for a sketch. */
export function countUsers(set: UserSet): number {
  if ("ids" in set) return set.ids.length;
  const registers = registersOf(set);
  let sum = 0;
  let zeros = 0;
  for (const r of registers) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const m = HLL_REGISTERS;
  const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
  return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
}

/**
 * What the impact needs of a set of calls charged to credits, small enough to keep per day in the
 * usage rollups (rollups.ts) whatever the number of callers: toll-free calls by number, dial-outs,
 * and the other calls split into international (destination outside the caller's country, as known
 * at ingestion) and beyond the plan, each with its distinct callers as a bounded UserSet.
 */
export interface ImpactTally {
  tollFree: Record<string, { calls: number; minutes: number }>;
  dialOut: { calls: number; minutes: number };
  international?: { calls: number; users: UserSet };
  beyondPlan?: { calls: number; users: UserSet };
  /** Rollups written before the split: userId ("" for none) → destination country ("" unknown) → calls. */
  outbound?: Record<string, Record<string, number>>;
}

export const emptyImpactTally = (): ImpactTally => ({
  tollFree: {},
  dialOut: { calls: 0, minutes: 0 },
  international: { calls: 0, users: emptyUsers() },
  beyondPlan: { calls: 0, users: emptyUsers() },
});

/** Which part of the impact a call charged to credits is: a toll-free number's, a dial-out, international or beyond the plan; none for other inbound calls. */
export type ImpactPart = { part: "tollFree"; number: string } | { part: "dialOut" } | { part: "international" } | { part: "beyondPlan" };

export function impactPartOf(r: ImpactRecord): ImpactPart | undefined {
  const type = r.callType.toLowerCase();
  if (isInbound(type)) return TOLL_FREE.test(r.inventoryType ?? "") ? { part: "tollFree", number: r.calleeNumber } : undefined;
  if (isDialOut(type)) return { part: "dialOut" };
  const country = r.destinationCountry ?? "";
  return { part: country && country !== r.homeCountry ? "international" : "beyondPlan" };
}

/** Count one call charged to credits into `tally`; `r.homeCountry`: the caller's country (usage location, or the organisation's). */
export function tallyImpact(tally: ImpactTally, r: ImpactRecord): void {
  const part = impactPartOf(r);
  if (!part) return;
  if (part.part === "tollFree") {
    const slot = (tally.tollFree[part.number] ??= { calls: 0, minutes: 0 });
    slot.calls++;
    slot.minutes += r.billedMinutes;
  } else if (part.part === "dialOut") {
    tally.dialOut.calls++;
    tally.dialOut.minutes += r.billedMinutes;
  } else {
    const slot = (tally[part.part] ??= { calls: 0, users: emptyUsers() });
    slot.calls++;
    if (r.userId) slot.users = addUser(slot.users, r.userId);
  }
}

/**
 * A quarter hour's impact without its callers, small enough to keep per quarter (rollups.ts): toll-free
 * [calls, minutes] by number (`f`), dial-outs (`o`), international (`x`) and beyond-plan (`b`) calls.
 */
export interface QuarterImpact {
  f?: Record<string, [calls: number, minutes: number]>;
  o?: [calls: number, minutes: number];
  x?: number;
  b?: number;
}

/** Count one call charged to credits into a quarter's impact. */
export function tallyQuarterImpact(q: QuarterImpact, r: ImpactRecord): void {
  const part = impactPartOf(r);
  if (!part) return;
  if (part.part === "tollFree") {
    const slot = ((q.f ??= {})[part.number] ??= [0, 0]);
    slot[0]++;
    slot[1] += r.billedMinutes;
  } else if (part.part === "dialOut") {
    const slot = (q.o ??= [0, 0]);
    slot[0]++;
    slot[1] += r.billedMinutes;
  } else if (part.part === "international") q.x = (q.x ?? 0) + 1;
  else q.b = (q.b ?? 0) + 1;
}

/** Add a quarter's impact into another's. */
export function mergeQuarterImpact(into: QuarterImpact, from: QuarterImpact): void {
  for (const [number, [calls, minutes]] of Object.entries(from.f ?? {})) {
    const slot = ((into.f ??= {})[number] ??= [0, 0]);
    slot[0] += calls;
    slot[1] += minutes;
  }
  if (from.o) {
    const slot = (into.o ??= [0, 0]);
    slot[0] += from.o[0];
    slot[1] += from.o[1];
  }
  if (from.x) into.x = (into.x ?? 0) + from.x;
  if (from.b) into.b = (into.b ?? 0) + from.b;
}

/**
 * The impact of part of a day: the calls of its quarters inside the period (`quarters`), with the
 * distinct callers of the whole day (`day`) for the kinds that have calls inside — a day cut by the
 * period's edge may count a caller whose calls were all outside it (the callers are kept per day only).
 */
export function partOfDayImpact(quarters: readonly QuarterImpact[], day: ImpactTally): ImpactTally {
  const tally: ImpactTally = emptyImpactTally();
  for (const q of quarters) {
    for (const [number, [calls, minutes]] of Object.entries(q.f ?? {})) {
      const slot = (tally.tollFree[number] ??= { calls: 0, minutes: 0 });
      slot.calls += calls;
      slot.minutes += minutes;
    }
    tally.dialOut.calls += q.o?.[0] ?? 0;
    tally.dialOut.minutes += q.o?.[1] ?? 0;
    tally.international!.calls += q.x ?? 0;
    tally.beyondPlan!.calls += q.b ?? 0;
  }
  if (tally.international!.calls > 0 && day.international) tally.international!.users = day.international.users;
  if (tally.beyondPlan!.calls > 0 && day.beyondPlan) tally.beyondPlan!.users = day.beyondPlan.users;
  return tally;
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
  for (const key of ["international", "beyondPlan"] as const) {
    const add = from[key];
    if (!add) continue;
    const slot = (into[key] ??= { calls: 0, users: emptyUsers() });
    slot.calls += add.calls;
    slot.users = unionUsers(slot.users, add.users);
  }
  for (const [user, byCountry] of Object.entries(from.outbound ?? {})) {
    const slot = ((into.outbound ??= {})[user] ??= {});
    for (const [country, calls] of Object.entries(byCountry)) slot[country] = (slot[country] ?? 0) + calls;
  }
}

/**
 * The impact of the tallied calls. `homeCountry(userId)` (the caller's country now) is used only for
 * the calls of rollups written before the international/beyond-plan split was made at ingestion.
 */
export function impactOf(tally: ImpactTally, homeCountry: (userId: string) => string): ImpactView {
  const international = { calls: tally.international?.calls ?? 0, users: tally.international?.users ?? emptyUsers() };
  const beyondPlan = { calls: tally.beyondPlan?.calls ?? 0, users: tally.beyondPlan?.users ?? emptyUsers() };
  for (const [userId, byCountry] of Object.entries(tally.outbound ?? {})) {
    const home = homeCountry(userId);
    for (const [country, calls] of Object.entries(byCountry)) {
      const slot = country && country !== home ? international : beyondPlan;
      slot.calls += calls;
      if (userId && calls > 0) slot.users = unionUsers(slot.users, { ids: [userId] });
    }
  }
  return {
    basisDays: IMPACT_DAYS,
    tollFree: Object.entries(tally.tollFree)
      .map(([number, t]) => ({ number, calls: t.calls, minutes: t.minutes }))
      .sort((a, b) => b.calls - a.calls || a.number.localeCompare(b.number)),
    conferenceDialOut: { ...tally.dialOut },
    international: { calls: international.calls, users: countUsers(international.users) },
    beyondPlan: { calls: beyondPlan.calls, users: countUsers(beyondPlan.users) },
  };
}

/** `records`: calls charged to credits in the basis window. */
export function zeroBalanceImpact(records: readonly ImpactRecord[]): ImpactView {
  const tally = emptyImpactTally();
  for (const r of records) tallyImpact(tally, r);
  return impactOf(tally, () => "");
}
