/**
 * Auto-recharge, resume (POST /api/v1/account/auto-recharge/resume, the Resume button of a
 * recharge_paused card): lift a breaker pause; the breaker counts afresh from now.
 */
import type { AccountDoc } from "../../accounts/account.js";
import type { LedgerWriter, Stored } from "../../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../../audit/audit-log.js";
import type { Clock } from "../../shared/clock.js";
import type { RechargeRunner } from "./run-attempt.js";

export type ResumeAutoRecharge = (tenantId: string, actor: Actor) => Promise<Stored<AccountDoc>>;

export function resumeAutoRecharge(deps: { ledger: LedgerWriter; audit: AuditLog; clock: Clock; runner: Pick<RechargeRunner, "kick"> }): ResumeAutoRecharge {
  return async (tenantId, actor) => {
    const now = deps.clock.now().toISOString();
    let before: AccountDoc["rechargePaused"] = null;
    const account = await deps.ledger.updateAccount(tenantId, (current) => {
      before = current.rechargePaused ?? null;
      return before ? { ...current, rechargePaused: null, rechargeResumedAt: now } : undefined;
    });
    if (before) {
      await deps.audit.record(tenantId, actor, "auto_recharge.resumed", { paused: before }, { paused: null, resumedAt: now });
      deps.runner.kick(tenantId);
    }
    return account;
  };
}
