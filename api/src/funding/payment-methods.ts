/**
 * Payment methods: a processor token becomes a stored card (brand, last4, expiry — never a card
 * number). The first one becomes the account's default; changing the default bumps the settings
 * revision, which lets a refused recharge be tried again.
 */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { LRUCache } from "lru-cache";
import { refuse } from "../shared/refusal.js";
import { cardExpiry, cardName } from "./card-words.js";
import { isCardExpired, type PaymentMethodView } from "@cc/common";
import { queryAll, readDoc, type Store } from "../store/cosmos.js";
import { UnknownCardToken, type CardProcessor } from "../payments/processor.js";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";

export interface PaymentMethodDoc extends Omit<PaymentMethodView, "name"> {
  tenantId: string;
  type: "payment_method";
  processorPaymentMethodId: string;
  createdAt: string;
}

export class PaymentMethods {
  private readonly payments: Container;
  /**
   * A saved card's facts by tenant and id. They never change (a card is added or removed, never
   * edited), so every instance may keep them: the account view reads its default card from here.
   */
  private readonly facts = new LRUCache<string, PaymentMethodView>({ max: 50_000 });

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
      if (e instanceof UnknownCardToken) throw refuse.invalid("token", "unknownCardToken");
      throw e;
    }
    if (isCardExpired(card, this.clock.now())) {
      throw refuse.rule("expired_card", `This card expired at the end of ${String(card.expMonth).padStart(2, "0")}/${card.expYear}: add a card that is still valid`, "token", {
        card: cardName(card),
        past: "yes",
        expiry: cardExpiry(card),
      });
    }
    const same = (await this.list(tenantId)).find((pm) => pm.brand === card.brand && pm.last4 === card.last4 && pm.expMonth === card.expMonth && pm.expYear === card.expYear);
    if (same) throw refuse.conflict("duplicate_payment_method", `This card (${card.brand} ending ${card.last4}) is already saved`, { card: cardName(card) });
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

  /** The card's view (brand, last4, expiry); undefined when the tenant has no such card. */
  async view(tenantId: string, id: string): Promise<PaymentMethodView | undefined> {
    const key = `${tenantId}|${id}`;
    const known = this.facts.get(key);
    if (known) return known;
    const doc = await this.get(tenantId, id);
    if (!doc) return undefined;
    const view = toView(doc);
    this.facts.set(key, view);
    return view;
  }

  async setDefault(tenantId: string, actor: Actor, paymentMethodId: string): Promise<void> {
    if (!(await this.get(tenantId, paymentMethodId))) throw refuse.invalid("paymentMethodId", "unknownPaymentMethod");
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

  /** Remove a saved card; the default one only while auto-recharge is off (it is what a recharge charges). */
  async remove(tenantId: string, actor: Actor, paymentMethodId: string): Promise<void> {
    const doc = await this.get(tenantId, paymentMethodId);
    if (!doc) throw refuse.notFound("This payment method", "payment_method");
    // The newest other card takes over as the default, so payments keep a card when one is left.
    const successor = (await this.list(tenantId)).find((pm) => pm.id !== paymentMethodId)?.id ?? null;
    // Decided on the account as stored (ETag), so auto-recharge cannot be turned on in between.
    let promoted = false;
    await this.accounts.updateAccount(tenantId, (a) => {
      if (a.paymentMethodId !== paymentMethodId) return undefined;
      if (a.autoRecharge.enabled) {
        throw refuse.conflict("payment_method_in_use", "This card pays for auto-recharge: make another card the default or turn auto-recharge off first");
      }
      promoted = successor !== null;
      return { ...a, paymentMethodId: successor, settingsRev: a.settingsRev + 1 };
    });
    if (promoted) this.onDefaultChanged(tenantId);
    await this.payments.item(doc.id, tenantId).delete();
    await this.audit.record(tenantId, actor, "payment_method.removed", toView(doc), null);
  }
}

/** A stored payment method of the tenant (the payments container also holds recharge attempts). */
export async function findPaymentMethod(payments: Container, tenantId: string, id: string): Promise<PaymentMethodDoc | undefined> {
  const doc = await readDoc<PaymentMethodDoc>(payments, tenantId, id);
  return doc?.type === "payment_method" ? doc : undefined;
}

export function toView(doc: PaymentMethodDoc): PaymentMethodView {
  return { id: doc.id, brand: doc.brand, last4: doc.last4, expMonth: doc.expMonth, expYear: doc.expYear, name: cardName(doc) };
}
