/**
 * The card processor as the domain sees it. Adapters speak a real wire format; the embedded
 * sandbox speaks the same one, so the same adapter serves both.
 */
import type { CardFailureCode } from "@cc/common";

export interface CardDetails {
  processorPaymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type ChargeOutcome = { ok: true; chargeId: string } | { ok: false; code: CardFailureCode; message: string };

export interface ChargeRequest {
  /** The processor keeps one outcome per key: asking again never charges twice. */
  idempotencyKey: string;
  amountMicros: number;
  currency: string;
  processorPaymentMethodId: string;
  description: string;
  /** Kept on the charge, so a charge can be tied back to its ledger entry (tenantId, ledgerRef). */
  metadata?: Record<string, string>;
}

/** A charge as the processor lists it: every attempt, succeeded or failed. */
export interface ProcessorCharge {
  chargeId: string;
  /** The id `charge` answered for it (the payment intent), when it succeeded. */
  paymentIntentId: string | null;
  amountMicros: number;
  /** ISO 4217, upper case. */
  currency: string;
  status: "succeeded" | "failed";
  createdAt: string;
  metadata: Record<string, string>;
}

export interface CardProcessor {
  /** Turn a one-time token from the processor's card form into a stored payment method. */
  createPaymentMethod(token: string): Promise<CardDetails>;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Every charge created at or after `since` (all when omitted), newest first. */
  listCharges(options?: { since?: Date }): Promise<ProcessorCharge[]>;
}

export class UnknownCardToken extends Error {}
