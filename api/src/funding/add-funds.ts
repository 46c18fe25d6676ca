/**
 * Add funds by hand: charge the card first, then credit the ledger. Both steps are keyed by the
 * request's Idempotency-Key (processor idempotency key, ledger ref), so a retried or crashed request
 * charges once and credits once. A refusal (402 from the card, 422 from a rule) changes nothing.
 * The audit record and the funds_added event are effects of the posting (ledger/posting-effects.ts).
 */
import type { FundsAddedView } from "@cc/common";
import { checkCanPurchase, checkChargeAmount } from "../accounts/account.js";
import { refuse } from "../shared/refusal.js";
import { cardRefusalFacts, cardRefusalSentence } from "./card-words.js";
import type { CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { PaymentMethods } from "./payment-methods.js";
import type { Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";

/**
 * Who asked for the funding. Card confirmations keep their keys in a ledger-ref namespace of their
 * own: a REST client may send any printable Idempotency-Key (even one a card carried), and the
 * same ref would make the processor and the ledger answer the earlier funding (issue 17).
 */
export type FundingOrigin = "api" | "card";

export function fundingRef(origin: FundingOrigin, idempotencyKey: string): string {
  return origin === "card" ? `card-funding:${idempotencyKey}` : `funding:${idempotencyKey}`;
}

/** A ledger ref a funding was posted under (either origin), for reconciliation. */
export const isFundingRef = (ref: string) => ref.startsWith("funding:") || ref.startsWith("card-funding:");

export class Funding {
  constructor(
    private readonly ledger: LedgerWriter,
    private readonly paymentMethods: PaymentMethods,
    private readonly processor: CardProcessor,
    private readonly maxChargeMicros: number,
    private readonly clock: Clock,
  ) {}

  async addFunds(tenantId: string, actor: Actor, amountMicros: number, idempotencyKey: string, origin: FundingOrigin = "api", paymentMethodId?: string): Promise<FundsAddedView> {
    const account = await this.ledger.current(tenantId);
    checkChargeAmount(amountMicros, this.maxChargeMicros, account.currency);
    checkCanPurchase(account);
    // The card the admin picked (one of the tenant's saved cards), else the default.
    const methodId = paymentMethodId ?? account.paymentMethodId;
    if (!methodId) throw refuse.rule("no_payment_method", "Add a payment method before adding funds", undefined, { when: "add_funds" });
    const method = await this.paymentMethods.get(tenantId, methodId);
    if (!method && paymentMethodId) throw refuse.invalid("paymentMethodId", "unknownPaymentMethod");
    if (!method) throw refuse.rule("no_payment_method", "The default payment method no longer exists", undefined, { when: "gone" });

    const ref = fundingRef(origin, idempotencyKey);
    const charge = await this.processor.charge({
      idempotencyKey: `${tenantId}:${ref}`,
      amountMicros,
      currency: account.currency,
      processorPaymentMethodId: method.processorPaymentMethodId,
      description: "Communications Credits: add funds",
      metadata: { tenantId, ledgerRef: ref }, // reconciliation credits it if the ledger never did
    });
    if (!charge.ok) throw refuse.card(charge.code, cardRefusalSentence(charge.code, method, this.clock.now()), cardRefusalFacts(method, this.clock.now()));

    // Its audit record and funds_added event follow from the posting (posting-effects.ts).
    const posted = await this.ledger.post(tenantId, () => ({ kind: "funding", amountMicros, ref, postedBy: actor.id, postedByUpn: actor.upn, chargeId: charge.chargeId }));
    return { entryId: posted.entry.id, balanceMicros: posted.entry.balanceAfterMicros };
  }
}
