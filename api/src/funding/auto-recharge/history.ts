/** Auto-recharge, history (GET /api/v1/recharges): the latest attempts, newest first, as the API shows them. */
import type { RechargeAttemptView } from "@cc/common";
import type { RechargeState } from "../../accounts/account.js";
import { queryAll, type Store } from "../../store/cosmos.js";
import type { AttemptDoc } from "./run-attempt.js";

export type RechargeHistory = (tenantId: string, limit?: number) => Promise<RechargeAttemptView[]>;

export function rechargeHistory(deps: { store: Store }): RechargeHistory {
  const payments = deps.store.containers.payments;
  return async (tenantId, limit = 20) => {
    const docs = await queryAll<AttemptDoc>(
      payments,
      tenantId,
      `SELECT TOP ${Math.trunc(limit)} * FROM c WHERE c.tenantId = @tenantId AND c.type = 'recharge_attempt' ORDER BY c.state.updatedAt DESC`,
    );
    return docs.map((d) => toAttemptView(d.state));
  };
}

export function toAttemptView(state: RechargeState): RechargeAttemptView {
  return {
    id: state.attemptId,
    status: state.status === "in_flight" ? "pending" : state.status,
    amountMicros: state.amountMicros,
    tries: state.tries,
    failureCode: state.failureCode,
    nextRetryAt: state.nextRetryAt,
    at: state.updatedAt,
  };
}
