/**
 * Auto-recharge, retry now (the tab, and the Retry button of a recharge_failed card): run the
 * current failed or waiting attempt at once with the current payment method. Claimed on the account
 * like any try (../recharge-rules.ts retryNowClaim), so concurrent clicks charge once; the others
 * get 409 nothing_to_retry.
 */
import type { RechargeAttemptView } from "@cc/common";
import type { RechargeState } from "../../accounts/account.js";
import { retryNowClaim } from "../recharge-rules.js";
import type { LedgerWriter } from "../../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../../audit/audit-log.js";
import type { Clock } from "../../shared/clock.js";
import { LEASE_MS, type RechargeRunner } from "./run-attempt.js";
import { toAttemptView } from "./history.js";

export type RetryRechargeNow = (tenantId: string, actor: Actor) => Promise<RechargeAttemptView>;

export function retryRechargeNow(deps: { ledger: LedgerWriter; audit: AuditLog; clock: Clock; runner: Pick<RechargeRunner, "kick" | "runAttempt"> }): RetryRechargeNow {
  return async (tenantId, actor) => {
    const now = deps.clock.now().toISOString();
    let claimed: RechargeState | undefined;
    await deps.ledger.updateAccount(tenantId, (account) => {
      claimed = retryNowClaim(account, tenantId, now, LEASE_MS);
      return { ...account, recharge: claimed };
    });
    if (!claimed) throw new Error("retry claim missing");
    await deps.audit.record(tenantId, actor, "recharge.retry_requested", null, { attemptId: claimed.attemptId, tries: claimed.tries });
    const finished = await deps.runner.runAttempt(tenantId, claimed);
    deps.runner.kick(tenantId);
    return toAttemptView(finished);
  };
}
