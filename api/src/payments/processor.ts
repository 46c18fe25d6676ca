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

export type ChargeOutcome =
  | { ok: true; chargeId: string }
  | { ok: false; code: CardFailureCode; message: string };

export interface ChargeRequest {
  /** The processor keeps one outcome per key: asking again never charges twice. */
  idempotencyKey: string;
  amountMicros: number;
  currency: string;
  processorPaymentMethodId: string;
  description: string;
}

export interface CardProcessor {
  /** Turn a one-time token from the processor's card form into a stored payment method. */
  createPaymentMethod(token: string): Promise<CardDetails>;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
}

export class UnknownCardToken extends Error {}
