/**
 * Add funds by hand: charge the card first, then credit the ledger. Both steps are keyed by the
 * request's Idempotency-Key (processor idempotency key, ledger ref), so a retried or crashed request
 * charges once and credits once. A refusal (402 from the card, 422 from a rule) changes nothing.
 */
import type { FundsAddedView } from "@cc/common";
import { checkCanPurchase, checkChargeAmount } from "../domain/account.js";
import { refuse } from "../domain/errors.js";
import type { CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "./ledger-writer.js";
import type { PaymentMethods } from "./payment-methods.js";
import type { AuditLog, Actor } from "./audit.js";
import type { Outbox } from "./outbox.js";

export class Funding {
  constructor(
    private readonly ledger: LedgerWriter,
    private readonly paymentMethods: PaymentMethods,
    private readonly processor: CardProcessor,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly maxChargeMicros: number,
  ) {}

  async addFunds(tenantId: string, actor: Actor, amountMicros: number, idempotencyKey: string): Promise<FundsAddedView> {
    const account = await this.ledger.current(tenantId);
    checkChargeAmount(amountMicros, this.maxChargeMicros);
    checkCanPurchase(account);
    if (!account.paymentMethodId) throw refuse.rule("no_payment_method", "Add a payment method before adding funds");
    const method = await this.paymentMethods.get(tenantId, account.paymentMethodId);
    if (!method) throw refuse.rule("no_payment_method", "The default payment method no longer exists");

    const ref = `funding:${idempotencyKey}`;
    const charge = await this.processor.charge({
      idempotencyKey: `${tenantId}:${ref}`,
      amountMicros,
      currency: account.currency,
      processorPaymentMethodId: method.processorPaymentMethodId,
      description: "Communications Credits: add funds",
      metadata: { tenantId, ledgerRef: ref }, // reconciliation credits it if the ledger never did
    });
    if (!charge.ok) throw refuse.card(charge.code, charge.message);

    const posted = await this.ledger.post(tenantId, () => ({ kind: "funding", amountMicros, ref, postedBy: actor.id }));
    if (!posted.duplicate) {
      await this.audit.record(tenantId, actor, "funds.added", { balanceMicros: posted.entry.balanceAfterMicros - amountMicros }, {
        balanceMicros: posted.entry.balanceAfterMicros,
        amountMicros,
        chargeId: charge.chargeId,
        entryId: posted.entry.id,
      });
    }
    await this.outbox.emit(tenantId, "funds_added", posted.entry.id, {
      amountMicros,
      currency: account.currency,
      balanceAfterMicros: posted.entry.balanceAfterMicros,
      by: actor.upn ?? actor.id,
    });
    return { entryId: posted.entry.id, balanceMicros: posted.entry.balanceAfterMicros };
  }
}
