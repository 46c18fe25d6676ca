/**
 * PSTN usage as the API offers it: ingest call records (ingest.ts), read records and
 * summaries (report.ts), and authorize a call about to start against the live balance, the
 * user's license and what the user's pool has left.
 */
import type { FundsAddedView, ImpactView, RatedCallView } from "@cc/common";
import type { Actor } from "../audit/audit-log.js";
import type { Directory, DirectoryUser } from "../directory/directory.js";
import { refuse } from "../shared/refusal.js";
import { poolKey, type PoolBucket } from "./rating/plans.js";
import { authorizeCall, classifyCall, type AuthorizationRefusal } from "./rating/rate-call.js";
import { queryAll, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { Licenses } from "../licenses/licenses.js";
import type { Rates } from "./rates.js";
import { UsageIngest } from "./ingest.js";
import type { IngestResult } from "./rated-call.js";
import { poolCapacityFor } from "./pools.js";
import { emptyImpactTally, impactOf, mergeImpact, tallyImpact, type ImpactTally } from "./impact-rules.js";
import { impactPartOfDay, utcDaysTouching } from "./local-day-rules.js";
import { parseRange, UsageReport, type SummaryGroupBy, type UsageSummary } from "./report.js";
import { isPeriodName, knownTimeZone, localDayStart, periodOf, type Period } from "./period-rules.js";
import type { DepartmentSpend, DepartmentSummary } from "./departments.js";
import type { DayRollupDoc, UsageRollups } from "./rollups.js";
import type { AccountDoc } from "../accounts/account.js";
import { t } from "@cc/common";

/** A range asked for by name (`period=30d`) or by instants (`from`, `to`). */
export interface RangeQuery {
  from?: unknown;
  to?: unknown;
  period?: unknown;
}

/** The summary as answered: with the named period it covers (its instants and calendar days) when one was asked. */
export type UsageSummaryAnswer = (UsageSummary | DepartmentSummary) & { period?: Period };

export interface AuthorizeRequest {
  userId: string;
  callType: string;
  number: string;
  inventoryType?: string | null;
}

export interface AuthorizeAnswer {
  allowed: boolean;
  reason?: AuthorizationRefusal;
  perMinuteMicros: number;
  currency: string;
}

/** What the toll-fraud guard says of an outbound call about to start (guard/guard.ts; wired in wiring.ts). */
export type CallGuard = (
  tenantId: string,
  userId: string | null,
  call: { outbound: boolean; number: string; destinationCountry: string; homeCountry: string; chargesCredits: boolean; timeZone: string | null | undefined },
) => Promise<AuthorizationRefusal | undefined>;

/** What the composition root hands the usage capability (wiring.ts), all at construction. */
export interface UsageWiring {
  /** The day rollups, when others (the guard, the forecasts) share them. */
  rollups?: UsageRollups;
  /** The guard's check of a call the balance and license allow (none: every such call passes). */
  callGuard?: CallGuard;
  /** Spend by department: tallied per batch, reported, and budgets enforced by the call guard. */
  departments?: DepartmentSpend;
  /** Runs after every ingestion that recorded calls (the spend-spike detector); its failure does not fail the ingestion. */
  afterIngest?: (tenantId: string) => Promise<unknown>;
}

export class Usage {
  readonly ingestor: UsageIngest;
  readonly report: UsageReport;
  private readonly callGuard: CallGuard | undefined;
  private readonly departments: DepartmentSpend | undefined;
  private readonly afterIngest: ((tenantId: string) => Promise<unknown>) | undefined;

  private requireDepartments(): DepartmentSpend {
    if (!this.departments) throw new Error("spend by department is not wired");
    return this.departments;
  }

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly directory: Directory,
    private readonly licenses: Licenses,
    private readonly rates: Rates,
    private readonly clock: Clock,
    wired: UsageWiring = {},
  ) {
    this.callGuard = wired.callGuard;
    this.departments = wired.departments;
    this.afterIngest = wired.afterIngest;
    this.ingestor = new UsageIngest(
      store,
      ledger,
      directory,
      licenses,
      rates,
      clock,
      wired.rollups,
      wired.departments ? (tenantId, ref, members) => wired.departments!.tally(tenantId, ref, members) : undefined,
    );
    this.report = UsageReport.of(store, this.ingestor.rollups, this.ingestor.batches);
  }

  /** Rate and charge Graph pstnCallLogRow rows; see UsageIngest.ingest. */
  async ingest(tenantId: string, rows: unknown[], batchKey?: string): Promise<IngestResult> {
    const result = await this.ingestor.ingest(tenantId, rows, batchKey);
    // Spikes are about the last hour: an import of older calls (a backfill, the simulator) has none.
    const hourAgo = this.clock.now().getTime() - 3_600_000;
    const recent = rows.some((r) => typeof r === "object" && r !== null && Date.parse(String((r as { startDateTime?: unknown }).startDateTime)) >= hourAgo);
    if (result.accepted > 0 && recent && this.afterIngest) await this.afterIngest(tenantId);
    return result;
  }

  async records(tenantId: string, query: RangeQuery, limit: number, cursor: string | undefined): Promise<{ items: RatedCallView[]; next: string | null }> {
    const { range } = await this.resolvePeriod(tenantId, query);
    return this.report.records(tenantId, parseRange(range, this.clock.now()), limit, cursor);
  }

  /**
   * A named period (period-rules.ts) in the tenant's time zone, as instants; from/to pass through
   * when no name is given. Every surface that says "last 30 days" comes through here. `account`: the
   * tenant's account when the caller has read it already (its zone is all this needs).
   */
  async resolvePeriod(
    tenantId: string,
    query: RangeQuery,
    account?: Pick<AccountDoc, "timeZone">,
  ): Promise<{ range: { from?: unknown; to?: unknown }; period?: Period; timeZone?: string }> {
    const zoneOf = async () => (account ?? (await this.ledger.readAccount(tenantId))).timeZone;
    if (query.period === undefined || query.period === "") return resolveDays(query, zoneOf);
    if (!isPeriodName(query.period)) throw refuse.invalid("period", "periodName");
    if (query.from !== undefined || query.to !== undefined) throw refuse.invalid("period", "periodAndRange");
    const period = periodOf(query.period, this.clock.now(), (await zoneOf()) ?? undefined);
    return { range: { from: period.from, to: period.to }, period };
  }

  /** Simulated usage until real call records flow (dev only): one usage debit, posted once per key. */
  async simulateDebit(tenantId: string, actor: Actor, amountMicros: number, idempotencyKey: string): Promise<FundsAddedView> {
    const posted = await this.ledger.post(tenantId, () => ({
      kind: "usage",
      amountMicros: -amountMicros,
      ref: `dev-debit:${idempotencyKey}`,
      postedBy: actor.id,
      postedByUpn: actor.upn,
    }));
    return { entryId: posted.entry.id, balanceMicros: posted.entry.balanceAfterMicros };
  }

  async summary(tenantId: string, query: RangeQuery, groupBy: SummaryGroupBy | "department", locale = "en"): Promise<UsageSummaryAnswer> {
    const account = await this.ledger.readAccount(tenantId);
    const resolved = await this.resolvePeriod(tenantId, query, account);
    const range = parseRange(resolved.range, this.clock.now());
    const summary =
      groupBy === "department"
        ? await this.requireDepartments().summary(tenantId, account.currency, range, t(locale, "budgets.noDepartment"), resolved.period?.timeZone ?? resolved.timeZone)
        : await this.report.summary(tenantId, account.currency, range, groupBy, resolved.period?.timeZone ?? resolved.timeZone);
    return resolved.period ? { ...summary, period: resolved.period } : summary;
  }

  /**
   * GET /api/v1/account/impact: what a zero balance would have refused in the last 30 days (today
   * included) in the tenant's time zone, from the day rollups of the 31 UTC days they touch (31 point
   * reads of small documents, never a scan of the usage records). A UTC day inside the period counts
   * its whole tally; a day the period's edge cuts counts its quarter hours inside it (calls and
   * minutes exact; its distinct callers are the whole day's). A day whose rollup predates the impact
   * tally is counted from that day's records.
   */
  async impact(tenantId: string): Promise<ImpactView> {
    const account = await this.ledger.readAccount(tenantId);
    const period = periodOf("30d", this.clock.now(), account.timeZone ?? undefined);
    const from = Date.parse(period.from);
    const to = Date.parse(period.to);
    const days = utcDaysTouching(from, to);
    const tallies = await Promise.all(days.map((day) => this.dayImpact(tenantId, day, from, to)));
    const total = emptyImpactTally();
    for (const tally of tallies) if (tally) mergeImpact(total, tally);
    if (!total.outbound) return impactOf(total, () => "");
    // Rollups written before the split at ingestion: their calls are split with the callers' countries now.
    const users = await this.directory.users(tenantId);
    const home = new Map(users.map((u) => [u.id, u.usageLocation || account.region]));
    return impactOf(total, (userId) => home.get(userId) ?? account.region);
  }

  /** The impact of one UTC day's part of [from, to). */
  private async dayImpact(tenantId: string, day: string, from: number, to: number): Promise<ImpactTally | undefined> {
    const rollup = await this.ingestor.rollups.read(tenantId, day);
    if (!rollup) return undefined;
    const part = impactPartOfDay(rollup, from, to);
    if (part !== "whole") return part;
    return this.wholeDayImpact(tenantId, day, rollup);
  }

  private async wholeDayImpact(tenantId: string, day: string, rollup: DayRollupDoc): Promise<ImpactTally | undefined> {
    if (rollup.impact) return rollup.impact;
    // A day rolled up before the impact tally existed: counted from its records, split as legacy rollups are.
    const records = await queryAll<{ callType: string; calleeNumber: string; inventoryType?: string | null; billedMinutes: number; userId: string; destinationCountry: string }>(
      this.ingestor.usage,
      tenantId,
      "SELECT c.callType, c.calleeNumber, c.inventoryType, c.billedMinutes, c.userId, c.destinationCountry FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.chargedTo = 'credits'",
      { "@day": day },
      day.slice(0, 7), // the day's month partition
    );
    const tally: ImpactTally = { tollFree: {}, dialOut: { calls: 0, minutes: 0 }, outbound: {} };
    for (const r of records) {
      const split = emptyImpactTally();
      tallyImpact(split, { ...r, homeCountry: "" }); // toll-free and dial-outs as they are; other calls by user and country below
      mergeImpact(tally, { ...split, international: undefined, beyondPlan: undefined });
      if (split.international?.calls || split.beyondPlan?.calls) {
        const byCountry = (tally.outbound![r.userId ?? ""] ??= {});
        byCountry[r.destinationCountry ?? ""] = (byCountry[r.destinationCountry ?? ""] ?? 0) + 1;
      }
    }
    return tally;
  }

  /**
   * The call the guard would judge if `userId` dialled `number` now (the Rates lookup for a chosen
   * user): outbound, its destination and the user's country, and whether it would draw on credits
   * (a rated destination the user's plan and pool do not cover), the balance left aside.
   */
  async guardedCall(
    tenantId: string,
    userId: string,
    number: string,
  ): Promise<{ outbound: boolean; number: string; destinationCountry: string; homeCountry: string; chargesCredits: boolean; timeZone: string | null | undefined }> {
    const account = await this.ledger.current(tenantId);
    const [users, licensed] = await Promise.all([this.directory.users(tenantId), this.licenses.isLicensed(tenantId, userId)]);
    const user = users.find((u) => u.id === userId);
    if (!user) throw refuse.notFound("The user");
    const tenantCountry = account.region;
    const country = user.usageLocation || tenantCountry;
    const rate = this.rates.find(number);
    const classified = classifyCall({
      callType: "user_out",
      calleeNumber: number,
      inventoryType: null,
      rate,
      user: { callingPlan: user.callingPlan, licensed, usageLocation: country },
      tenantCountry,
    });
    const month = this.clock.now().toISOString().slice(0, 7);
    const remaining = async (bucket: PoolBucket) =>
      this.ingestor.pools.remaining(tenantId, poolKey({ tenantId, month, bucket, country }), poolCapacityFor(users, bucket, country, tenantCountry));
    const [domestic, international] = await Promise.all([remaining("domestic"), remaining("international")]);
    const decision = authorizeCall({
      user: { callingPlan: user.callingPlan, licensed, usageLocation: country },
      callType: "user_out",
      number,
      rate,
      balanceMicros: 1,
      poolRemainingMinutes: { domestic, international },
      tenantCountry,
      inventoryType: null,
    });
    return {
      outbound: classified.ok,
      number,
      destinationCountry: classified.ok ? classified.destinationCountry : "",
      homeCountry: country,
      chargesCredits: decision.perMinuteMicros > 0,
      timeZone: account.timeZone,
    };
  }

  /** May this call start now? Emergency calls always; plan-covered calls while the pool has a minute; else license and a positive balance. */
  async authorize(tenantId: string, request: AuthorizeRequest): Promise<AuthorizeAnswer> {
    const account = await this.ledger.current(tenantId);
    this.rates.requireCurrency(account.currency);
    const [users, licensed] = await Promise.all([this.directory.users(tenantId), request.userId ? this.licenses.isLicensed(tenantId, request.userId) : Promise.resolve(false)]);
    let user: DirectoryUser | undefined;
    if (request.userId) {
      user = users.find((u) => u.id === request.userId);
      if (!user) throw refuse.notFound("The user", "user");
    }
    const tenantCountry = account.region;
    const country = user?.usageLocation || tenantCountry;
    const month = this.clock.now().toISOString().slice(0, 7);
    const remaining = async (bucket: PoolBucket) =>
      this.ingestor.pools.remaining(tenantId, poolKey({ tenantId, month, bucket, country }), poolCapacityFor(users, bucket, country, tenantCountry));
    const [domestic, international] = await Promise.all([remaining("domestic"), remaining("international")]);
    const decision = authorizeCall({
      user: user ? { callingPlan: user.callingPlan, licensed, usageLocation: country } : null,
      callType: request.callType,
      number: request.number,
      rate: this.rates.find(request.number),
      balanceMicros: account.head.balanceMicros,
      poolRemainingMinutes: { domestic, international },
      tenantCountry,
      inventoryType: request.inventoryType,
    });
    if (decision.allowed && this.callGuard) {
      const classified = classifyCall({
        callType: request.callType,
        calleeNumber: request.number,
        inventoryType: request.inventoryType,
        rate: this.rates.find(request.number),
        user: user ? { callingPlan: user.callingPlan, licensed, usageLocation: country } : null,
        tenantCountry,
      });
      const outbound = classified.ok && (classified.call.kind === "outbound" || classified.call.kind === "conference_dial_out");
      const reason = classified.ok
        ? await this.callGuard(tenantId, request.userId || null, {
            outbound,
            number: request.number,
            destinationCountry: classified.destinationCountry,
            homeCountry: country,
            chargesCredits: decision.perMinuteMicros > 0,
            timeZone: account.timeZone,
          })
        : undefined;
      if (reason) return { allowed: false, reason, perMinuteMicros: decision.perMinuteMicros, currency: account.currency };
    }
    return { ...decision, currency: account.currency };
  }
}

/**
 * from/to as calendar days (yyyy-mm-dd, `to` exclusive) are the tenant's days: each starts at
 * midnight in its time zone, like a named period's. Instants (with a time and offset) pass through.
 */
async function resolveDays(query: RangeQuery, zoneOf: () => Promise<string | null | undefined>): Promise<{ range: { from?: unknown; to?: unknown }; timeZone?: string }> {
  const isDay = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (!isDay(query.from) && !isDay(query.to)) return { range: { from: query.from, to: query.to } };
  const zone = knownTimeZone(await zoneOf());
  const local = (v: unknown) => (isDay(v) ? (localDayStart(v, zone) ?? v) : v);
  return { range: { from: local(query.from), to: local(query.to) }, timeZone: zone };
}
