/**
 * Auto-recharge, running an attempt (the use case every other one kicks): while the balance is
 * below the threshold and nothing is in flight, one recharge is
 * decided that restores it (../recharge-rules.ts: a multiple of the amount in one payment). The
 * attempt's id is the account's next decision number, claimed on the account document with
 * If-Match, so however many debits race past the threshold, on however many instances, one attempt
 * runs and never two at once; when racing debits leave the balance below after it succeeded, the
 * next decision follows at once. The daily circuit breaker pauses it instead of charging too much.
 *
 * The outcome is recorded on the account (and the attempt document) before anyone is told. A
 * processing error is retried on a back-off schedule with a new processor key per try; a declined
 * or expired card is not tried again until the payment method or the settings change.
 */
import type { Container } from "@azure/cosmos";
import type { RechargeSucceededFacts } from "@cc/common";
import type { AccountDoc, RechargeState } from "../../accounts/account.js";
import { breakerLimits, decideRecharge, logRecharge, nextRetryAt, type RechargeDecision } from "../recharge-rules.js";
import { cardExpiry, cardName, expiredOn } from "../card-words.js";
import type { LedgerEntry } from "../../ledger/entries.js";
import type { Store } from "../../store/cosmos.js";
import type { CardProcessor, ChargeOutcome } from "../../payments/processor.js";
import type { LedgerWriter } from "../../ledger/ledger-writer.js";
import { findPaymentMethod } from "../payment-methods.js";
import type { Outbox } from "../../notifications/outbox.js";
import { SYSTEM_ACTORS, type AuditLog } from "../../audit/audit-log.js";
import type { Clock } from "../../shared/clock.js";

/** How long a claimed try is its instance's; after it, the retry job takes the attempt over. */
export const LEASE_MS = 60_000;

/** A recharge attempt as the payments container keeps it (history.ts reads them). */
export interface AttemptDoc {
  id: string;
  tenantId: string;
  type: "recharge_attempt";
  state: RechargeState;
  tries: { key: string; at: string; outcome: ChargeOutcome }[];
}

export class RechargeRunner {
  private readonly payments: Container;
  private readonly running = new Set<Promise<void>>();
  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly processor: CardProcessor,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly maxChargeMicros: number,
    private readonly onError: (error: unknown, tenantId: string) => void,
    /** Balance alerts held for a recharge (notifications/held-alerts.ts), settled when it ends. */
    private readonly heldAlerts?: { settle(tenantId: string, attemptId: string | null, succeeded: boolean): Promise<{ dip?: RechargeSucceededFacts["dip"] }> },
  ) {
    this.payments = store.containers.payments;
  }

  /** Start whatever recharge the account needs now, in the background. */
  kick(tenantId: string): void {
    const run = this.ensure(tenantId)
      .catch((error) => this.onError(error, tenantId))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Wait until no recharge started by this instance is still running (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Claim and run the attempt the account needs, if any; loops so that a balance still below the threshold after a recharge gets the next one. */
  async ensure(tenantId: string): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const now = this.clock.now().toISOString();
      let claimed: RechargeState | undefined;
      let paused: { decision: Extract<RechargeDecision, { action: "pause" }>; account: AccountDoc } | undefined;
      await this.ledger.updateAccount(tenantId, (account) => {
        claimed = undefined;
        paused = undefined;
        const decision = decideRecharge(account, now, this.maxChargeMicros);
        if (decision.action === "none") return undefined;
        if (decision.action === "pause") {
          paused = { decision, account };
          return { ...account, rechargePaused: { at: now, reason: decision.reason } };
        }
        const previous = account.recharge;
        const resuming = decision.action === "resume" && previous !== null;
        // A retry is a new try with a new processor key; resuming a crashed try reuses its key.
        const isRetry = resuming && previous.status === "retry_scheduled";
        const tries = !resuming ? 1 : isRetry ? previous.tries + 1 : previous.tries;
        claimed = {
          attemptId: decision.attemptId,
          crossing: account.head.crossings,
          settingsRev: account.settingsRev,
          status: "in_flight",
          amountMicros: decision.action === "start" ? decision.amountMicros : (previous?.amountMicros ?? account.autoRecharge.amountMicros),
          tries,
          tryKey: `${tenantId}:recharge:${decision.attemptId}:try${tries}`,
          failureCode: resuming ? previous.failureCode : null,
          nextRetryAt: null,
          leaseUntil: new Date(Date.parse(now) + LEASE_MS).toISOString(),
          updatedAt: now,
        };
        return { ...account, recharge: claimed, rechargeSeq: decision.action === "start" ? decision.seq : account.rechargeSeq };
      });
      if (paused) return this.tellPaused(tenantId, paused.account, paused.decision, now);
      if (!claimed) return;
      await this.runAttempt(tenantId, claimed);
    }
  }

  /** Only the instance whose write paused it tells the admins (the event id is the decision and the pause time). */
  private async tellPaused(tenantId: string, account: AccountDoc, decision: Extract<RechargeDecision, { action: "pause" }>, at: string): Promise<void> {
    const limits = breakerLimits(account.autoRecharge);
    const after = { paused: { at, reason: decision.reason }, window: decision.window, amountMicros: decision.amountMicros, ...limits };
    await this.audit.record(tenantId, SYSTEM_ACTORS.autoRecharge, "auto_recharge.paused", null, after);
    await this.heldAlerts?.settle(tenantId, null, false);
    await this.outbox.emit(tenantId, "recharge_paused", `rc-${decision.seq}:${at}`, {
      reason: decision.reason,
      currency: account.currency,
      amountMicros: decision.amountMicros,
      ...(decision.reason === "max_recharges_per_day" ? { limitCount: limits.maxRechargesPerDay } : { limitMicros: limits.maxAmountPerDayMicros }),
    });
  }

  /** Charge one try and record its outcome; answers the attempt as it ended (retry-now.ts runs its claim here). */
  async runAttempt(tenantId: string, attempt: RechargeState): Promise<RechargeState> {
    const account = await this.ledger.current(tenantId);
    const method = account.paymentMethodId ? await findPaymentMethod(this.payments, tenantId, account.paymentMethodId) : undefined;
    const outcome: ChargeOutcome = method
      ? await this.processor.charge({
          idempotencyKey: attempt.tryKey,
          amountMicros: attempt.amountMicros,
          currency: account.currency,
          processorPaymentMethodId: method.processorPaymentMethodId,
          description: "Communications Credits: auto-recharge",
          metadata: { tenantId, ledgerRef: `recharge:${attempt.attemptId}` }, // reconciliation ties the charge to its entry
        })
      : { ok: false, code: "card_declined", message: "The payment method no longer exists" };
    const now = this.clock.now().toISOString();

    let entry: LedgerEntry | undefined;
    if (outcome.ok) {
      entry = (
        await this.ledger.post(tenantId, () => ({
          kind: "auto_recharge",
          amountMicros: attempt.amountMicros,
          ref: `recharge:${attempt.attemptId}`,
          postedBy: SYSTEM_ACTORS.autoRecharge.id,
          chargeId: outcome.chargeId,
        }))
      ).entry;
    }
    const finished: RechargeState = outcome.ok
      ? { ...attempt, status: "succeeded", failureCode: null, leaseUntil: null, updatedAt: now }
      : (() => {
          const retryAt = nextRetryAt(attempt.tries, now, outcome.code);
          return { ...attempt, status: retryAt ? "retry_scheduled" : "failed", failureCode: outcome.code, nextRetryAt: retryAt, leaseUntil: null, updatedAt: now };
        })();

    // Record the outcome first; only the instance that records it tells anyone.
    let recorded = false;
    await this.ledger.updateAccount(tenantId, (current) => {
      recorded = current.recharge?.attemptId === attempt.attemptId && current.recharge.tryKey === attempt.tryKey && current.recharge.status === "in_flight";
      if (!recorded) return undefined;
      const rechargeLog = outcome.ok ? logRecharge(current, { attemptId: attempt.attemptId, at: now, amountMicros: attempt.amountMicros }) : current.rechargeLog;
      return { ...current, recharge: finished, rechargeLog };
    });
    if (!recorded) return finished;
    await this.saveAttempt(tenantId, finished, { key: attempt.tryKey, at: now, outcome });
    await this.audit.record(tenantId, SYSTEM_ACTORS.autoRecharge, outcome.ok ? "recharge.succeeded" : "recharge.failed", null, { attempt: finished, entryId: entry?.id });

    // Alerts held for this recharge: told in its card (success) or released (failure).
    const settled = (await this.heldAlerts?.settle(tenantId, attempt.attemptId, outcome.ok)) ?? {};
    if (outcome.ok && entry) {
      await this.outbox.emit(tenantId, "recharge_succeeded", attempt.attemptId, {
        ...settled,
        amountMicros: attempt.amountMicros,
        currency: account.currency,
        balanceAfterMicros: entry.balanceAfterMicros,
        paymentMethod: method ? cardName(method) : null,
      });
    } else if (!outcome.ok) {
      await this.outbox.emit(tenantId, "recharge_failed", `${attempt.attemptId}:try${attempt.tries}`, {
        amountMicros: attempt.amountMicros,
        currency: account.currency,
        reason: outcome.code,
        expiredIn: method && expiredOn(method, this.clock.now()) ? cardExpiry(method) : null,
        processorMessage: outcome.message,
        willRetryAt: finished.nextRetryAt,
        balanceMicros: account.head.balanceMicros,
        paymentMethod: method ? cardName(method) : null,
      });
    }
    return finished;
  }

  private async saveAttempt(tenantId: string, state: RechargeState, tryRecord: AttemptDoc["tries"][number]): Promise<void> {
    const id = `recharge-${state.attemptId}`;
    const { resource } = await this.payments.item(id, tenantId).read<AttemptDoc>();
    const doc: AttemptDoc = { id, tenantId, type: "recharge_attempt", state, tries: [...(resource?.tries ?? []), tryRecord] };
    await this.payments.items.upsert(doc);
  }
}
