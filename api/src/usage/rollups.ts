/**
 * Daily usage rollups: one document per tenant and UTC day in `rollups`, id `day:<YYYY-MM-DD>`,
 * maintained at ingestion so that summaries are point reads (the local store has no GROUP BY and
 * scans whole containers; on Azure a scan costs RUs).
 *
 * A batch's records are merged into one delta per day and written with one read → replace If-Match
 * per day. The batch's ref is kept in `appliedRefs`, so applying a batch twice (a re-post finishing
 * a crashed ingestion, or two instances finishing the same batch) counts it once.
 */
import type { Container } from "@azure/cosmos";
import { createDoc, readDoc, replaceIfMatch } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RatedCallDoc } from "./rated-call.js";
import { emptyImpactTally, mergeImpact, tallyImpact, type ImpactTally } from "./impact-rules.js";

export interface Tally {
  calls: number;
  /** Billed minutes (per started minute). */
  minutes: number;
  chargeMicros: number;
}

export interface DayRollupDoc extends Tally {
  id: string;
  tenantId: string;
  type: "day";
  day: string;
  currency: string;
  /** By userId ("_none" for calls without a user: toll-free bridges, auto attendants). */
  byUser: Record<string, Tally & { upn: string; displayName: string }>;
  /** By ISO country of the destination ("_unknown" when it could not be priced, e.g. plain inbound). */
  byDestination: Record<string, Tally & { name: string }>;
  byCallType: Record<string, Tally>;
  /** By who paid: credits, plan, included, none. */
  byChargedTo: Record<string, Tally>;
  /** The calls charged to credits as the zero-balance impact counts them (absent from rollups written before it existed). */
  impact?: ImpactTally;
  /** Batch refs already counted in this day. */
  appliedRefs: string[];
  updatedAt: string;
  _etag?: string;
}

export type DayDelta = Omit<DayRollupDoc, "id" | "tenantId" | "type" | "appliedRefs" | "updatedAt" | "_etag">;

export const NO_USER_KEY = "_none";
export const UNKNOWN_DESTINATION_KEY = "_unknown";
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

/** The per-day deltas of a set of rated records. */
export function dayDeltas(records: readonly RatedCallDoc[], countryName: (code: string) => string): Map<string, DayDelta> {
  const days = new Map<string, DayDelta>();
  for (const r of records) {
    const delta = days.get(r.day) ?? { day: r.day, currency: r.currency, ...empty(), byUser: {}, byDestination: {}, byCallType: {}, byChargedTo: {}, impact: emptyImpactTally() };
    days.set(r.day, delta);
    const one: Tally = { calls: 1, minutes: r.billedMinutes, chargeMicros: r.chargeMicros };
    add(delta, one);
    addTo(delta.byUser, r.userId || NO_USER_KEY, one, () => ({ ...empty(), upn: r.userPrincipalName ?? "", displayName: r.userDisplayName ?? "" }));
    const country = r.destinationCountry || UNKNOWN_DESTINATION_KEY;
    addTo(delta.byDestination, country, one, () => ({ ...empty(), name: r.destinationCountry ? countryName(r.destinationCountry) : "Unknown" }));
    addTo(delta.byCallType, r.callType, one, empty);
    addTo(delta.byChargedTo, r.chargedTo, one, empty);
    if (r.chargedTo === "credits") tallyImpact((delta.impact ??= emptyImpactTally()), r);
  }
  return days;
}

function merge(doc: DayRollupDoc, delta: DayDelta): void {
  add(doc, delta);
  for (const [k, v] of Object.entries(delta.byUser)) {
    addTo(doc.byUser, k, v, () => ({ ...empty(), upn: v.upn, displayName: v.displayName }));
    // Keep the newest non-empty names (a user renamed mid-month shows the new name).
    if (v.upn) doc.byUser[k].upn = v.upn;
    if (v.displayName) doc.byUser[k].displayName = v.displayName;
  }
  for (const [k, v] of Object.entries(delta.byDestination)) addTo(doc.byDestination, k, v, () => ({ ...empty(), name: v.name }));
  for (const [k, v] of Object.entries(delta.byCallType)) addTo(doc.byCallType, k, v, empty);
  for (const [k, v] of Object.entries(delta.byChargedTo)) addTo(doc.byChargedTo, k, v, empty);
  // A day first written before the impact tally existed keeps none: its readers fall back to the day's records.
  if (delta.impact && doc.impact) mergeImpact(doc.impact, delta.impact);
}

export class UsageRollups {
  constructor(private readonly rollups: Container, private readonly clock: Clock) {}

  read(tenantId: string, day: string): Promise<DayRollupDoc | undefined> {
    return readDoc<DayRollupDoc>(this.rollups, tenantId, dayRollupId(day));
  }

  /** Count batch `ref` into each day it touches, once per day. */
  async apply(tenantId: string, ref: string, deltas: Map<string, DayDelta>): Promise<void> {
    await Promise.all([...deltas.values()].map((delta) => this.applyDay(tenantId, ref, delta)));
  }

  private async applyDay(tenantId: string, ref: string, delta: DayDelta): Promise<void> {
    for (let race = 0; race < MAX_RACES; race++) {
      const at = this.clock.now().toISOString();
      const doc = await this.read(tenantId, delta.day);
      if (!doc) {
        const fresh: DayRollupDoc = {
          id: dayRollupId(delta.day), tenantId, type: "day", day: delta.day, currency: delta.currency,
          ...empty(), byUser: {}, byDestination: {}, byCallType: {}, byChargedTo: {}, impact: emptyImpactTally(), appliedRefs: [ref], updatedAt: at,
        };
        merge(fresh, delta);
        if ((await createDoc(this.rollups, fresh)).created) return;
        continue;
      }
      if (doc.appliedRefs.includes(ref)) return;
      const next: DayRollupDoc = structuredClone(doc);
      merge(next, delta);
      next.appliedRefs.push(ref);
      next.updatedAt = at;
      if (await replaceIfMatch(this.rollups, next, doc._etag ?? "")) return;
    }
    throw new Error(`day rollup ${delta.day} kept changing`);
  }
}
