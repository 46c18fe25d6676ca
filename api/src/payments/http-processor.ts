/**
 * A card processor adapter over the Stripe wire format (form-encoded requests, Idempotency-Key,
 * `card_error` bodies with a `code`). Amounts cross the wire in the currency's minor unit (cents).
 */
import pRetry, { AbortError } from "p-retry";
import { MICROS_PER_CENT, type CardFailureCode } from "@cc/common";
import { UnknownCardToken, type CardDetails, type CardProcessor, type ChargeOutcome, type ChargeRequest, type ProcessorCharge } from "./processor.js";

interface StripeError {
  error: { type: string; code?: string; decline_code?: string; message?: string };
}

const FAILURE_CODES: Record<string, CardFailureCode> = {
  card_declined: "card_declined",
  expired_card: "expired_card",
  processing_error: "processing_error",
};

interface StripeCharge {
  id: string;
  amount: number;
  currency: string;
  status: string;
  /** An id, or the object itself when expanded. */
  payment_intent?: string | { id: string; metadata?: Record<string, string> } | null;
  created: number;
  metadata?: Record<string, string>;
}

export class HttpCardProcessor implements CardProcessor {
  constructor(
    private readonly baseUrl: string,
    private readonly secretKey: string,
  ) {}

  async createPaymentMethod(token: string): Promise<CardDetails> {
    const res = await this.send("/v1/payment_methods", { type: "card", "card[token]": token });
    const body = (await res.json()) as Record<string, unknown> & StripeError;
    if (!res.ok) {
      if (res.status === 400 || res.status === 404) throw new UnknownCardToken(body.error?.message ?? "unknown token");
      throw new Error(`processor answered ${res.status}`);
    }
    const card = body.card as { brand: string; last4: string; exp_month: number; exp_year: number };
    return { processorPaymentMethodId: String(body.id), brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (request.amountMicros % MICROS_PER_CENT !== 0) throw new RangeError("card charges move whole cents");
    const res = await this.send(
      "/v1/payment_intents",
      {
        amount: String(request.amountMicros / MICROS_PER_CENT),
        currency: request.currency.toLowerCase(),
        payment_method: request.processorPaymentMethodId,
        confirm: "true",
        off_session: "true",
        description: request.description,
        ...Object.fromEntries(Object.entries(request.metadata ?? {}).map(([k, v]) => [`metadata[${k}]`, v])),
      },
      request.idempotencyKey,
    );
    const body = (await res.json()) as Record<string, unknown> & StripeError;
    if (res.ok && body.status === "succeeded") return { ok: true, chargeId: String(body.id) };
    const code = FAILURE_CODES[body.error?.code ?? ""] ?? FAILURE_CODES[body.error?.decline_code ?? ""];
    if (res.status === 402 && code) return { ok: false, code, message: body.error.message ?? code };
    throw new Error(`processor answered ${res.status} ${JSON.stringify(body.error ?? body)}`);
  }

  /** `GET /v1/charges`, page by page (100 per page, `starting_after` the last id seen). */
  async listCharges(options: { since?: Date } = {}): Promise<ProcessorCharge[]> {
    const out: ProcessorCharge[] = [];
    let after: string | undefined;
    for (;;) {
      // Stripe keeps a payment intent's metadata on the intent, not on its charges: expand it.
      const query = new URLSearchParams({ limit: "100", "expand[]": "data.payment_intent" });
      if (options.since) query.set("created[gte]", String(Math.floor(options.since.getTime() / 1000)));
      if (after) query.set("starting_after", after);
      const res = await this.request("GET", `/v1/charges?${query}`);
      const body = (await res.json()) as { data?: StripeCharge[]; has_more?: boolean } & Partial<StripeError>;
      if (!res.ok || !Array.isArray(body.data)) throw new Error(`processor answered ${res.status} listing charges`);
      for (const c of body.data) {
        const intent = typeof c.payment_intent === "object" && c.payment_intent !== null ? c.payment_intent : undefined;
        out.push({
          chargeId: c.id,
          paymentIntentId: intent ? intent.id : ((c.payment_intent as string | null | undefined) ?? null),
          amountMicros: c.amount * MICROS_PER_CENT,
          currency: c.currency.toUpperCase(),
          status: c.status === "succeeded" ? "succeeded" : "failed",
          createdAt: new Date(c.created * 1000).toISOString(),
          metadata: { ...(intent?.metadata ?? {}), ...(c.metadata ?? {}) },
        });
      }
      if (!body.has_more || body.data.length === 0) return out;
      after = body.data[body.data.length - 1].id;
    }
  }

  /** Network faults and 5xx are retried with the same idempotency key, so a retry cannot charge twice. */
  private send(path: string, form: Record<string, string>, idempotencyKey?: string): Promise<Response> {
    return this.request("POST", path, form, idempotencyKey);
  }

  private request(method: "GET" | "POST", path: string, form?: Record<string, string>, idempotencyKey?: string): Promise<Response> {
    return pRetry(
      async () => {
        const res = await fetch(new URL(path, this.baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${this.secretKey}`,
            ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
            ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
          },
          body: form ? new URLSearchParams(form) : undefined,
        });
        if (res.status >= 500) throw new Error(`processor answered ${res.status}`);
        if (res.status === 401) throw new AbortError("processor refused the secret key");
        return res;
      },
      { retries: 3, minTimeout: 50, maxTimeout: 1000 },
    );
  }
}
