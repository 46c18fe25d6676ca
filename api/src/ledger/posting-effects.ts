/**
 * The one place where a committed ledger entry has effects: its audit record, the outbox events it
 * causes (funds added, balance low, balance at zero) and the recharge it may need.
 *
 * The ledger writer hands every committed entry here — the instance that wrote it, one that rolled
 * an account forward past a crashed writer, and a replay that found its entry already posted — so
 * an entry can arrive more than once. Every effect is keyed by the entry (audit id `ledger:<id>`,
 * event id `<kind>:<entry id>`) and a second arrival changes nothing; a replay after a crash between
 * the posting and its effects still writes them, once.
 */
import { suggestedTopUpMicros, type AccountDoc } from "../accounts/account.js";
import { SYSTEM_ACTORS, type AuditLog } from "../audit/audit-log.js";
import type { Outbox } from "../notifications/outbox.js";
import type { LedgerEntry } from "./entries.js";
import { HOLD_MS, rechargeWillResolve, resolveThresholds, thresholdCrossed, type LowBalanceThreshold } from "../notifications/alert-rules.js";

/** What the balance alerts need beyond the entry: the tenant's low-balance thresholds and the largest charge. */
export interface BalanceAlerts {
  thresholds(tenantId: string): Promise<readonly LowBalanceThreshold[]>;
  maxChargeMicros: number;
}

const AUDIT_ACTION: Record<LedgerEntry["kind"], string> = {
  funding: "funds.added",
  auto_recharge: "recharge.credited",
  usage: "usage.debited",
  expiry: "funds.expired",
  adjustment: "ledger.adjusted",
};

export class PostingEffects {
  constructor(
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    /** Start whatever recharge the account needs (idempotent: the recharge decision is claimed on the account). */
    private readonly needsRecharge: (tenantId: string) => void,
    private readonly alerts?: BalanceAlerts,
  ) {}

  async apply(account: AccountDoc, entries: readonly LedgerEntry[]): Promise<void> {
    for (const entry of entries) {
      // The audit record and the events are independent documents, each keyed by the entry: written side by side.
      const effects: Promise<void>[] = [
        this.audit
          .recordOnce(
            account.tenantId,
            `ledger:${entry.id}`,
            actorOf(entry),
            AUDIT_ACTION[entry.kind],
            entry.at,
            { balanceMicros: entry.balanceAfterMicros - entry.amountMicros },
            {
              balanceMicros: entry.balanceAfterMicros,
              amountMicros: entry.amountMicros,
              ref: entry.ref,
              entryId: entry.id,
              ...(entry.chargeId ? { chargeId: entry.chargeId } : {}),
            },
          )
          .then(() => undefined),
      ];
      // The card offers no action already done (no "Turn on auto-recharge" while it is on).
      const facts = {
        currency: entry.currency,
        balanceAfterMicros: entry.balanceAfterMicros,
        thresholdMicros: account.autoRecharge.thresholdMicros,
        entryId: entry.id,
        autoRechargeEnabled: account.autoRecharge.enabled,
        suggestedTopUpMicros: suggestedTopUpMicros(account.autoRecharge.thresholdMicros),
      };
      // A balance alert that a recharge under way will resolve waits for it (held-alerts.ts).
      // (`account` is as it was before these entries: judge the recharge on the balance this entry left.)
      const asOfEntry = { ...account, head: { ...account.head, balanceMicros: entry.balanceAfterMicros } };
      const hold =
        this.alerts && entry.amountMicros < 0 && rechargeWillResolve(asOfEntry, entry.at, this.alerts.maxChargeMicros)
          ? { holdUntil: new Date(Date.parse(entry.at) + HOLD_MS).toISOString() }
          : {};
      const thresholds = this.alerts && entry.amountMicros < 0 ? resolveThresholds(await this.alerts.thresholds(account.tenantId), account.autoRecharge.amountMicros) : [];
      if (entry.kind === "funding") {
        effects.push(
          this.outbox.emit(account.tenantId, "funds_added", entry.id, {
            amountMicros: entry.amountMicros,
            currency: entry.currency,
            balanceAfterMicros: entry.balanceAfterMicros,
            by: entry.postedByUpn ?? entry.postedBy,
          }),
        );
      }
      // Below the threshold with auto-recharge off: the admins must act. With it on, the recharge does.
      if (thresholds.length > 0) {
        // The tenant's own thresholds: each crossing once per descent, the highest crossed when several; zero says more than any.
        const crossed = thresholdCrossed(entry.balanceAfterMicros - entry.amountMicros, entry.balanceAfterMicros, thresholds);
        if (crossed && !entry.depleted) {
          effects.push(
            this.outbox.emit(
              account.tenantId,
              "balance_low",
              entry.id,
              { ...facts, thresholdMicros: crossed.micros, ...(crossed.percentOfRecharge !== undefined ? { percentOfRecharge: crossed.percentOfRecharge } : {}) },
              hold,
            ),
          );
        }
      } else if (entry.crossing !== undefined && !account.autoRecharge.enabled) effects.push(this.outbox.emit(account.tenantId, "balance_low", entry.id, facts));
      if (entry.depleted) effects.push(this.outbox.emit(account.tenantId, "balance_depleted", entry.id, facts, hold));
      // Every effect is tried; the first failure is reported (a replay of the cause makes the missing ones).
      const outcomes = await Promise.allSettled(effects);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
      if (failed) throw failed.reason;
    }
    // A recharge restores the balance: any debit that leaves it below the threshold while no recharge
    // runs asks for one (the decision is claimed on the account, so asking twice starts one).
    const below = entries.some((e) => e.amountMicros < 0 && e.balanceAfterMicros < account.autoRecharge.thresholdMicros);
    if (account.autoRecharge.enabled && below && account.recharge?.status !== "in_flight") this.needsRecharge(account.tenantId);
  }
}

function actorOf(entry: LedgerEntry): { id: string; upn?: string } {
  const system = Object.values(SYSTEM_ACTORS).find((a) => a.id === entry.postedBy);
  if (system) return system;
  return entry.postedByUpn ? { id: entry.postedBy, upn: entry.postedByUpn } : { id: entry.postedBy };
}
