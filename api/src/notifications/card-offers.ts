/**
 * The confirmation cards the API put in front of someone ("Charge $100.00?"), kept server-side.
 *
 * Why kept and not trusted from the card: an Action.Execute's data comes back from the client, and
 * anyone who can post to the bot can change it. So a confirmation card carries only the offer's id
 * (its `idempotencyKey`, a random UUID the API chose) and the amount it shows; the press is honoured
 * only if that offer exists in the pressing conversation's tenant (the tenant comes from the verified
 * activity, never from the card), is for the same verb and notification, and shows the same amount.
 * The charge then uses the stored amount. A signature would do the same without a write, but needs a
 * secret shared by every instance that none of them has today; one small document per offer is
 * simpler and also lets a later change expire offers.
 */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { Clock } from "../shared/clock.js";
import { createDoc, readDoc, type Store } from "../store/cosmos.js";

export type ConfirmVerb = "confirm_add_funds" | "confirm_top_up";

export interface CardOffer {
  /** The card's idempotencyKey: one offer, one charge however often it is pressed. */
  id: string;
  verb: ConfirmVerb;
  amountMicros: number;
  /** The notification the offer came from ("" for a chat top-up). */
  eventId: string;
  /**
   * The key the funding runs under: the offer's own id for a top-up; the notification's for an
   * offer made from a notification, so two admins acting on copies of one card fund once.
   */
  chargeKey: string;
  offeredTo: string;
  createdAt: string;
}

interface CardOfferDoc extends CardOffer {
  tenantId: string;
  type: "card_offer";
  offerId: string;
}

const docId = (offerId: string) => `card-offer:${offerId}`;

export class CardOffers {
  private readonly state: Container;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.state = store.containers.state;
  }

  async offer(tenantId: string, userId: string, input: { verb: ConfirmVerb; amountMicros: number; eventId: string; chargeKey?: string }): Promise<CardOffer> {
    const offerId = randomUUID();
    const offer: CardOffer = {
      id: offerId,
      verb: input.verb,
      amountMicros: input.amountMicros,
      eventId: input.eventId,
      chargeKey: input.chargeKey ?? offerId,
      offeredTo: userId,
      createdAt: this.clock.now().toISOString(),
    };
    await createDoc<CardOfferDoc>(this.state, { ...offer, id: docId(offerId), offerId, tenantId, type: "card_offer" });
    return offer;
  }

  /** The offer behind a pressed confirmation, in that tenant only. */
  async find(tenantId: string, offerId: string): Promise<CardOffer | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(offerId)) return undefined;
    const doc = await readDoc<CardOfferDoc>(this.state, tenantId, docId(offerId));
    return doc
      ? { id: doc.offerId, verb: doc.verb, amountMicros: doc.amountMicros, eventId: doc.eventId, chargeKey: doc.chargeKey, offeredTo: doc.offeredTo, createdAt: doc.createdAt }
      : undefined;
  }
}
