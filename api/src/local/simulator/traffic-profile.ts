/**
 * The shape of a tenant's calling the simulator follows (simulate-calls.ts): business hours by
 * country, the hourly and weekday curves, where international calls and meeting dial-outs go,
 * emergency numbers, the mix of a user's calls, and Graph's licenseCapability of each calling plan.
 */

/** Standard-time UTC offset in hours of a country's business hours (one zone per country: its main business centre). */
export const UTC_OFFSET_HOURS: Record<string, number> = {
  US: -6,
  CA: -5,
  MX: -6,
  PR: -4,
  DO: -4,
  JM: -5,
  BR: -3,
  AR: -3,
  CL: -4,
  CO: -5,
  PE: -5,
  CR: -6,
  PA: -5,
  GB: 0,
  IE: 0,
  PT: 0,
  IS: 0,
  MA: 1,
  FR: 1,
  DE: 1,
  IT: 1,
  ES: 1,
  NL: 1,
  BE: 1,
  AT: 1,
  CH: 1,
  SE: 1,
  NO: 1,
  DK: 1,
  PL: 1,
  CZ: 1,
  SK: 1,
  HU: 1,
  HR: 1,
  SI: 1,
  LU: 1,
  NG: 1,
  FI: 2,
  EE: 2,
  LV: 2,
  LT: 2,
  GR: 2,
  RO: 2,
  BG: 2,
  UA: 2,
  IL: 2,
  ZA: 2,
  EG: 2,
  RU: 3,
  TR: 3,
  SA: 3,
  QA: 3,
  KE: 3,
  AE: 4,
  KZ: 5,
  PK: 5,
  IN: 5.5,
  LK: 5.5,
  BD: 6,
  TH: 7,
  VN: 7,
  ID: 7,
  CN: 8,
  HK: 8,
  SG: 8,
  MY: 8,
  TW: 8,
  PH: 8,
  JP: 9,
  KR: 9,
  AU: 10,
  NZ: 12,
};

export function utcOffsetHours(country: string): number {
  return UTC_OFFSET_HOURS[country] ?? 0;
}

/** Relative call volume by local hour: peaks at 9–11 and 14–15, a lunch dip at 12, little at night. */
export const HOURLY_WEIGHTS: readonly number[] = [
  0.02,
  0.01,
  0.01,
  0.01,
  0.01,
  0.02,
  0.05,
  0.3, // 0–7
  0.8,
  1.0,
  1.0,
  0.9,
  0.45,
  0.65,
  1.0,
  0.95,
  0.8,
  0.5, // 8–17
  0.2,
  0.1,
  0.06,
  0.04,
  0.03,
  0.02, // 18–23
];

/** Sunday = 0 … Saturday = 6. */
export const WEEKDAY_FACTOR = [0.03, 1, 1, 1, 1, 0.95, 0.06];

/** Where international calls go (weights), for a US-like tenant; the home country is skipped. */
export const INTERNATIONAL_WEIGHTS: readonly (readonly [string, number])[] = [
  ["GB", 14],
  ["IN", 12],
  ["DE", 10],
  ["MX", 8],
  ["CA", 8],
  ["FR", 6],
  ["PH", 5],
  ["CN", 4],
  ["JP", 4],
  ["BR", 4],
  ["AU", 3],
  ["ES", 3],
  ["IT", 3],
  ["NL", 3],
  ["IE", 2],
  ["PL", 2],
  ["AE", 2],
  ["SG", 2],
  ["IL", 2],
  ["CH", 2],
  ["KR", 1],
  ["ZA", 1],
  ["NG", 1],
  ["KE", 1],
  ["TR", 1],
  ["AR", 1],
  ["CO", 1],
  ["SE", 1],
  ["US", 10],
];

/** Meeting dial-outs beyond Audio Conferencing Zone A (paid from credits). */
export const BEYOND_ZONE_A: readonly (readonly [string, number])[] = [
  ["PH", 4],
  ["AE", 3],
  ["NG", 2],
  ["TR", 2],
  ["AR", 2],
  ["IL", 2],
  ["KE", 1],
  ["CO", 1],
  ["EG", 1],
  ["VN", 1],
];
export const ZONE_A_ABROAD: readonly (readonly [string, number])[] = [
  ["GB", 5],
  ["DE", 4],
  ["IN", 4],
  ["FR", 3],
  ["CA", 3],
  ["US", 3],
  ["JP", 2],
  ["AU", 2],
  ["NL", 2],
  ["ES", 1],
];

export const EMERGENCY_BY_COUNTRY: Record<string, string> = { US: "911", CA: "911", PR: "911", MX: "911", GB: "999", IE: "112", AU: "000", NZ: "111", IN: "112" };

export type UserCallKind = "domestic" | "international" | "conf_out" | "inbound" | "emergency";
export const USER_CALL_MIX: readonly (readonly [UserCallKind, number])[] = [
  ["domestic", 70],
  ["international", 12],
  ["conf_out", 7],
  ["inbound", 11],
  ["emergency", 0.1],
];

/** Graph's licenseCapability of a user's calling plan (Teams SKU plan names). */
export const CAPABILITY: Record<string, string> = {
  domestic: "MCOPSTN1",
  domestic_international: "MCOPSTN2",
  pay_as_you_go: "MCOPSTN_PAYG",
  none: "MCOEV",
};
