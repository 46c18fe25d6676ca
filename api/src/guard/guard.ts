/**
 * The toll-fraud guard of a tenant (GET/PUT /api/v1/guard): blocked destinations, domestic-only
 * mode, a per-user daily cap, and the spend-spike detector that runs after each ingestion.
 *
 * The settings are one document per tenant (`guard` in the `state` container), changed by
 * read → replace If-Match, every change audited. `restrictToDomestic` and `blockDestination` are
 * what the buttons of a `spend_spike` card call.
 */
import type { Container } from "@azure/cosmos";
import type { GuardSettings } from "@cc/common";
import type { Actor, AuditLog } from "../audit/audit-log.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { Outbox } from "../notifications/outbox.js";
import type { Clock } from "../shared/clock.js";
import { refuse } from "../shared/refusal.js";
import { createDoc, queryMonths, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import { monthsBetween } from "../store/containers.js";
import { CLOCK_SKEW_MS } from "../usage/classify.js";
import type { DayRollupDoc, UsageRollups } from "../usage/rollups.js";
import { basisWindow } from "../accounts/forecast-rules.js";
import { localDayWindow } from "../usage/local-day-rules.js";
import { knownTimeZone } from "../usage/period-rules.js";
import { DEFAULT_GUARD, exceptionGroups, guardCall, hourlyBaseline, isSpike, normalizeGuard, rulesFor, type GuardedCall, type GuardRefusal } from "./guard-rules.js";
import type { GroupMembersReader } from "../directory/group-members.js";

interface GuardDoc extends GuardSettings {
  id: "guard";
  tenantId: string;
  type: "guard";
  updatedAt: string;
  _etag?: string;
}

const MAX_RACES = 50;

const settingsOf = (doc: GuardDoc | undefined): GuardSettings =>
  doc
    ? {
        blockedCountries: doc.blockedCountries,
        blockedPrefixes: doc.blockedPrefixes,
        blockPremiumRate: doc.blockPremiumRate,
        domesticOnly: doc.domesticOnly,
        perUserDailyCapMicros: doc.perUserDailyCapMicros,
        spikeFactor: doc.spikeFactor,
        exceptions: doc.exceptions ?? [],
      }
    : { ...DEFAULT_GUARD };

/** A call for the guard to judge, with the tenant's time zone its caller read with the account (the user's day is the tenant's). */
export type CallToJudge = Omit<GuardedCall, "userSpentTodayMicros"> & { timeZone: string | null | undefined };

export class Guard {
  private readonly state: Container;
  private readonly usage: Container;

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly rollups: UsageRollups,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly countryName: (code: string) => string,
    /** Entra group members, for exceptions by group (none: group exceptions match nobody). */
    private readonly groups?: GroupMembersReader,
  ) {
    this.state = store.containers.state;
    this.usage = store.containers.usage;
  }

  async get(tenantId: string): Promise<GuardSettings> {
    await this.ledger.readAccount(tenantId);
    return settingsOf(await readDoc<GuardDoc>(this.state, tenantId, "guard"));
  }

  /**
   * PUT /api/v1/guard: the whole settings. The calling policy is the voice admins' too; the daily
   * cap per user is a money setting, changed only by a caller who may move money (`mayChangeMoney`).
   */
  update(tenantId: string, actor: Actor, settings: GuardSettings, { mayChangeMoney = true }: { mayChangeMoney?: boolean } = {}): Promise<GuardSettings> {
    return this.change(tenantId, actor, "guard.updated", (current, currency) => {
      if (!mayChangeMoney && settings.perUserDailyCapMicros !== current.perUserDailyCapMicros) {
        throw refuse.forbidden("The daily cap per user is a money setting: only Global and Billing Administrators can change it", "guardMoney");
      }
      return normalizeGuard({ ...settings, exceptions: settings.exceptions ?? current.exceptions }, currency);
    });
  }

  /** The "Restrict to domestic" button of a spend_spike card. */
  restrictToDomestic(tenantId: string, actor: Actor): Promise<GuardSettings> {
    return this.change(tenantId, actor, "guard.domestic_only", (current) => ({ ...current, domesticOnly: true }));
  }

  /** The "Block this destination" button of a spend_spike card. */
  blockDestination(tenantId: string, actor: Actor, countryCode: string): Promise<GuardSettings> {
    return this.change(tenantId, actor, "guard.destination_blocked", (current, currency) =>
      normalizeGuard({ ...current, blockedCountries: [...current.blockedCountries, countryCode] }, currency),
    );
  }

  private async change(tenantId: string, actor: Actor, action: string, fn: (current: GuardSettings, currency: string) => GuardSettings): Promise<GuardSettings> {
    const account = await this.ledger.readAccount(tenantId);
    for (let race = 0; race < MAX_RACES; race++) {
      const doc = await readDoc<GuardDoc>(this.state, tenantId, "guard");
      const before = settingsOf(doc);
      const after = fn(before, account.currency);
      if (JSON.stringify(before) === JSON.stringify(after) && doc) return before;
      const next: GuardDoc = { ...after, id: "guard", tenantId, type: "guard", updatedAt: this.clock.now().toISOString() };
      const written = doc ? await replaceIfMatch(this.state, next, doc._etag ?? "") : (await createDoc(this.state, next)).created ? next : undefined;
      if (!written) continue;
      await this.audit.record(tenantId, actor, action, before, after);
      return after;
    }
    throw refuse.conflict("contention", "The guard settings kept changing; try again", { what: "guard" });
  }

  /** May this call start, as far as the guard is concerned? */
  async checkCall(tenantId: string, userId: string | null, call: CallToJudge): Promise<GuardRefusal | undefined> {
    return (await this.verdict(tenantId, userId, call)).reason;
  }

  /** The guard's answer for this caller, and the exception that shaped it (a user's own, or a group's resolved through Graph now). */
  async verdict(tenantId: string, userId: string | null, call: CallToJudge): Promise<{ reason?: GuardRefusal; exception?: string }> {
    if (!call.outbound) return {};
    const stored = settingsOf(await readDoc<GuardDoc>(this.state, tenantId, "guard"));
    const groupIds = userId && this.groups ? exceptionGroups(stored) : [];
    const memberOf = new Set<string>();
    await Promise.all(
      groupIds.map(async (groupId) => {
        if ((await this.groups!.userIds(tenantId, groupId)).has(userId!)) memberOf.add(groupId);
      }),
    );
    const { rules: settings, exception } = rulesFor(stored, userId, memberOf);
    const named = exception ? { exception: exception.displayName ?? exception.userId ?? exception.groupId } : {};
    let spent: number | null = null;
    if (userId && call.chargesCredits && settings.perUserDailyCapMicros !== null) {
      // The user's day is the tenant's calendar day (its time zone), counted quarter hour by quarter hour.
      const today = localDayWindow(this.clock.now(), knownTimeZone(call.timeZone));
      spent = (await this.rollups.userBetween(tenantId, userId, today.from, today.to)).chargeMicros;
    }
    const { timeZone: _zone, ...facts } = call;
    const reason = guardCall(settings, { ...facts, userSpentTodayMicros: spent });
    return reason ? { reason, ...named } : named;
  }

  /**
   * After an ingestion: a user's or destination's spend in the last hour above spikeFactor × its
   * 30-day hourly baseline (and above the floor) emits one spend_spike event per subject and hour
   * (event id `user:<id>:<hour>` / `destination:<country>:<hour>`). Answers how many were found.
   */
  async watchSpikes(tenantId: string): Promise<number> {
    const now = this.clock.now();
    const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
    // Calls started in the last hour (or up to the clock skew ahead): the month partitions they can be in, one query each.
    const recent = await queryMonths<{ userId: string; userPrincipalName: string | null; destinationCountry: string; chargeMicros: number }>(
      this.usage,
      tenantId,
      monthsBetween(hourAgo, new Date(now.getTime() + CLOCK_SKEW_MS).toISOString()),
      "SELECT c.userId, c.userPrincipalName, c.destinationCountry, c.chargeMicros FROM c WHERE c.tenantId = @tenantId AND c.startDateTime >= @from AND c.chargeMicros > 0",
      { "@from": hourAgo },
    );
    if (recent.length === 0) return 0;
    const byUser = new Map<string, { upn: string | null; micros: number }>();
    const byDestination = new Map<string, number>();
    for (const r of recent) {
      if (r.userId) byUser.set(r.userId, { upn: r.userPrincipalName, micros: (byUser.get(r.userId)?.micros ?? 0) + r.chargeMicros });
      if (r.destinationCountry) byDestination.set(r.destinationCountry, (byDestination.get(r.destinationCountry) ?? 0) + r.chargeMicros);
    }
    const [account, settings, days] = await Promise.all([this.ledger.readAccount(tenantId), this.get(tenantId), this.lastThirtyDays(tenantId, now)]);
    const currency = account.currency;
    const hour = now.toISOString().slice(0, 13);
    let found = 0;
    // A user's baseline is read only when the last hour could be a spike at all (above the floor):
    // one point read of the user's shard per day of the window, for those few users.
    const candidates = [...byUser].filter(([, { micros }]) => isSpike(micros, 0, settings.spikeFactor));
    const window = days.map((d) => d.day);
    const baselines = new Map<string, number>();
    await Promise.all(
      candidates.map(async ([userId]) => {
        const tallies = await Promise.all(window.map((day) => this.rollups.userDay(tenantId, day, userId)));
        baselines.set(userId, hourlyBaseline(tallies.reduce((s, t) => s + (t?.chargeMicros ?? 0), 0)));
      }),
    );
    for (const [userId, { upn, micros }] of candidates) {
      const baseline = baselines.get(userId) ?? 0;
      if (!isSpike(micros, baseline, settings.spikeFactor)) continue;
      found++;
      await this.outbox.emit(tenantId, "spend_spike", `user:${userId}:${hour}`, {
        upn,
        userId,
        destinationCountry: null,
        destinationName: null,
        amountMicros: micros,
        baselineMicros: baseline,
        currency,
      });
    }
    for (const [country, micros] of byDestination) {
      const baseline = hourlyBaseline(days.reduce((s, d) => s + (d.byDestination[country]?.chargeMicros ?? 0), 0));
      if (!isSpike(micros, baseline, settings.spikeFactor)) continue;
      found++;
      const name = this.countryName(country);
      await this.outbox.emit(tenantId, "spend_spike", `destination:${country}:${hour}`, {
        upn: null,
        destinationCountry: country,
        destinationName: name,
        amountMicros: micros,
        baselineMicros: baseline,
        currency,
      });
    }
    return found;
  }

  /**
   * The 30 complete UTC days before today (point reads of the day rollups): the spike baseline is an
   * average per hour over 720 hours, which no time zone changes.
   */
  private async lastThirtyDays(tenantId: string, now: Date): Promise<DayRollupDoc[]> {
    return (await Promise.all(basisWindow(now).map((d) => this.rollups.read(tenantId, d)))).filter((d): d is DayRollupDoc => d !== undefined);
  }
}
