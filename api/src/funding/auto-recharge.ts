/**
 * Auto-recharge: when a debit takes the balance below the threshold, exactly one recharge attempt
 * is made for that crossing. The attempt's id is derived from the crossing number and the settings
 * revision, and it is claimed on the account document with If-Match, so however many debits race
 * past the threshold, on however many instances, one attempt runs and never two at once.
 *
 * The outcome is recorded on the account (and the attempt document) before anyone is told. A
 * processing error is retried on a back-off schedule with a new processor key per try; a declined
 * or expired card is not tried again until the payment method or the settings change.
 */
import type { Container } from "@azure/cosmos";
import type { AutoRechargeSettings, RechargeAttemptView } from "@cc/common";
import type { AccountDoc, RechargeState } from "../accounts/account.js";
import { checkAutoRecharge, decideRecharge, nextRetryAt } from "./recharge-rules.js";
import type { LedgerEntry } from "../ledger/entries.js";
import { queryAll, type Store } from "../store/cosmos.js";
import type { CardProcessor, ChargeOutcome } from "../payments/processor.js";
import type { LedgerWriter, Stored } from "../ledger/ledger-writer.js";
import { findPaymentMethod } from "./payment-methods.js";
import type { Outbox } from "../notifications/outbox.js";
import { SYSTEM_ACTORS, type AuditLog, type Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";
import { refuse } from "../shared/refusal.js";
import { cardRefusalSentence } from "./card-words.js";

const LEASE_MS = 60_000;

interface AttemptDoc {
  id: string;
  tenantId: string;
  type: "recharge_attempt";
  state: RechargeState;
  tries: { key: string; at: string; outcome: ChargeOutcome }[];
}

export class AutoRecharge {
  private readonly payments: Container;
  private readonly accountsContainer: Container;
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
  ) {
    this.payments = store.containers.payments;
    this.accountsContainer = store.containers.accounts;
  }

  async configure(tenantId: string, actor: Actor, settings: AutoRechargeSettings): Promise<Stored<AccountDoc>> {
    let before: AutoRechargeSettings | undefined;
    const account = await this.ledger.updateAccount(tenantId, (current) => {
      checkAutoRecharge(settings, current, this.maxChargeMicros);
      before = current.autoRecharge;
      const unchanged = JSON.stringify(before) === JSON.stringify(settings);
      return unchanged ? undefined : { ...current, autoRecharge: { ...settings }, settingsRev: current.settingsRev + 1 };
    });
    await this.audit.record(tenantId, actor, "auto_recharge.configured", before, settings);
    this.kick(tenantId);
    return account;
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

  /** Claim and run the attempt the account needs, if any; loops so a crossing during a recharge is not missed. */
  async ensure(tenantId: string): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const now = this.clock.now().toISOString();
      let claimed: RechargeState | undefined;
      await this.ledger.updateAccount(tenantId, (account) => {
        claimed = undefined;
        const decision = decideRecharge(account, now);
        if (decision.action === "none") return undefined;
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
        return { ...account, recharge: claimed };
      });
      if (!claimed) return;
      await this.runAttempt(tenantId, claimed);
    }
  }

  private async runAttempt(tenantId: string, attempt: RechargeState): Promise<void> {
    const account = await this.ledger.current(tenantId);
    const method = account.paymentMethodId ? await findPaymentMethod(this.payments, tenantId, account.paymentMethodId) : undefined;
    const outcome: ChargeOutcome = method
      ? await this.processor.charge({
          idempotencyKey: attempt.tryKey,
          amountMicros: attempt.amountMicros,
          currency: account.currency,
          processorPaymentMethodId: method.processorPaymentMethodId,
          description: "Communications Credits: auto-recharge",
        })
      : { ok: false, code: "card_declined", message: "The payment method no longer exists" };
    const now = this.clock.now().toISOString();

    let entry: LedgerEntry | undefined;
    if (outcome.ok) {
      entry = (await this.ledger.post(tenantId, () => ({ kind: "auto_recharge", amountMicros: attempt.amountMicros, ref: `recharge:${attempt.attemptId}`, postedBy: SYSTEM_ACTORS.autoRecharge.id, chargeId: outcome.chargeId }))).entry;
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
      return recorded ? { ...current, recharge: finished } : undefined;
    });
    if (!recorded) return;
    await this.saveAttempt(tenantId, finished, { key: attempt.tryKey, at: now, outcome });
    await this.audit.record(tenantId, SYSTEM_ACTORS.autoRecharge, outcome.ok ? "recharge.succeeded" : "recharge.failed", null, { attempt: finished, entryId: entry?.id });

    if (outcome.ok && entry) {
      await this.outbox.emit(tenantId, "recharge_succeeded", attempt.attemptId, {
        amountMicros: attempt.amountMicros,
        currency: account.currency,
        balanceAfterMicros: entry.balanceAfterMicros,
        paymentMethod: method ? `${method.brand} •••• ${method.last4}` : null,
      });
    } else if (!outcome.ok) {
      await this.outbox.emit(tenantId, "recharge_failed", `${attempt.attemptId}:try${attempt.tries}`, {
        amountMicros: attempt.amountMicros,
        currency: account.currency,
        reason: outcome.code,
        message: cardRefusalSentence(outcome.code, method),
        willRetryAt: finished.nextRetryAt,
        balanceMicros: account.head.balanceMicros,
        paymentMethod: method ? `${method.brand} •••• ${method.last4}` : null,
      });
    }
  }

  private async saveAttempt(tenantId: string, state: RechargeState, tryRecord: AttemptDoc["tries"][number]): Promise<void> {
    const id = `recharge-${state.attemptId}`;
    const { resource } = await this.payments.item(id, tenantId).read<AttemptDoc>();
    const doc: AttemptDoc = { id, tenantId, type: "recharge_attempt", state, tries: [...(resource?.tries ?? []), tryRecord] };
    await this.payments.items.upsert(doc);
  }

  /**
   * An admin's "Retry now" (card button, POST /account/recharge/retry): the current failed or
   * scheduled attempt is tried again at once, as a new try with a new processor key. Minimal
   * version (issue 9); issue 10 owns the full one with the same signature.
   */
  async retryNow(tenantId: string, actor: Actor): Promise<RechargeAttemptView> {
    const now = this.clock.now().toISOString();
    let due = false;
    await this.ledger.updateAccount(tenantId, (account) => {
      const r = account.recharge;
      due = r !== null && (r.status === "failed" || r.status === "retry_scheduled") && account.head.balanceMicros < account.autoRecharge.thresholdMicros && account.autoRecharge.enabled;
      return due && r ? { ...account, recharge: { ...r, status: "retry_scheduled", nextRetryAt: now, updatedAt: now } } : undefined;
    });
    if (!due) throw refuse.conflict("nothing_to_retry", "There is no failed recharge to retry");
    await this.audit.record(tenantId, actor, "recharge.retry_requested", null, { at: now });
    await this.ensure(tenantId);
    const account = await this.ledger.current(tenantId);
    if (!account.recharge) throw refuse.conflict("nothing_to_retry", "There is no failed recharge to retry");
    return toAttemptView(account.recharge);
  }

  /** Retry job: accounts whose transient failure is due, or whose in-flight attempt was abandoned. */
  async retryDue(): Promise<number> {
    const now = this.clock.now().toISOString();
    const due = await queryAll<{ tenantId: string }>(
      this.accountsContainer,
      undefined,
      "SELECT c.tenantId FROM c WHERE (c.recharge.status = 'retry_scheduled' AND c.recharge.nextRetryAt <= @now) OR (c.recharge.status = 'in_flight' AND c.recharge.leaseUntil < @now)",
      { "@now": now },
    );
    for (const { tenantId } of due) this.kick(tenantId);
    await this.settle();
    return due.length;
  }

  async history(tenantId: string, limit = 20): Promise<RechargeAttemptView[]> {
    const docs = await queryAll<AttemptDoc>(this.payments, tenantId, `SELECT TOP ${Math.trunc(limit)} * FROM c WHERE c.tenantId = @tenantId AND c.type = 'recharge_attempt' ORDER BY c.state.updatedAt DESC`);
    return docs.map((d) => toAttemptView(d.state));
  }
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
