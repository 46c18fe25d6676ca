/**
 * Reading rated usage: pages of records (newest first) and summaries.
 *
 * Records are paged on one sortable field, `sortKey` = startDateTime (UTC ISO) + "|" + id, with a
 * keyset cursor (the last sortKey of the page): one single-field ORDER BY, no OFFSET, stable while
 * records are added; queried one UTC day (`day`) at a time, so a page costs a day's records at
 * most, not the range's. Summaries never scan records: they point-read the day rollups of [from, to).
 * A record's `state` is its batch's: "posted" once the batch document is done, else "rated"
 * (records are never rewritten; one point read per distinct batch on the page).
 */
import type { Container } from "@azure/cosmos";
import type { RatedCallView, UsageGroupBy, UsageSummaryGroupView, UsageSummaryView } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { queryAll, withoutSystemFields, type Store } from "../store/cosmos.js";
import type { UsageBatches } from "./batches.js";
import { mapLimit } from "../shared/map-limit.js";
import type { RatedCallDoc } from "./rated-call.js";
import type { DayRollupDoc, UsageRollups, UserTally } from "./rollups.js";
import { summarizeDays, utcDaysTouching } from "./local-day-rules.js";

export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

export type SummaryGroupBy = UsageGroupBy;
export type SummaryGroup = UsageSummaryGroupView;
/** A summary as the report counts it (the use case adds the named period it resolved). */
export type UsageSummary = Omit<UsageSummaryView, "groupBy" | "period"> & { groupBy: SummaryGroupBy };

export interface Range {
  from: Date;
  to: Date;
}

/** An ISO date ("2025-03-01", midnight UTC) or date-time with offset; undefined when absent. */
function parseInstant(value: unknown, path: string): Date | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw refuse.invalid(path, "isoDate");
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if ((!dateOnly && !dateTime) || Number.isNaN(at.getTime()) || (dateOnly && at.toISOString().slice(0, 10) !== value)) {
    throw refuse.invalid(path, "isoDate");
  }
  return at;
}

/** [from, to): default the last 30 days up to now; from <= to; at most 400 days. */
export function parseRange(query: { from?: unknown; to?: unknown }, now: Date): Range {
  const to = parseInstant(query.to, "to") ?? now;
  const from = parseInstant(query.from, "from") ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) throw refuse.invalid("from", "fromAfterTo");
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw refuse.invalid("to", "rangeTooLong", { days: MAX_RANGE_DAYS });
  return { from, to };
}

export function toView(doc: RatedCallDoc): RatedCallView & Record<string, unknown> {
  const { pk, ...view } = withoutSystemFields(doc);
  void pk; // the store's partition key, not part of the record
  return view as unknown as RatedCallView & Record<string, unknown>;
}

export class UsageReport {
  constructor(
    private readonly usage: Container,
    private readonly rollups: UsageRollups,
    private readonly batches: UsageBatches,
  ) {}

  static of(store: Store, rollups: UsageRollups, batches: UsageBatches): UsageReport {
    return new UsageReport(store.containers.usage, rollups, batches);
  }

  /** Records that started in [from, to), newest first. */
  async records(tenantId: string, range: Range, limit: number, cursor: string | undefined): Promise<{ items: RatedCallView[]; next: string | null }> {
    let before = `${range.to.toISOString()}`;
    if (cursor !== undefined) {
      const decoded = Buffer.from(cursor, "base64url").toString("utf8");
      if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|.+$/.test(decoded)) throw refuse.invalid("cursor", "cursor");
      if (decoded < before) before = decoded;
    }
    // Day by day, newest first: each query sorts one day's records, never the range's (on the local
    // store a sort is of everything the query matches; in Azure `day` narrows the index range).
    const from = range.from.toISOString();
    const docs: RatedCallDoc[] = [];
    // A day without a rollup has no record, unless a batch is still open (its records are rolled up
    // when it finishes): then every day is queried. Otherwise such days cost one point read each.
    let anyOpen: Promise<boolean> | undefined;
    const mayHaveRecords = async (day: string) =>
      (await this.rollups.read(tenantId, day)) !== undefined || (await (anyOpen ??= this.batches.openSince(tenantId, "9999").then((refs) => refs.length > 0)));
    for (let day = before.slice(0, 10); docs.length <= limit && day >= from.slice(0, 10); day = previousDay(day)) {
      if (!(await mayHaveRecords(day))) continue;
      docs.push(
        ...(await queryAll<RatedCallDoc>(
          this.usage,
          tenantId,
          `SELECT TOP ${limit + 1 - docs.length} * FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.sortKey >= @from AND c.sortKey < @before ORDER BY c.sortKey DESC`,
          { "@day": day, "@from": from, "@before": before },
          day.slice(0, 7), // the day's month partition
        )),
      );
    }
    const page = docs.slice(0, limit);
    const next = docs.length > limit ? Buffer.from(page[page.length - 1].sortKey, "utf8").toString("base64url") : null;
    return { items: await this.withState(tenantId, page), next };
  }

  /** The views of `docs` with the state of their batch ("posted" and when, or "rated"). */
  private async withState(tenantId: string, docs: RatedCallDoc[]): Promise<RatedCallView[]> {
    const refs = [...new Set(docs.map((d) => d.batchRef))];
    const batches = new Map<string, Awaited<ReturnType<UsageBatches["read"]>>>();
    await mapLimit(refs, 32, async (ref) => void batches.set(ref, await this.batches.read(tenantId, ref)));
    return docs.map((doc) => {
      const batch = batches.get(doc.batchRef);
      // No batch document: a record written before batch documents existed carries its own state.
      const legacy = doc as RatedCallDoc & { state?: string; postedAt?: string };
      const state = batch ? (batch.state === "done" ? "posted" : "rated") : (legacy.state ?? "posted");
      const postedAt = batch ? batch.doneAt : legacy.postedAt;
      return { ...toView(doc), state, ...(state === "posted" && postedAt ? { postedAt } : {}) };
    });
  }

  /**
   * Totals by day, user, destination or call type, from the day rollups (one small document per UTC
   * day, never a scan of records); by user also reads each day's USER_SHARDS shards of per-user
   * totals. With `timeZone` (a named period): exactly the instants [from, to), quarter hour by
   * quarter hour, grouped by that zone's calendar days (local-day-rules.ts). Without: the whole UTC
   * days the range touches, as before named periods.
   */
  async summary(tenantId: string, currency: string, range: Range, groupBy: SummaryGroupBy, timeZone?: string): Promise<UsageSummary> {
    const zone = timeZone ?? "UTC";
    const fromMs = timeZone ? range.from.getTime() : Math.floor(range.from.getTime() / DAY_MS) * DAY_MS;
    const toMs = timeZone ? range.to.getTime() : Math.ceil(range.to.getTime() / DAY_MS) * DAY_MS;
    const days = utcDaysTouching(fromMs, toMs);
    const docs: (DayRollupDoc | undefined)[] = new Array(days.length);
    await mapLimit(
      days.map((day, i) => ({ day, i })),
      32,
      async ({ day, i }) => {
        docs[i] = await this.rollups.read(tenantId, day);
      },
    );
    const userShards = new Map<string, Record<string, UserTally>[]>();
    if (groupBy === "user") {
      await mapLimit(
        docs.filter((d): d is DayRollupDoc => d !== undefined),
        4,
        async (doc) => void userShards.set(doc.day, await this.rollups.usersOfDay(tenantId, doc.day, doc)),
      );
    }
    const present = docs.filter((d): d is DayRollupDoc => d !== undefined);
    const { from, to, groups, totals } = summarizeDays(present, userShards, fromMs, toMs, zone, groupBy);
    return { from, to, currency, groupBy, groups, totals };
  }
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}
