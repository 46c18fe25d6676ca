/**
 * A deterministic PSTN call generator: Graph `pstnCallLogRow` rows that look like a real tenant's
 * month, for the demo (`npm run simulate`) and the benchmark.
 *
 * Shape (documented in docs and checked by test/unit/simulator.test.ts):
 *  - business hours in the user's local time (standard time, no DST): weekdays, 8:00–18:00 with a
 *    morning and an afternoon peak and a lunch dip; a few calls early, late and on weekends;
 *  - per user and weekday ~`callsPerUserPerDay` calls (Poisson), and per call:
 *    70% domestic `user_out` (35% to mobiles), 12% international `user_out` to a weighted list of
 *    countries (45% to mobiles), 7% `conf_out` dial-outs from a meeting (most domestic or in
 *    Zone A, some beyond it), 11% ordinary inbound `user_in` to the user's own number, and about
 *    one in a thousand an emergency call (911 / 112 / 999 / 000 by country);
 *  - per tenant and weekday ~1.2 calls per user to the tenant's toll-free numbers (inventoryType
 *    "Toll Free"): 70% `conf_in` to the audio-conferencing bridge, 30% `user_in` to a toll-free line;
 *  - durations log-normal: ~3 min median for user calls, ~15 min for dial-outs, ~25 min for
 *    conference dial-ins; endDateTime = startDateTime + duration exactly.
 * Every day is generated from its own seed (seed, tenant, UTC date), so a longer run repeats the
 * calls of a shorter one and re-running a range gives the same usage ids (ingestion dedupes them).
 */
import type { PstnCallLogRow } from "@cc/common";
import type { NumberType } from "../../usage/rating/rate-card.js";
import { Rates } from "../../usage/rates.js";
import { NumberBook } from "./numbers.js";
import { Prng } from "./prng.js";
import {
  utcOffsetHours,
  HOURLY_WEIGHTS,
  WEEKDAY_FACTOR,
  INTERNATIONAL_WEIGHTS,
  BEYOND_ZONE_A,
  ZONE_A_ABROAD,
  EMERGENCY_BY_COUNTRY,
  type UserCallKind,
  USER_CALL_MIX,
  CAPABILITY,
} from "./traffic-profile.js";

export interface SimulatedUser {
  id: string;
  upn: string;
  displayName: string;
  usageLocation?: string;
  callingPlan?: string;
}

/** A DemoTenant, or a tenant read from GET /api/v1/users. */
export interface SimulatedTenant {
  tenantId: string;
  /** Country of the organisation (ISO 3166-1 alpha-2). */
  region: string;
  users: readonly SimulatedUser[];
  /** The tenant's toll-free numbers; default: two made up in its region (when the card has toll-free prefixes there). */
  tollFreeNumbers?: readonly string[];
}

export interface SimulateOptions {
  tenant: SimulatedTenant;
  days: number;
  /** The first day (its UTC date); day i is from + i × 24 h. */
  from: Date;
  seed: number | string;
  /** Mean outbound+inbound calls per user on a weekday. Default 5. */
  callsPerUserPerDay?: number;
  rates?: Rates;
}

const DAY_MS = 86_400_000;

interface Context {
  tenant: SimulatedTenant;
  book: NumberBook;
  region: string;
  tollFree: readonly string[];
  /** The audio-conferencing bridge's own (toll) number: the caller ID of meeting dial-outs. */
  bridgeNumber: string;
  didOf: Map<string, string>;
}

let defaultRates: Rates | undefined;

export function simulateCalls(options: SimulateOptions): PstnCallLogRow[] {
  const { tenant, days, from, seed } = options;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const perUser = options.callsPerUserPerDay ?? 5;
  const rates = options.rates ?? (defaultRates ??= Rates.load());
  const book = new NumberBook(rates);
  const region = tenant.region;

  // Per-tenant numbers, independent of the days asked for.
  const fixed = new Prng(`${seed}|${tenant.tenantId}|numbers`);
  const tollFree = tenant.tollFreeNumbers ?? (book.has(region, "toll_free") ? [book.number(fixed, region, "toll_free")!, book.number(fixed, region, "toll_free")!] : []);
  const bridgeNumber = book.number(fixed, region, "fixed") ?? "";
  const didOf = new Map<string, string>();
  for (const user of tenant.users) {
    const own = new Prng(`${seed}|${tenant.tenantId}|did|${user.id}`);
    didOf.set(user.id, book.number(own, user.usageLocation || region, "fixed") ?? bridgeNumber);
  }
  const ctx: Context = { tenant, book, region, tollFree, bridgeNumber, didOf };

  const rows: PstnCallLogRow[] = [];
  const firstDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let d = 0; d < days; d++) {
    const date = new Date(firstDay + d * DAY_MS).toISOString().slice(0, 10);
    rows.push(...simulateDay(ctx, new Prng(`${seed}|${tenant.tenantId}|${date}`), date, perUser));
  }
  return rows.sort((a, b) => (a.startDateTime < b.startDateTime ? -1 : a.startDateTime > b.startDateTime ? 1 : a.id < b.id ? -1 : 1));
}

function simulateDay(ctx: Context, rng: Prng, date: string, perUser: number): PstnCallLogRow[] {
  const rows: PstnCallLogRow[] = [];
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  // Some days are busier than others.
  const volume = WEEKDAY_FACTOR[weekday] * (0.85 + 0.3 * rng.next());
  for (const user of ctx.tenant.users) {
    const calls = rng.poisson(perUser * volume);
    for (let i = 0; i < calls; i++) {
      const row = userCall(ctx, rng, date, user, rng.weighted(USER_CALL_MIX));
      if (row) rows.push(row);
    }
  }
  if (ctx.tollFree.length > 0 && ctx.tenant.users.length > 0) {
    const calls = rng.poisson(1.2 * ctx.tenant.users.length * volume);
    for (let i = 0; i < calls; i++) rows.push(tollFreeCall(ctx, rng, date));
  }
  return rows;
}

/** A start instant on local `date` in `country`, following the hourly curve. */
function startOn(rng: Prng, date: string, country: string): Date {
  const hour = rng.weighted(HOURLY_WEIGHTS.map((w, h) => [h, w] as const));
  const second = hour * 3600 + rng.int(0, 3599);
  const localMidnight = Date.parse(`${date}T00:00:00Z`);
  return new Date(localMidnight + second * 1000 + rng.int(0, 999) - utcOffsetHours(country) * 3_600_000);
}

function seconds(rng: Prng, median: number, sigma: number, max: number): number {
  return Math.max(4, Math.min(max, Math.round(rng.logNormal(median, sigma))));
}

function mobileOr(rng: Prng, share: number): NumberType {
  return rng.chance(share) ? "mobile" : "fixed";
}

function userCall(ctx: Context, rng: Prng, date: string, user: SimulatedUser, kind: UserCallKind): PstnCallLogRow | undefined {
  const home = user.usageLocation || ctx.region;
  const start = startOn(rng, date, home);
  const own = ctx.didOf.get(user.id) ?? ctx.bridgeNumber;
  const base = { user, home, start, id: rng.uuid(), callId: rng.uuid() };
  switch (kind) {
    case "domestic": {
      const to = ctx.book.number(rng, home, mobileOr(rng, 0.35));
      if (!to) return undefined;
      return row(ctx, { ...base, callType: "user_out", caller: own, callee: to, calleeCountry: home, duration: seconds(rng, 180, 1.0, 4 * 3600), inventoryType: "Subscriber" });
    }
    case "international": {
      const country = rng.weighted(INTERNATIONAL_WEIGHTS.filter(([c]) => c !== home));
      const to = ctx.book.number(rng, country, mobileOr(rng, 0.45));
      if (!to) return undefined;
      return row(ctx, { ...base, callType: "user_out", caller: own, callee: to, calleeCountry: country, duration: seconds(rng, 240, 0.9, 3 * 3600), inventoryType: "Subscriber" });
    }
    case "conf_out": {
      const where = rng.next();
      const country = where < 0.6 ? home : where < 0.85 ? rng.weighted(ZONE_A_ABROAD.filter(([c]) => c !== home)) : rng.weighted(BEYOND_ZONE_A);
      const to = ctx.book.number(rng, country, mobileOr(rng, 0.6));
      if (!to) return undefined;
      return row(ctx, {
        ...base,
        callType: "conf_out",
        caller: ctx.bridgeNumber,
        callee: to,
        calleeCountry: country,
        duration: seconds(rng, 900, 0.8, 4 * 3600),
        inventoryType: "Service",
        conferenceId: rng.uuid(),
        capability: "MCOMEETADV",
      });
    }
    case "inbound": {
      const country = rng.chance(0.85) ? home : rng.weighted(INTERNATIONAL_WEIGHTS.filter(([c]) => c !== home));
      const from = ctx.book.number(rng, country, mobileOr(rng, 0.5));
      if (!from) return undefined;
      return row(ctx, {
        ...base,
        callType: "user_in",
        caller: from,
        callee: own,
        calleeCountry: home,
        callerCountry: country,
        duration: seconds(rng, 150, 1.0, 3 * 3600),
        inventoryType: "Subscriber",
      });
    }
    case "emergency":
      return row(ctx, {
        ...base,
        callType: "user_out",
        caller: own,
        callee: EMERGENCY_BY_COUNTRY[home] ?? "112",
        calleeCountry: home,
        duration: seconds(rng, 120, 0.5, 3600),
        inventoryType: "Subscriber",
        emergency: true,
      });
  }
}

function tollFreeCall(ctx: Context, rng: Prng, date: string): PstnCallLogRow {
  const user = rng.pick(ctx.tenant.users);
  const bridge = rng.chance(0.7);
  const callerCountry = rng.chance(0.9) ? ctx.region : rng.weighted(INTERNATIONAL_WEIGHTS.filter(([c]) => c !== ctx.region));
  const caller = ctx.book.number(rng, callerCountry, mobileOr(rng, 0.55)) ?? "";
  return row(ctx, {
    user,
    home: user.usageLocation || ctx.region,
    start: startOn(rng, date, ctx.region),
    id: rng.uuid(),
    callId: rng.uuid(),
    callType: bridge ? "conf_in" : "user_in",
    caller,
    callee: rng.pick(ctx.tollFree),
    calleeCountry: ctx.region,
    callerCountry,
    duration: bridge ? seconds(rng, 1500, 0.6, 4 * 3600) : seconds(rng, 200, 0.9, 2 * 3600),
    inventoryType: "Toll Free",
    conferenceId: bridge ? rng.uuid() : undefined,
    capability: bridge ? "MCOMEETADV" : undefined,
  });
}

interface CallFacts {
  user: SimulatedUser;
  home: string;
  start: Date;
  id: string;
  callId: string;
  callType: string;
  caller: string;
  callee: string;
  calleeCountry: string;
  /** For inbound calls: where the caller is. */
  callerCountry?: string;
  duration: number;
  inventoryType: string;
  conferenceId?: string;
  capability?: string;
  emergency?: boolean;
}

function row(ctx: Context, f: CallFacts): PstnCallLogRow {
  const inbound = f.callType.endsWith("_in");
  const otherCountry = inbound ? (f.callerCountry ?? f.home) : f.calleeCountry;
  return {
    id: f.id,
    callId: f.callId,
    userId: f.user.id,
    userPrincipalName: f.user.upn,
    userDisplayName: f.user.displayName,
    startDateTime: f.start.toISOString(),
    // Whole seconds of connected time, and the span exactly that long.
    endDateTime: new Date(f.start.getTime() + f.duration * 1000).toISOString(),
    duration: f.duration,
    charge: 0,
    connectionCharge: 0,
    callType: f.callType,
    currency: "USD",
    calleeNumber: f.callee,
    callerNumber: f.caller,
    usageCountryCode: f.home,
    tenantCountryCode: ctx.region,
    destinationContext: f.emergency ? "Domestic" : otherCountry === f.home ? "Domestic" : "International",
    destinationName: ctx.book.countryName(f.calleeCountry),
    conferenceId: f.conferenceId ?? null,
    licenseCapability: f.capability ?? CAPABILITY[f.user.callingPlan ?? "none"] ?? "MCOEV",
    inventoryType: f.inventoryType,
    operator: "Microsoft",
    callDurationSource: "microsoft",
    otherPartyCountryCode: otherCountry,
  };
}
