/**
 * Calling-plan minute pools and the Audio Conferencing dial-out zone: what a subscription already
 * pays for, so rating charges credits only for the rest.
 *
 * Which pool a call draws from (the user's plan × where the call goes; "domestic" means the
 * destination country equals the user's usage location):
 *
 * | calling plan             | domestic call                    | international call                    |
 * |--------------------------|----------------------------------|---------------------------------------|
 * | `none`                   | credits                          | credits                               |
 * | `domestic`               | domestic pool, overflow: credits | credits                               |
 * | `domestic_international` | domestic pool, overflow: credits | international pool, overflow: credits |
 * | `pay_as_you_go`          | credits                          | credits                               |
 *
 * Pools are shared by every user of a tenant on a plan that feeds them, per calendar month (UTC,
 * by the call's start) and per usage location (a pool never mixes countries). Capacity is
 * minutes per user per month × users on a feeding plan in that country:
 *
 * | bucket          | US, CA, PR | EU member states + UK (list below) | elsewhere | feeding plans                       |
 * |-----------------|------------|------------------------------------|-----------|-------------------------------------|
 * | `domestic`      | 3000       | 1200                               | 1200      | domestic, domestic_international    |
 * | `international` | 600        | 600                                | 600       | domestic_international              |
 *
 * Unused minutes do not roll over: a new month is a new pool key.
 */
import type { CallingPlan } from "@cc/common";

export type PoolBucket = "domestic" | "international";
export type CallScope = "domestic" | "international";

/** Calling Plans sold with 3000 domestic minutes per user. */
export const NORTH_AMERICA_POOL_COUNTRIES: ReadonlySet<string> = new Set(["US", "CA", "PR"]);

/** The 27 EU member states and the United Kingdom: 1200 domestic minutes per user. */
export const EUROPE_POOL_COUNTRIES: ReadonlySet<string> = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
  "GB",
]);

export const DOMESTIC_MINUTES_NORTH_AMERICA = 3000;
export const DOMESTIC_MINUTES_EUROPE = 1200;
/** Kept apart from Europe's figure, though equal today, so either can change alone. */
export const DOMESTIC_MINUTES_ELSEWHERE = 1200;
export const INTERNATIONAL_MINUTES_PER_USER = 600;

/** The pool a call draws from, or null when the plan includes no minutes for it (credits pay). */
export function poolBucketFor(plan: CallingPlan, scope: CallScope): PoolBucket | null {
  switch (plan) {
    case "domestic":
      return scope === "domestic" ? "domestic" : null;
    case "domestic_international":
      return scope;
    case "pay_as_you_go":
    case "none":
      return null;
  }
}

/** Which plans put minutes into a bucket: count these users when sizing the pool. */
export function plansFeeding(bucket: PoolBucket): readonly CallingPlan[] {
  return bucket === "domestic" ? ["domestic", "domestic_international"] : ["domestic_international"];
}

export function minutesPerUser(bucket: PoolBucket, country: string): number {
  if (bucket === "international") return INTERNATIONAL_MINUTES_PER_USER;
  if (NORTH_AMERICA_POOL_COUNTRIES.has(country)) return DOMESTIC_MINUTES_NORTH_AMERICA;
  if (EUROPE_POOL_COUNTRIES.has(country)) return DOMESTIC_MINUTES_EUROPE;
  return DOMESTIC_MINUTES_ELSEWHERE;
}

/** A month's capacity of one pool: per-user minutes × users on a plan that feeds it there. */
export function poolCapacityMinutes(bucket: PoolBucket, country: string, usersOnPlan: number): number {
  if (!Number.isInteger(usersOnPlan) || usersOnPlan < 0) throw new RangeError(`usersOnPlan must be a non-negative integer, got ${usersOnPlan}`);
  return minutesPerUser(bucket, country) * usersOnPlan;
}

export interface PoolKeyParts {
  tenantId: string;
  /** "YYYY-MM", the UTC calendar month of the call's start. */
  month: string;
  bucket: PoolBucket;
  /** ISO 3166-1 alpha-2 usage location of the users who share the pool. */
  country: string;
}

/**
 * The id of one pool's usage document: deterministic, so concurrent ingesters of the same month
 * meet on one document (and its ETag) instead of creating two. Uses ":" because Cosmos ids may
 * not contain "/", "\\", "?" or "#".
 */
export function poolKey({ tenantId, month, bucket, country }: PoolKeyParts): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  if (!/^[A-Z]{2}$/.test(country)) throw new RangeError(`country must be ISO 3166-1 alpha-2, got ${country}`);
  if (!tenantId || /[/\\?#:]/.test(tenantId)) throw new RangeError(`tenantId is not usable in a key: ${tenantId}`);
  return `pool:${tenantId}:${month}:${bucket}:${country}`;
}

/** The pool month of a call: the UTC calendar month of its start ("2025-03-31T23:30:00-02:00" → "2025-04"). */
export function poolMonth(startDateTime: string): string {
  const start = new Date(startDateTime);
  if (Number.isNaN(start.getTime())) throw new RangeError(`not a date-time: ${startDateTime}`);
  return start.toISOString().slice(0, 7);
}

/**
 * Audio Conferencing "Zone A" (Microsoft Learn, "Audio Conferencing Zone A countries and
 * regions"): dial-outs from a meeting to these countries are included in the standard Audio
 * Conferencing license; anywhere else is paid from Communications Credits.
 *
 * Australia, Austria, Belgium, Brazil, Bulgaria, Canada, China, Croatia, Czech Republic, Denmark,
 * Estonia, Finland, France, Germany, Greece, Hong Kong SAR, Hungary, India, Ireland, Italy, Japan,
 * Luxembourg, Malaysia, Mexico, Netherlands, New Zealand, Norway, Poland, Portugal, Puerto Rico,
 * Romania, Russia, Singapore, Slovak Republic, Slovenia, South Africa, South Korea, Spain, Sweden,
 * Switzerland, Taiwan, Thailand, United Kingdom, United States.
 *
 * Simplification: Microsoft also caps included dial-out minutes per licensed user per month; we
 * treat Zone A dial-outs as fully included, since that cap is not ours to meter.
 */
export const CONFERENCING_DIAL_OUT_ZONE: ReadonlySet<string> = new Set([
  "AU",
  "AT",
  "BE",
  "BR",
  "BG",
  "CA",
  "CN",
  "HR",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HK",
  "HU",
  "IN",
  "IE",
  "IT",
  "JP",
  "LU",
  "MY",
  "MX",
  "NL",
  "NZ",
  "NO",
  "PL",
  "PT",
  "PR",
  "RO",
  "RU",
  "SG",
  "SK",
  "SI",
  "ZA",
  "KR",
  "ES",
  "SE",
  "CH",
  "TW",
  "TH",
  "GB",
  "US",
]);
