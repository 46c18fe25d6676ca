/** What a Graph callType and a dialed number say about a call before any money rule: an emergency, its direction, a meeting dial-out, a toll-free line (rate-call.ts classifies with them). Pure. */
import { e164Digits } from "./rate-card.js";

/**
 * Short numbers that reach emergency services, compared with all the dialed digits:
 * 911 (North America), 933 (Teams emergency address test), 112 (EU, GSM everywhere), 999 (UK, IE,
 * HK, SG, MY), 000 (AU), 111 (NZ), 110/119/120 (JP, CN, KR, TW), 100/101/102/108 (IN),
 * 190/192/193 (BR), 15/17/18 (FR).
 */
export const EMERGENCY_NUMBERS: ReadonlySet<string> = new Set([
  "911",
  "933",
  "112",
  "999",
  "000",
  "111",
  "110",
  "119",
  "120",
  "100",
  "101",
  "102",
  "108",
  "190",
  "192",
  "193",
  "15",
  "17",
  "18",
]);

export function isEmergencyNumber(number: string): boolean {
  return EMERGENCY_NUMBERS.has(e164Digits(number));
}

export function isEmergencyCall(callType: string, number: string): boolean {
  return /emergency/i.test(callType) || isEmergencyNumber(number);
}

export type Direction = "inbound" | "outbound";

/** Graph call types put the direction as a word: user_in, conf_in, ucap_out, user_out_transfer. */
export function directionOf(callType: string): Direction | undefined {
  if (/(^|_)in(_|$)/.test(callType)) return "inbound";
  if (/(^|_)out(_|$)/.test(callType)) return "outbound";
  return undefined;
}

/** conf_out: the meeting bridge dials out; user_out_conf: a user adds PSTN people to a call. */
export function isConferenceDialOut(callType: string): boolean {
  return callType.startsWith("conf_") || callType === "user_out_conf";
}

export const TOLL_FREE_INVENTORY = /toll.?free/i;
