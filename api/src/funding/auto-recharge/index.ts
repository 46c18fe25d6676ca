/**
 * Auto-recharge as the rest of the API calls it: one use case per file (configure, resume,
 * retry-now, run-attempt, retry-due, history) over one runner; wiring.ts builds them. The pure rules
 * are in ../recharge-rules.ts.
 */
import type { ConfigureAutoRecharge } from "./configure.js";
import type { ResumeAutoRecharge } from "./resume.js";
import type { RetryRechargeNow } from "./retry-now.js";
import type { RetryDueRecharges } from "./retry-due.js";
import type { RechargeHistory } from "./history.js";

export { configureAutoRecharge } from "./configure.js";
export { resumeAutoRecharge } from "./resume.js";
export { retryRechargeNow } from "./retry-now.js";
export { retryDueRecharges } from "./retry-due.js";
export { rechargeHistory, toAttemptView } from "./history.js";
export { RechargeRunner } from "./run-attempt.js";

export interface AutoRecharge {
  configure: ConfigureAutoRecharge;
  resume: ResumeAutoRecharge;
  retryNow: RetryRechargeNow;
  retryDue: RetryDueRecharges;
  history: RechargeHistory;
  /** Start whatever recharge the account needs now, in the background. */
  kick(tenantId: string): void;
  /** Wait until no recharge started by this instance is still running (tests, shutdown). */
  settle(): Promise<void>;
}
