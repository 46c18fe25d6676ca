/**
 * Payment methods: a processor token becomes a stored card (brand, last4, expiry — never a card
 * number). The first one becomes the account's default; changing the default bumps the settings
 * revision, which lets a refused recharge be tried again.
 */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { PaymentMethodView } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { queryAll, readDoc, type Store } from "../store/cosmos.js";
import { UnknownCardToken, type CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";

export interface PaymentMethodDoc extends PaymentMethodView {
  tenantId: string;
  type: "payment_method";
  processorPaymentMethodId: string;
  createdAt: string;
}

export class PaymentMethods {
  private readonly payments: Container;

  constructor(
    store: Store,
    private readonly processor: CardProcessor,
    private readonly accounts: LedgerWriter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly onDefaultChanged: (tenantId: string) => void,
  ) {
    this.payments = store.containers.payments;
  }

  async add(tenantId: string, actor: Actor, token: string): Promise<PaymentMethodView> {
    await this.accounts.readAccount(tenantId);
    let card;
    try {
      card = await this.processor.createPaymentMethod(token);
    } catch (e) {
      if (e instanceof UnknownCardToken) throw refuse.invalid("token", "The card processor does not know this token");
      throw e;
    }
    const doc: PaymentMethodDoc = {
      id: `pm-${randomUUID()}`,
      tenantId,
      type: "payment_method",
      processorPaymentMethodId: card.processorPaymentMethodId,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      createdAt: this.clock.now().toISOString(),
    };
    await this.payments.items.create(doc);
    await this.audit.record(tenantId, actor, "payment_method.added", null, toView(doc));
    let becameDefault = false;
    await this.accounts.updateAccount(tenantId, (account) => {
      if (account.paymentMethodId) return undefined;
      becameDefault = true;
      return { ...account, paymentMethodId: doc.id, settingsRev: account.settingsRev + 1 };
    });
    if (becameDefault) this.onDefaultChanged(tenantId);
    return toView(doc);
  }

  async list(tenantId: string): Promise<PaymentMethodView[]> {
    const docs = await queryAll<PaymentMethodDoc>(this.payments, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'payment_method' ORDER BY c.createdAt DESC");
    return docs.map(toView);
  }

  get(tenantId: string, id: string): Promise<PaymentMethodDoc | undefined> {
    return findPaymentMethod(this.payments, tenantId, id);
  }

  async setDefault(tenantId: string, actor: Actor, paymentMethodId: string): Promise<void> {
    if (!(await this.get(tenantId, paymentMethodId))) throw refuse.invalid("paymentMethodId", "No such payment method in this organisation");
    let before: string | null = null;
    await this.accounts.updateAccount(tenantId, (account) => {
      before = account.paymentMethodId;
      if (account.paymentMethodId === paymentMethodId) return undefined;
      return { ...account, paymentMethodId, settingsRev: account.settingsRev + 1 };
    });
    if (before !== paymentMethodId) {
      await this.audit.record(tenantId, actor, "payment_method.default_changed", { paymentMethodId: before }, { paymentMethodId });
      this.onDefaultChanged(tenantId);
    }
  }
}

/** A stored payment method of the tenant (the payments container also holds recharge attempts). */
export async function findPaymentMethod(payments: Container, tenantId: string, id: string): Promise<PaymentMethodDoc | undefined> {
  const doc = await readDoc<PaymentMethodDoc>(payments, tenantId, id);
  return doc?.type === "payment_method" ? doc : undefined;
}

export function toView(doc: PaymentMethodDoc): PaymentMethodView {
  return { id: doc.id, brand: doc.brand, last4: doc.last4, expMonth: doc.expMonth, expYear: doc.expYear };
}
