/**
 * Auto-recharge, the retry job: accounts whose transient failure is due, or whose in-flight attempt
 * was abandoned (its lease ran out), get their attempt run again. Answers how many were due.
 */
import { queryAll, type Store } from "../../store/cosmos.js";
import type { Clock } from "../../shared/clock.js";
import type { RechargeRunner } from "./run-attempt.js";

export type RetryDueRecharges = () => Promise<number>;

export function retryDueRecharges(deps: { store: Store; clock: Clock; runner: Pick<RechargeRunner, "kick" | "settle"> }): RetryDueRecharges {
  const accounts = deps.store.containers.accounts;
  return async () => {
    const now = deps.clock.now().toISOString();
    const due = await queryAll<{ tenantId: string }>(
      accounts,
      undefined,
      "SELECT c.tenantId FROM c WHERE (c.recharge.status = 'retry_scheduled' AND c.recharge.nextRetryAt <= @now) OR (c.recharge.status = 'in_flight' AND c.recharge.leaseUntil < @now)",
      { "@now": now },
    );
    for (const { tenantId } of due) deps.runner.kick(tenantId);
    await deps.runner.settle();
    return due.length;
  };
}
