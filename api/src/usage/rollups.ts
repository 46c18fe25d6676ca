/**
 * Daily usage rollups, maintained at ingestion so that summaries are point reads (the local store
 * has no GROUP BY and scans whole containers; on Azure a scan costs RUs):
 *  - one document per tenant and UTC day, id `day:<YYYY-MM-DD>`: totals by destination, call type,
 *    hour and who paid, and the zero-balance impact tally. Its size does not depend on the number
 *    of callers (destinations and call types are bounded; the impact's distinct users are a bounded
 *    set, impact-rules.ts).
 *  - the day's per-user totals in USER_SHARDS documents, id `dayusers:<YYYY-MM-DD>:<nn>`, a user
 *    in shard hash(userId) mod USER_SHARDS: about 150 bytes a caller, so 20,000 callers in a day
 *    make shards of about 190 KB, and a document reaches Cosmos DB's 2 MB only past about 200,000
 *    distinct callers in one day (about 140,000 with the quarters, below). Read by the per-user
 *    summary, the daily cap and the spike check.
 *
 * Local days (the tenant's time zone, issue 22): choice (A). The documents stay keyed by UTC day,
 * and each also keeps its tallies per UTC quarter hour ("00".."95", only those with calls):
 * `quarters` in the day document, by destination (`d`), call type (`k`) and who paid (`p`), each a
 * [calls, minutes, chargeMicros] triple (the quarter's totals are the sum of `p`), and `quarters` in
 * a caller's shard entry (the caller's triples). Every zone is a whole number of quarter hours from
 * UTC (Kolkata +5:30, Kathmandu +5:45, St John's −3:30), so a period of local days — DST days of 23
 * or 25 hours included — is exactly a set of quarters, assembled at read time
 * (local-day-rules.ts): "last 30 days" in Europe/Paris reads the 31 UTC days it touches (31 point
 * reads; by user, plus 16 shards for each of those days with calls) and counts only the quarters
 * inside it. A change of the tenant's zone takes effect at the next read: nothing is re-keyed or
 * rebuilt, and no ingestion races a rebuild. Sizes (measured, local-day-rules.ts' triples): the day
 * document's quarters are bounded by 96 × (destinations + call types + payers) triples of about
 * 20 bytes whatever the number of callers — 20,000 callers to 2 destinations over 24 quarters:
 * 4.7 KB (2.0 KB without), 60,000 calls to 40 destinations over all 96 quarters: 25 KB (5.9 KB
 * without); 200 destinations in every quarter would be about 450 KB. A caller's quarters add about
 * 20 bytes per quarter hour with calls (3 calls: 228 bytes a caller instead of 164), so a shard
 * reaches 2 MB past about 140,000 distinct callers in one day (about 200,000 before).
 * A day (or a caller's entry) begun before the quarters keeps whole-day tallies only, and so does
 * one that a part without quarters was added to; its readers count it at its UTC noon (exact in UTC,
 * the local day of that noon elsewhere).
 *
 * A batch's records are merged into one delta per day and written with one read → replace If-Match
 * per day. The batch's ref is kept in `appliedRefs`, so applying a batch twice (a re-post finishing
 * a crashed ingestion, or two instances finishing the same batch) counts it once.
 */
import type { Container } from "@azure/cosmos";
import { createDoc, readDoc, replaceIfMatch } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RatedCallDoc } from "./rated-call.js";
import { emptyImpactTally, mergeImpact, mergeQuarterImpact, tallyImpact, tallyQuarterImpact, type ImpactTally } from "./impact-rules.js";
import { addTriple, NO_USER, quarterOf, UNKNOWN_DESTINATION, userSlices, utcDaysTouching, within, type StoredQuarter, type Triple } from "./local-day-rules.js";

export interface Tally {
  calls: number;
  /** Billed minutes (per started minute). */
  minutes: number;
  chargeMicros: number;
}

/** A user's day: the totals, and per UTC quarter hour ("00".."95") when the entry was begun after the quarters existed. */
export type UserTally = Tally & { upn: string; displayName: string; quarters?: Record<string, Triple> };

export interface DayRollupDoc extends Tally {
  id: string;
  tenantId: string;
  type: "day";
  day: string;
  currency: string;
  /** Only in rollups written before the per-user shards: by userId. */
  byUser?: Record<string, UserTally>;
  /** By UTC hour of the start ("00".."23"); absent from rollups written before it existed. */
  byHour?: Record<string, Tally>;
  /** By ISO country of the destination ("_unknown" when it could not be priced, e.g. plain inbound). */
  byDestination: Record<string, Tally & { name: string }>;
  byCallType: Record<string, Tally>;
  /** By who paid: credits, plan, included, none. */
  byChargedTo: Record<string, Tally>;
  /** By UTC quarter hour of the start ("00".."95"), only those with calls; absent from days begun before it existed (local-day-rules.ts). */
  quarters?: Record<string, StoredQuarter>;
  /** The calls charged to credits as the zero-balance impact counts them (absent from rollups written before it existed). */
  impact?: ImpactTally;
  /** Batch refs already counted in this day. */
  appliedRefs: string[];
  updatedAt: string;
  _etag?: string;
}

/** A batch's contribution to one day: the day document's fields, and by userId ("_none" for calls without a user: toll-free bridges, auto attendants). */
export type DayDelta = Omit<DayRollupDoc, "id" | "tenantId" | "type" | "appliedRefs" | "updatedAt" | "_etag" | "byUser"> & { byUser: Record<string, UserTally> };

/** One shard of a day's per-user totals. */
export interface DayUsersDoc {
  id: string;
  tenantId: string;
  type: "dayUsers";
  day: string;
  shard: number;
  /** By userId ("_none" for calls without a user). */
  users: Record<string, UserTally>;
  appliedRefs: string[];
  updatedAt: string;
  _etag?: string;
}

/** How many documents hold one day's per-user totals. */
export const USER_SHARDS = 16;
export const dayUsersId = (day: string, shard: number) => `dayusers:${day}:${String(shard).padStart(2, "0")}`;

/** The shard of a user's day totals. */
export function userShard(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  // FNV-1a's low bits alone spread structured ids badly: mix them (murmur3's finaliser) first.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % USER_SHARDS;
}

const MAX_RACES = 500;

export const dayRollupId = (day: string) => `day:${day}`;

const empty = (): Tally => ({ calls: 0, minutes: 0, chargeMicros: 0 });

function add(into: Tally, from: Tally): void {
  into.calls += from.calls;
  into.minutes += from.minutes;
  into.chargeMicros += from.chargeMicros;
}

function addTo<T extends Tally>(map: Record<string, T>, key: string, tally: Tally, init: () => T): void {
  const slot = (map[key] ??= init());
  add(slot, tally);
}

/** The per-day deltas of a set of rated records; `homeCountry(userId)`: the caller's country (usage location, or the organisation's). */
export function dayDeltas(records: readonly RatedCallDoc[], countryName: (code: string) => string, homeCountry: (userId: string) => string): Map<string, DayDelta> {
  const days = new Map<string, DayDelta>();
  for (const r of records) {
    const delta = days.get(r.day) ?? {
      day: r.day,
      currency: r.currency,
      ...empty(),
      byUser: {},
      byHour: {},
      byDestination: {},
      byCallType: {},
      byChargedTo: {},
      quarters: {},
      impact: emptyImpactTally(),
    };
    days.set(r.day, delta);
    const one: Tally = { calls: 1, minutes: r.billedMinutes, chargeMicros: r.chargeMicros };
    add(delta, one);
    const quarter = quarterOf(r.startDateTime);
    const triple: Triple = [1, r.billedMinutes, r.chargeMicros];
    const user = r.userId || NO_USER;
    addTo(delta.byUser, user, one, () => ({ ...empty(), upn: r.userPrincipalName ?? "", displayName: r.userDisplayName ?? "", quarters: {} }));
    addTriple(delta.byUser[user].quarters!, quarter, triple);
    const q = ((delta.quarters ??= {})[quarter] ??= { d: {}, k: {}, p: {} });
    addTriple(q.d, r.destinationCountry || UNKNOWN_DESTINATION, triple);
    addTriple(q.k, r.callType, triple);
    addTriple(q.p, r.chargedTo, triple);
    const country = r.destinationCountry || UNKNOWN_DESTINATION;
    addTo(delta.byDestination, country, one, () => ({ ...empty(), name: r.destinationCountry ? countryName(r.destinationCountry) : "Unknown" }));
    addTo(delta.byCallType, r.callType, one, empty);
    addTo(delta.byChargedTo, r.chargedTo, one, empty);
    addTo((delta.byHour ??= {}), hourOf(r.startDateTime), one, empty);
    if (r.chargedTo === "credits") {
      const call = { ...r, homeCountry: homeCountry(r.userId ?? "") };
      tallyImpact((delta.impact ??= emptyImpactTally()), call);
      tallyQuarterImpact((q.i ??= {}), call);
    }
  }
  return days;
}

/** "00".."23": the UTC hour of an ISO instant. */
const hourOf = (startDateTime: string) => {
  const at = new Date(startDateTime);
  return Number.isNaN(at.getTime()) ? "00" : String(at.getUTCHours()).padStart(2, "0");
};

function mergeQuarters(into: Record<string, StoredQuarter>, from: Record<string, StoredQuarter>): void {
  for (const [k, v] of Object.entries(from)) {
    const q = (into[k] ??= { d: {}, k: {}, p: {} });
    for (const [key, t] of Object.entries(v.d)) addTriple(q.d, key, t);
    for (const [key, t] of Object.entries(v.k)) addTriple(q.k, key, t);
    for (const [key, t] of Object.entries(v.p)) addTriple(q.p, key, t);
    if (v.i) mergeQuarterImpact((q.i ??= {}), v.i);
  }
}

function mergeUsers(into: Record<string, UserTally>, from: Record<string, UserTally>): void {
  for (const [k, v] of Object.entries(from)) {
    // An entry begun before the quarters keeps its whole-day totals only (its quarters would not add up to them).
    addTo(into, k, v, () => ({ ...empty(), upn: v.upn, displayName: v.displayName, ...(v.quarters ? { quarters: {} } : {}) }));
    // Quarters exist only while they add up to the totals: a part without them makes the entry a whole day.
    if (into[k].quarters && v.quarters) for (const [q, t] of Object.entries(v.quarters)) addTriple(into[k].quarters!, q, t);
    else delete into[k].quarters;
    // Keep the newest non-empty names (a user renamed mid-month shows the new name).
    if (v.upn) into[k].upn = v.upn;
    if (v.displayName) into[k].displayName = v.displayName;
  }
}

function merge(doc: DayRollupDoc, delta: DayDelta): void {
  add(doc, delta);
  if (doc.byUser) mergeUsers(doc.byUser, delta.byUser); // a day begun before the shards keeps its own
  if (delta.byHour && (doc.byHour || !doc.byUser)) for (const [k, v] of Object.entries(delta.byHour)) addTo((doc.byHour ??= {}), k, v, empty);
  for (const [k, v] of Object.entries(delta.byDestination)) addTo(doc.byDestination, k, v, () => ({ ...empty(), name: v.name }));
  for (const [k, v] of Object.entries(delta.byCallType)) addTo(doc.byCallType, k, v, empty);
  for (const [k, v] of Object.entries(delta.byChargedTo)) addTo(doc.byChargedTo, k, v, empty);
  // A day begun before the quarters keeps none (they would not add up to its totals): read as a whole day.
  if (delta.quarters && doc.quarters) mergeQuarters(doc.quarters, delta.quarters);
  else delete doc.quarters; // a part without quarters (a hand-made delta): the day is read whole, as its totals stay exact
  // A day first written before the impact tally existed keeps none: its readers fall back to the day's records.
  if (delta.impact && doc.impact) mergeImpact(doc.impact, delta.impact);
}

export class UsageRollups {
  constructor(
    private readonly rollups: Container,
    private readonly clock: Clock,
  ) {}

  read(tenantId: string, day: string): Promise<DayRollupDoc | undefined> {
    return readDoc<DayRollupDoc>(this.rollups, tenantId, dayRollupId(day));
  }

  readUsers(tenantId: string, day: string, shard: number): Promise<DayUsersDoc | undefined> {
    return readDoc<DayUsersDoc>(this.rollups, tenantId, dayUsersId(day, shard));
  }

  /** A user's totals of a day (a point read of one shard; a day rolled up before the shards: its day document). */
  async userDay(tenantId: string, day: string, userId: string): Promise<UserTally | undefined> {
    const shard = await this.readUsers(tenantId, day, userShard(userId));
    if (shard) return shard.users[userId];
    return (await this.read(tenantId, day))?.byUser?.[userId];
  }

  /**
   * A user's totals over [fromMs, toMs) (a local day: the daily cap), from the user's shard of each
   * UTC day it touches (two point reads, three on a DST day of a half-hour zone), quarter by quarter.
   */
  async userBetween(tenantId: string, userId: string, fromMs: number, toMs: number): Promise<Tally> {
    const total = empty();
    const days = utcDaysTouching(fromMs, toMs);
    const tallies = await Promise.all(days.map((day) => this.userDay(tenantId, day, userId)));
    days.forEach((day, i) => {
      const tally = tallies[i];
      if (!tally) return;
      for (const slice of userSlices(day, tally)) if (within(slice, fromMs, toMs)) add(total, slice.value);
    });
    return total;
  }

  /** Every user's totals of a day, from its shards (and, for a day begun before them, its day document). */
  async usersOfDay(tenantId: string, day: string, dayDoc?: DayRollupDoc): Promise<Record<string, UserTally>[]> {
    const shards = await Promise.all(Array.from({ length: USER_SHARDS }, (_, i) => this.readUsers(tenantId, day, i)));
    const out = shards.flatMap((s) => (s ? [s.users] : []));
    if (dayDoc?.byUser) out.push(dayDoc.byUser);
    return out;
  }

  /** Count batch `ref` into each day it touches, once per day (and once per shard of the day's users). */
  async apply(tenantId: string, ref: string, deltas: Map<string, DayDelta>): Promise<void> {
    await Promise.all(
      [...deltas.values()].map(async (delta) => {
        const legacy = await this.applyDay(tenantId, ref, delta);
        if (legacy) return; // a day begun before the shards keeps its users in its day document
        const shards = new Map<number, Record<string, UserTally>>();
        for (const [userId, tally] of Object.entries(delta.byUser)) {
          const shard = userShard(userId);
          const users = shards.get(shard) ?? {};
          users[userId] = tally;
          shards.set(shard, users);
        }
        await Promise.all([...shards].map(([shard, users]) => this.applyUsers(tenantId, ref, delta.day, shard, users)));
      }),
    );
  }

  private async applyUsers(tenantId: string, ref: string, day: string, shard: number, users: Record<string, UserTally>): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const at = this.clock.now().toISOString();
      const doc = await this.readUsers(tenantId, day, shard);
      if (!doc) {
        const fresh: DayUsersDoc = { id: dayUsersId(day, shard), tenantId, type: "dayUsers", day, shard, users: {}, appliedRefs: [ref], updatedAt: at };
        mergeUsers(fresh.users, users);
        if ((await createDoc(this.rollups, fresh)).created) return;
        continue;
      }
      if (doc.appliedRefs.includes(ref)) return;
      const next: DayUsersDoc = structuredClone(doc);
      mergeUsers(next.users, users);
      next.appliedRefs.push(ref);
      next.updatedAt = at;
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return;
    }
    throw new Error(`day users ${day}/${shard} kept changing`);
  }

  /** Count the batch into the day document; true when that document predates the shards (it holds the users itself). */
  private async applyDay(tenantId: string, ref: string, delta: DayDelta): Promise<boolean> {
    for (let race = 0; race < MAX_RACES; race++) {
      const at = this.clock.now().toISOString();
      const doc = await this.read(tenantId, delta.day);
      if (!doc) {
        const fresh: DayRollupDoc = {
          id: dayRollupId(delta.day),
          tenantId,
          type: "day",
          day: delta.day,
          currency: delta.currency,
          ...empty(),
          byHour: {},
          byDestination: {},
          byCallType: {},
          byChargedTo: {},
          quarters: {},
          impact: emptyImpactTally(),
          appliedRefs: [ref],
          updatedAt: at,
        };
        merge(fresh, delta);
        if ((await createDoc(this.rollups, fresh)).created) return false;
        continue;
      }
      const legacy = doc.byUser !== undefined;
      if (doc.appliedRefs.includes(ref)) return legacy;
      const next: DayRollupDoc = structuredClone(doc);
      merge(next, delta);
      next.appliedRefs.push(ref);
      next.updatedAt = at;
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return legacy;
    }
    throw new Error(`day rollup ${delta.day} kept changing`);
  }
}
