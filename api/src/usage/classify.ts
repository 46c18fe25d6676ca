/**
 * Step 0 of ingestion (see ingest.ts), pure: validate the rows, then classify each valid one
 * (who called, which rate, which calling-plan pool funds it). A row rating cannot price is
 * rejected with its index and changes nothing; the same id twice in one request is one call.
 */
import { pstnCallLogRowSchema, type PstnCallLogRow } from "@cc/common";
import type { DirectoryUser } from "../directory/directory.js";
import { isStorable } from "../shared/store-ids.js";
import { poolKey, poolMonth } from "./rating/plans.js";
import { classifyCall, type RatingUser } from "./rating/rate-call.js";
import type { RateCardEntry } from "./rating/rate-card.js";
import type { Candidate, RatingContext, RejectedRow } from "./rated-call.js";

export interface ParsedRow {
  index: number;
  row: PstnCallLogRow;
  directoryUser: DirectoryUser | undefined;
}

/** Clocks differ: a record up to this far ahead of ours is taken as now, not as the future. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface RowContext {
  usersById: ReadonlyMap<string, DirectoryUser>;
  /** The account's currency: every charge is in it. */
  currency: string;
  now: Date;
}

export function parseRows(rows: readonly unknown[], { usersById, currency, now }: RowContext): { parsed: ParsedRow[]; rejected: RejectedRow[] } {
  // 0. Validate; a row rating cannot price is rejected and changes nothing.
  const latest = now.getTime() + CLOCK_SKEW_MS;
  const rejected: RejectedRow[] = [];
  const parsed: { index: number; row: PstnCallLogRow; directoryUser: DirectoryUser | undefined }[] = [];
  rows.forEach((raw, index) => {
    const result = pstnCallLogRowSchema.safeParse(raw);
    if (!result.success) {
      rejected.push({ index, errors: result.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(row)", message: i.message })) });
      return;
    }
    const row = stripSystemFields(result.data as PstnCallLogRow);
    // A usage id is the record's document id, as Graph gave it (a GUID): one the store cannot hold is refused, not encoded.
    if (!isStorable(row.id)) {
      rejected.push({ index, errors: [{ path: "id", message: "must not contain '/', '\\', '?', '#' or control characters" }] });
      return;
    }
    // A call that has not ended yet cannot have been made: a record dated later is a wrong clock or a forgery.
    const future = (["startDateTime", "endDateTime"] as const).filter((field) => Date.parse(row[field]) > latest);
    if (future.length > 0) {
      rejected.push({ index, errors: future.map((path) => ({ path, message: `is in the future (after ${now.toISOString()}): a call record describes a call that has ended` })) });
      return;
    }
    // Graph's currency is that of Microsoft's own charge; a record priced in another currency than the account's is another tenant's or a mistake.
    if (row.currency && row.currency !== currency) {
      rejected.push({ index, errors: [{ path: "currency", message: `is ${row.currency}, but this account is in ${currency}: records are charged in the account's currency` }] });
      return;
    }
    parsed.push({ index, row, directoryUser: row.userId ? usersById.get(row.userId) : undefined });
  });
  return { parsed, rejected };
}

export function classifyRows(
  ctx: RatingContext,
  parsed: readonly ParsedRow[],
  licensed: ReadonlySet<string>,
  findRate: (number: string) => RateCardEntry | undefined,
): { valid: Candidate[]; rejected: RejectedRow[]; duplicates: number } {
  const { tenantId } = ctx;
  const rejected: RejectedRow[] = [];

  // Classify; the same id twice in one request is one call.
  const seen = new Set<string>();
  let duplicates = 0;
  const valid: Candidate[] = [];
  for (const { index, row, directoryUser } of parsed) {
    const user: RatingUser | null = directoryUser
      ? { callingPlan: directoryUser.callingPlan, licensed: licensed.has(directoryUser.id), usageLocation: directoryUser.usageLocation || ctx.tenantCountry }
      : null;
    const rate = findRate(row.calleeNumber);
    const classification = classifyCall({ callType: row.callType, calleeNumber: row.calleeNumber, inventoryType: row.inventoryType, rate, user, tenantCountry: ctx.tenantCountry });
    if (!classification.ok) {
      const message =
        classification.reason === "unknown_destination"
          ? `no rate for ${row.calleeNumber || "an empty number"} (unknown_destination)`
          : `unknown call type ${row.callType} (unknown_call_type)`;
      rejected.push({ index, errors: [{ path: classification.reason === "unknown_destination" ? "calleeNumber" : "callType", message }] });
      continue;
    }
    if (seen.has(row.id)) {
      duplicates++;
      continue;
    }
    seen.add(row.id);
    let pool: Candidate["pool"] = null;
    if (classification.funding.payer === "pool") {
      const month = poolMonth(row.startDateTime);
      const country = user?.usageLocation || ctx.tenantCountry;
      const bucket = classification.funding.bucket;
      pool = { key: poolKey({ tenantId, month, bucket, country }), month, bucket, country };
    }
    const sortKey = `${new Date(row.startDateTime).toISOString()}|${row.id}`;
    valid.push({ index, row, user, rate, pool, sortKey, existing: undefined, read: false });
  }

  return { valid, rejected, duplicates };
}

/** Drop anything that looks like a store system property a client sent along (looseObject keeps extras). */
function stripSystemFields<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith("_"))) as T;
}
