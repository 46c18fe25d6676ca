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
 * Outcomes are kept per Idempotency-Key, as a real processor does. Every attempt is a charge
 * (succeeded or failed) listed by `GET /v1/charges`, newest first, with Stripe's paging
 * (`limit`, `starting_after`, `created[gte]`). Given a data directory, payment methods and charges
 * are journaled there and fsynced before the answer, so a restart changes nothing a client sees.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppendLog, readLog } from "../store/append-log.js";

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
const MAX_PAGE = 100;

interface StoredResponse {
  status: number;
  body: unknown;
}

type StoredMethod = TestCard & { expMonth: number; expYear: number; chargesTried: number };

/** A charge object as Stripe lists it (the subset this product reads). */
export interface SandboxCharge {
  id: string;
  object: "charge";
  amount: number;
  currency: string;
  status: "succeeded" | "failed";
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  failure_code: string | null;
  created: number;
  /** The payment intent's metadata (listed on the intent, not on the charge). */
  metadata: Record<string, string>;
}

/** The sandbox's journal: what happened, in order; replaying it rebuilds the state. */
type SandboxEvent =
  { t: "pm"; id: string; method: Omit<StoredMethod, "chargesTried"> } | { t: "intent"; key?: string; pm?: string; response: StoredResponse; charge?: SandboxCharge };

export interface SandboxProcessor {
  url: string;
  /** Every charge that succeeded, for tests that count money taken from cards. */
  charges(): { id: string; amount: number; currency: string; paymentMethod: string }[];
  close(): Promise<void>;
}

const newId = (prefix: string) => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 24)}`;

/** The processor's state: cards, answers by idempotency key, charges in order. */
interface SandboxState {
  paymentMethods: Map<string, StoredMethod>;
  byIdempotencyKey: Map<string, Promise<StoredResponse>>;
  charges: SandboxCharge[];
}

/** One journal event applied to the state (at replay and when it happens). */
function applyOf({ paymentMethods, charges, byIdempotencyKey }: SandboxState, event: SandboxEvent): void {
  if (event.t === "pm") {
    paymentMethods.set(event.id, { ...event.method, chargesTried: 0 });
    return;
  }
  const pm = event.pm ? paymentMethods.get(event.pm) : undefined;
  if (pm) pm.chargesTried += 1;
  if (event.charge) charges.push(event.charge);
  if (event.key) byIdempotencyKey.set(event.key, Promise.resolve(event.response));
}

function cardError(code: string, message: string): StoredResponse {
  return { status: 402, body: { error: { type: "card_error", code, decline_code: code === "card_declined" ? "generic_decline" : undefined, message } } };
}

/** The outcome of a new intent, as an event not yet applied. */
function decideIntent(paymentMethods: ReadonlyMap<string, StoredMethod>, form: URLSearchParams, key: string | undefined): SandboxEvent {
  const amount = Number(form.get("amount"));
  const currency = form.get("currency") ?? "";
  const pmId = form.get("payment_method") ?? "";
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return { t: "intent", key, response: { status: 400, body: { error: { type: "invalid_request_error", code: "parameter_invalid_integer", message: "amount" } } } };
  const pm = paymentMethods.get(pmId);
  if (!pm)
    return {
      t: "intent",
      key,
      response: { status: 400, body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such PaymentMethod: '${pmId}'` } } },
    };
  const metadata: Record<string, string> = {};
  for (const [name, value] of form) {
    const m = /^metadata\[(.+)\]$/.exec(name);
    if (m) metadata[m[1]] = value;
  }
  let failure: StoredResponse | undefined;
  switch (pm.behaviour) {
    case "card_declined":
      failure = cardError("card_declined", "Your card was declined.");
      break;
    case "expired_card":
      failure = cardError("expired_card", "Your card has expired.");
      break;
    case "processing_error":
      if (pm.chargesTried + 1 <= TRANSIENT_FAILURES_PER_CARD) failure = cardError("processing_error", "An error occurred while processing your card. Try again in a little bit.");
      break;
    case "succeed":
      break;
  }
  const intentId = newId("pi"); // a failed confirmation leaves its intent too
  const charge: SandboxCharge = {
    id: newId("ch"),
    object: "charge",
    amount,
    currency,
    status: failure ? "failed" : "succeeded",
    paid: !failure,
    payment_intent: intentId,
    payment_method: pmId,
    failure_code: failure ? String((failure.body as { error: { code: string } }).error.code) : null,
    created: Math.floor(Date.now() / 1000),
    metadata,
  };
  const response = failure ?? {
    status: 200,
    body: { id: intentId, object: "payment_intent", amount, currency, status: "succeeded", payment_method: pmId, latest_charge: charge.id, metadata },
  };
  return { t: "intent", key, pm: pmId, response, charge };
}

function listCharges(charges: readonly SandboxCharge[], query: URLSearchParams): StoredResponse {
  const limit = Math.min(MAX_PAGE, Math.max(1, Number(query.get("limit") ?? 10) || 10));
  const after = query.get("starting_after");
  const since = Number(query.get("created[gte]") ?? 0) || 0;
  const newestFirst = charges.filter((c) => c.created >= since).reverse();
  let from = 0;
  if (after) {
    const at = newestFirst.findIndex((c) => c.id === after);
    if (at < 0) return { status: 400, body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such charge: '${after}'` } } };
    from = at + 1;
  }
  const expandIntent = query.getAll("expand[]").includes("data.payment_intent");
  // As Stripe does, the metadata is the payment intent's: a charge shows it only through `expand[]=data.payment_intent`.
  const data = newestFirst.slice(from, from + limit).map((c) => ({
    ...c,
    metadata: {},
    payment_intent: expandIntent && c.payment_intent ? { id: c.payment_intent, object: "payment_intent", metadata: c.metadata } : c.payment_intent,
  }));
  return { status: 200, body: { object: "list", url: "/v1/charges", has_more: from + limit < newestFirst.length, data } };
}

/** The processor over its state (customers, cards, charges) and its journal: replay, then answer each route. */
export async function createSandboxHandler(options: { dataDir?: string; readOnly?: boolean } = {}) {
  const state: SandboxState = { paymentMethods: new Map(), byIdempotencyKey: new Map(), charges: [] };
  const { paymentMethods, byIdempotencyKey, charges } = state;
  const applyEvent = (event: SandboxEvent) => applyOf(state, event);

  let log: AppendLog | undefined;
  if (options.dataDir) {
    if (!options.readOnly) await mkdir(options.dataDir, { recursive: true });
    const file = join(options.dataDir, "processor-journal.log");
    const { records, tornTail } = await readLog<SandboxEvent>(file);
    for (const event of records) applyEvent(event);
    // A torn tail is an answer that was never given: drop it by starting the file over from the records.
    if (tornTail && !options.readOnly) {
      await writeFile(`${file}.tmp`, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
      await rename(`${file}.tmp`, file);
    }
    // Read-only: the state as of now, for check-ledger beside a running app; new calls are not kept.
    if (!options.readOnly) log = await AppendLog.open(file);
  }
  /** Apply, then make it durable before anyone is answered. */
  async function record(event: SandboxEvent): Promise<void> {
    applyEvent(event);
    await log?.append(event);
  }

  async function createPaymentMethod(form: URLSearchParams): Promise<StoredResponse> {
    const token = form.get("card[token]") ?? "";
    const card = TEST_TOKENS[token];
    if (!card) return { status: 400, body: { error: { type: "invalid_request_error", code: "token_invalid", message: `No such token: '${token}'` } } };
    const id = newId("pm");
    // Like Stripe's test tokens, the expired-card one has a future date (the charge fails);
    // tok_visaPastExpiry carries a date that has passed (refused when saved).
    const expYear = card.pastExpiry ? 2020 : new Date().getUTCFullYear() + 3;
    await record({ t: "pm", id, method: { ...card, expMonth: 12, expYear } });
    return { status: 200, body: { id, object: "payment_method", type: "card", card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: expYear } } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const [path, search] = (req.url ?? "").split("?");
    let outcome: Promise<StoredResponse>;
    if (!(req.headers.authorization ?? "").startsWith("Bearer sk_")) {
      outcome = Promise.resolve({ status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } });
    } else if (req.method === "POST" && path === "/v1/payment_methods") {
      outcome = createPaymentMethod(form);
    } else if (req.method === "GET" && path === "/v1/charges") {
      outcome = Promise.resolve(listCharges(charges, new URLSearchParams(search ?? "")));
    } else if (req.method === "POST" && path === "/v1/payment_intents") {
      const header = req.headers["idempotency-key"];
      const key = typeof header === "string" && header ? header : undefined;
      const known = key ? byIdempotencyKey.get(key) : undefined;
      if (known) {
        outcome = known;
      } else {
        const event = decideIntent(paymentMethods, form, key);
        outcome = record(event).then(() => (event as Extract<SandboxEvent, { t: "intent" }>).response);
        if (key) byIdempotencyKey.set(key, outcome); // same-key requests arriving meanwhile wait for this one
      }
    } else {
      outcome = Promise.resolve({ status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL" } } });
    }
    const { status, body } = await outcome;
    // Two calls, not a chain: restify patches ServerResponse.prototype.writeHead to return nothing.
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  return {
    handle,
    charges: () => charges.filter((c) => c.status === "succeeded").map((c) => ({ id: c.payment_intent, amount: c.amount, currency: c.currency, paymentMethod: c.payment_method })),
    close: async () => log?.close(),
  };
}

export async function startSandboxProcessor(port = 0, options: { dataDir?: string; readOnly?: boolean } = {}): Promise<SandboxProcessor> {
  const sandbox = await createSandboxHandler(options);
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
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await sandbox.close();
    },
  };
}
