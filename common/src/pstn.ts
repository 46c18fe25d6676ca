/**
 * Microsoft Graph `microsoft.graph.callRecords.pstnCallLogRow` (one row of the PSTN usage report,
 * from `communications/callRecords/getPstnCalls`) and the rated view the API answers with.
 *
 * Field names are Graph's, unchanged, so a Graph export can be posted as it is.
 * Graph's `charge` and `connectionCharge` are Microsoft's own (floating point) figures; they are
 * carried for reference only and never enter our money arithmetic, which is integer micros.
 */
import { z } from "zod";

export interface PstnCallLogRow {
  /** Unique call identifier (GUID); our usage document id, so a row is charged once. */
  id: string;
  /** Not guaranteed to be unique (Graph). */
  callId?: string | null;
  /** Empty for bot call types (ucap_in, ucap_out): auto attendants and call queues have no user. */
  userId: string;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  startDateTime: string;
  endDateTime: string;
  /** Connected time in whole seconds. */
  duration: number;
  /** Microsoft's charge, as a Graph Double. Reference only. */
  charge?: number | null;
  /** user_in, user_out, user_out_conf, user_out_transfer, user_out_forwarding, conf_in, conf_out, ucap_in, ucap_out, ... */
  callType: string;
  currency?: string | null;
  /** The number dialed: the outside party for outbound calls, our (e.g. toll-free) number for inbound. */
  calleeNumber: string;
  usageCountryCode?: string | null;
  tenantCountryCode?: string | null;
  /** Microsoft's connection fee, as a Graph Double. Reference only. */
  connectionCharge?: number | null;
  callerNumber: string;
  /** "Domestic" / "International", relative to the user's location. */
  destinationContext?: string | null;
  destinationName?: string | null;
  conferenceId?: string | null;
  licenseCapability?: string | null;
  /** The user's number type, e.g. "Subscriber", "Service", "Toll free". */
  inventoryType?: string | null;
  operator?: string | null;
  callDurationSource?: string | null;
  /** Country of the caller (inbound) or callee (outbound); Graph beta `callLogRow`. */
  otherPartyCountryCode?: string | null;
}

/** Who paid for a rated call: the credits balance, a calling-plan pool, a subscription, or nobody. */
export type ChargedTo = "credits" | "plan" | "included" | "none";

/** A rated call as GET /api/v1/usage/records answers it: the Graph row plus our rating. */
export interface RatedCallView extends PstnCallLogRow {
  chargeMicros: number;
  billedMinutes: number;
  chargedTo: ChargedTo;
  /** The account's currency (ISO 4217), which every *Micros field is in. */
  currency: string;
  ratedAt: string;
  /** Why the rating is unusual: "unlicensed", "pool_overflow", "pool_exhausted", "emergency", ... */
  flags: string[];
  /** ISO 3166 alpha-2 of the dialed number, or "" when unknown. */
  destinationCountry: string;
  connectionFeeMicros: number;
  perMinuteMicros: number;
}

/** Two days: longer "calls" are stuck legs, not billable conversations. */
export const MAX_CALL_DURATION_SECONDS = 86_400 * 2;

/**
 * A dialed or calling number: E.164 ("+" and up to 15 digits), empty (withheld, bots), or a short
 * service code such as 911 or 112, which is not E.164 but must reach the emergency rule intact.
 * The leading digit after "+" is not checked: Graph's own sample data has "+0123456789".
 */
const phoneNumber = z
  .string()
  .max(16)
  .regex(/^(?:\+\d{2,15}|\d{2,6}|)$/, "must be an E.164 number (+ and digits), a short code, or empty");

/** Optional descriptive text: Graph sends null for fields that do not apply. */
const optionalText = (max: number) => z.string().max(max).nullish();

/** Graph's money doubles are informational; refuse only what cannot be a number of currency. */
const optionalAmount = z.number().finite().nullish();

const isoDateTime = z.iso.datetime({ offset: true });

export const pstnCallLogRowSchema = z
  .looseObject({
    id: z.string().trim().min(1).max(200),
    callId: optionalText(400),
    // null for bot call types in Graph; normalised to "" so rating has one "no user" value.
    userId: z
      .string()
      .max(200)
      .nullish()
      .transform((value) => value ?? ""),
    userPrincipalName: optionalText(320),
    userDisplayName: optionalText(256),
    startDateTime: isoDateTime,
    endDateTime: isoDateTime,
    duration: z.number().int().min(0).max(MAX_CALL_DURATION_SECONDS),
    charge: optionalAmount,
    callType: z.string().trim().min(1).max(64),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code")
      .nullish(),
    calleeNumber: phoneNumber,
    usageCountryCode: optionalText(8),
    tenantCountryCode: optionalText(8),
    connectionCharge: optionalAmount,
    callerNumber: phoneNumber,
    destinationContext: optionalText(64),
    destinationName: optionalText(128),
    conferenceId: optionalText(200),
    licenseCapability: optionalText(128),
    inventoryType: optionalText(64),
    operator: optionalText(128),
    callDurationSource: optionalText(32),
    otherPartyCountryCode: optionalText(8),
  })
  .superRefine((row, ctx) => {
    const start = Date.parse(row.startDateTime);
    const end = Date.parse(row.endDateTime);
    if (end < start) {
      ctx.addIssue({ code: "custom", path: ["endDateTime"], message: "endDateTime is before startDateTime" });
      return;
    }
    // Connected time cannot exceed the call's span (one second of slack for Graph's sub-second
    // timestamps); a longer duration would bill minutes that never happened.
    const spanSeconds = Math.ceil((end - start) / 1000);
    if (row.duration > spanSeconds + 1) {
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        message: `duration ${row.duration}s exceeds the ${spanSeconds}s between startDateTime and endDateTime`,
      });
    }
  });

// Compile-time proof that what the schema accepts is a PstnCallLogRow.
type ParsedPstnCallLogRow = z.output<typeof pstnCallLogRowSchema>;
const parsedRowIsARow = (row: ParsedPstnCallLogRow): PstnCallLogRow => row;
void parsedRowIsARow;
