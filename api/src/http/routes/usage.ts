/**
 * Rates, PSTN usage (ingest, records, summary) and call authorization (API.md).
 *
 * POST /usage/records moves money, so it needs the billing role and an Idempotency-Key (scope
 * "usage"); a service principal (the Graph poller's app identity) may be allowed later through the
 * same Authorizer. Everything else is read-only and needs the read role. Every query is scoped to
 * the caller's tenant partition.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import { z } from "zod";
import type { Services } from "../../wiring.js";
import { idempotentAnswer } from "../money.js";
import { MAX_BATCH_ROWS } from "../../usage/ingest.js";
import { answer, type Authorizer } from "../router.js";
import { pageQuery } from "../validation.js";

const recordsBody = z
  .object({
    records: z
      .array(z.unknown(), { error: "must be an array of call records" })
      .min(1, "send at least one record")
      .max(MAX_BATCH_ROWS, `send at most ${MAX_BATCH_ROWS} records per request`),
  })
  .strict();

const summaryQuery = z.object({
  groupBy: z.enum(["day", "user", "destination", "callType"], { error: "must be day, user, destination or callType" }).default("day"),
});

const authorizeBody = z
  .object({
    userId: z.string().max(200).regex(/^[A-Za-z0-9-]*$/, "is not a user id"),
    callType: z.string().trim().min(1).max(64),
    number: z.string().trim().min(1).max(32).regex(/^(?:\+\d{2,15}|\d{2,6})$/, "must be an E.164 number (+ and digits) or a short code"),
    inventoryType: z.string().max(64).nullish(),
  })
  .strict();

const guardBody = z
  .object({
    blockedCountries: z.array(z.string().max(8)).max(300),
    blockedPrefixes: z.array(z.string().max(20)).max(300),
    blockPremiumRate: z.boolean(),
    domesticOnly: z.boolean(),
    perUserDailyCapMicros: z.number({ error: "must be a number of micros" }).int("must be a whole number of micros").refine(Number.isSafeInteger, "is too large").nullable(),
    spikeFactor: z.number({ error: "must be a number" }).finite(),
  })
  .strict();

export function mountUsage(server: Server, s: Services, auth: Authorizer, log: Logger): void {
  server.get("/api/v1/rates", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const account = await s.ledger.readAccount(caller.tenantId);
    s.rates.requireCurrency(account.currency);
    const number = typeof req.query?.number === "string" ? req.query.number : undefined;
    return { status: 200, body: s.rates.lookup(number) };
  }));

  server.post("/api/v1/usage/records", answer(log, async (req) => {
    const caller = await auth.require(req, "billing");
    const body = recordsBody.parse(req.body);
    return idempotentAnswer(s.idempotency, req, caller.tenantId, "usage", body, 200, (key) => s.usage.ingest(caller.tenantId, body.records, key));
  }));

  server.get("/api/v1/usage/records", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const { limit, cursor } = pageQuery.parse({ limit: req.query?.limit, cursor: req.query?.cursor });
    return { status: 200, body: await s.usage.records(caller.tenantId, { from: req.query?.from, to: req.query?.to }, limit, cursor) };
  }));

  server.get("/api/v1/usage/summary", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const { groupBy } = summaryQuery.parse({ groupBy: req.query?.groupBy });
    return { status: 200, body: await s.usage.summary(caller.tenantId, { from: req.query?.from, to: req.query?.to }, groupBy) };
  }));

  server.get("/api/v1/guard", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    return { status: 200, body: await s.guard.get(caller.tenantId) };
  }));

  server.put("/api/v1/guard", answer(log, async (req) => {
    const caller = await auth.require(req, "billing");
    const body = guardBody.parse(req.body);
    return { status: 200, body: await s.guard.update(caller.tenantId, { id: caller.userId, upn: caller.upn }, body) };
  }));

  server.post("/api/v1/calls/authorize", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const body = authorizeBody.parse(req.body);
    return { status: 200, body: await s.usage.authorize(caller.tenantId, body) };
  }));
}
