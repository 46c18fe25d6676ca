/**
 * The sandbox card processor: a local HTTP server speaking the subset of the Stripe wire format
 * that HttpCardProcessor uses, with the well-known public test tokens:
 *   tok_visa                          succeeds
 *   tok_chargeDeclined                declined (card_declined)
 *   tok_chargeDeclinedExpiredCard     expired (expired_card) when charged; like Stripe's, it carries a
 *                                     future expiry date, so it is saved and the charge is what fails
 *   tok_visaPastExpiry                a card whose expiry date (12/2020) has passed: refused when saved
 *   tok_chargeDeclinedProcessingError fails transiently (processing_error) on the first two charges
 *                                     of that payment method, then succeeds — so retries can be seen.
 * Outcomes are kept per Idempotency-Key, as a real processor does. State is in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

interface TestCard {
  brand: string;
  last4: string;
  behaviour: "succeed" | "card_declined" | "expired_card" | "processing_error";
  /** Carries an expiry date in the past (the API refuses to save it). */
  pastExpiry?: boolean;
}

const TEST_TOKENS: Record<string, TestCard> = {
  tok_visa: { brand: "visa", last4: "4242", behaviour: "succeed" },
  tok_mastercard: { brand: "mastercard", last4: "4444", behaviour: "succeed" },
  tok_chargeDeclined: { brand: "visa", last4: "0002", behaviour: "card_declined" },
  tok_chargeDeclinedExpiredCard: { brand: "visa", last4: "0069", behaviour: "expired_card" },
  tok_chargeDeclinedProcessingError: { brand: "visa", last4: "0119", behaviour: "processing_error" },
  tok_visaPastExpiry: { brand: "visa", last4: "0341", behaviour: "succeed", pastExpiry: true },
};

const TRANSIENT_FAILURES_PER_CARD = 2;

interface StoredResponse {
  status: number;
  body: unknown;
}

export interface SandboxProcessor {
  url: string;
  /** Every charge that succeeded, for tests that count money taken from cards. */
  charges(): { id: string; amount: number; currency: string; paymentMethod: string }[];
  close(): Promise<void>;
}

export function createSandboxHandler() {
  const paymentMethods = new Map<string, TestCard & { expMonth: number; expYear: number; chargesTried: number }>();
  const byIdempotencyKey = new Map<string, Promise<StoredResponse>>();
  const succeeded: { id: string; amount: number; currency: string; paymentMethod: string }[] = [];

  function cardError(code: string, message: string): StoredResponse {
    return { status: 402, body: { error: { type: "card_error", code, decline_code: code === "card_declined" ? "generic_decline" : undefined, message } } };
  }

  function createPaymentMethod(form: URLSearchParams): StoredResponse {
    const token = form.get("card[token]") ?? "";
    const card = TEST_TOKENS[token];
    if (!card) return { status: 400, body: { error: { type: "invalid_request_error", code: "token_invalid", message: `No such token: '${token}'` } } };
    const id = `pm_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const expYear = card.pastExpiry ? 2020 : new Date().getUTCFullYear() + 3;
    paymentMethods.set(id, { ...card, expMonth: 12, expYear, chargesTried: 0 });
    return { status: 200, body: { id, object: "payment_method", type: "card", card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: expYear } } };
  }

  function createPaymentIntent(form: URLSearchParams): StoredResponse {
    const amount = Number(form.get("amount"));
    const currency = form.get("currency") ?? "";
    const pmId = form.get("payment_method") ?? "";
    if (!Number.isSafeInteger(amount) || amount <= 0) return { status: 400, body: { error: { type: "invalid_request_error", code: "parameter_invalid_integer", message: "amount" } } };
    const pm = paymentMethods.get(pmId);
    if (!pm) return { status: 400, body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such PaymentMethod: '${pmId}'` } } };
    pm.chargesTried += 1;
    switch (pm.behaviour) {
      case "card_declined":
        return cardError("card_declined", "Your card was declined.");
      case "expired_card":
        return cardError("expired_card", "Your card has expired.");
      case "processing_error":
        if (pm.chargesTried <= TRANSIENT_FAILURES_PER_CARD) return cardError("processing_error", "An error occurred while processing your card. Try again in a little bit.");
        break;
      case "succeed":
        break;
    }
    const id = `pi_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    succeeded.push({ id, amount, currency, paymentMethod: pmId });
    return { status: 200, body: { id, object: "payment_intent", amount, currency, status: "succeeded", payment_method: pmId } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const path = (req.url ?? "").split("?")[0];
    let outcome: Promise<StoredResponse>;
    if (!(req.headers.authorization ?? "").startsWith("Bearer sk_")) {
      outcome = Promise.resolve({ status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } });
    } else if (req.method === "POST" && path === "/v1/payment_methods") {
      outcome = Promise.resolve(createPaymentMethod(form));
    } else if (req.method === "POST" && path === "/v1/payment_intents") {
      const key = req.headers["idempotency-key"];
      const cacheKey = typeof key === "string" && key ? `${key}` : undefined;
      const known = cacheKey ? byIdempotencyKey.get(cacheKey) : undefined;
      outcome = known ?? Promise.resolve(createPaymentIntent(form));
      if (cacheKey && !known) byIdempotencyKey.set(cacheKey, outcome);
    } else {
      outcome = Promise.resolve({ status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL" } } });
    }
    const { status, body } = await outcome;
    // Two calls, not a chain: restify patches ServerResponse.prototype.writeHead to return nothing.
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  return { handle, charges: () => [...succeeded] };
}

export async function startSandboxProcessor(port = 0): Promise<SandboxProcessor> {
  const sandbox = createSandboxHandler();
  const server: Server = createServer((req, res) => {
    sandbox.handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    charges: sandbox.charges,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
