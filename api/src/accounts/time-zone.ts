/**
 * The tenant's time zone (PUT /api/v1/account/time-zone): an IANA zone Intl knows, kept on the
 * account, audited. Every named period ("last 30 days", a budget's month), the summaries, the
 * forecasts and the daily cap per user count the calendar days of that zone from the next read on:
 * the rollups keep quarter hours of UTC days (usage/rollups.ts), so nothing is re-keyed.
 */
import type { LedgerWriter, Stored } from "../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { AccountDoc } from "./account.js";
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from "../usage/period-rules.js";
import { refuse } from "../shared/refusal.js";

export type SetTimeZone = (tenantId: string, actor: Actor, timeZone: string) => Promise<Stored<AccountDoc>>;

/** An unknown zone is 400 `invalid_input` naming the field and the value given, in the caller's language (problems.field.say.timeZone). */
export function setTimeZone(deps: { ledger: Pick<LedgerWriter, "updateAccount">; audit: Pick<AuditLog, "record"> }): SetTimeZone {
  return async (tenantId, actor, timeZone) => {
    const zone = canonicalTimeZone(timeZone);
    if (!zone) throw refuse.invalid("timeZone", "timeZone", { value: timeZone });
    let before = DEFAULT_TIME_ZONE;
    const account = await deps.ledger.updateAccount(tenantId, (current) => {
      before = current.timeZone ?? DEFAULT_TIME_ZONE;
      return before === zone ? undefined : { ...current, timeZone: zone };
    });
    if (before !== zone) await deps.audit.record(tenantId, actor, "account.time_zone_set", { timeZone: before }, { timeZone: zone });
    return account;
  };
}
