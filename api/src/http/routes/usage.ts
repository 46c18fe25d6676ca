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
import type { Services } from "../../wiring.js";
import { idempotentAnswer } from "../money.js";
import { answer, type Authorizer } from "../router.js";
import { authorizeBody, guardBody, ratesQuery, recordsBody, summaryQuery, usageRecordsQuery } from "../validation.js";

export function mountUsage(server: Server, s: Services, auth: Authorizer, log: Logger): void {
  server.get("/api/v1/rates", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const account = await s.ledger.readAccount(caller.tenantId);
    s.rates.requireCurrency(account.currency);
    const { number } = ratesQuery.parse(req.query ?? {});
    return { status: 200, body: s.rates.lookup(number) };
  }));

  server.post("/api/v1/usage/records", answer(log, async (req) => {
    const caller = await auth.require(req, "billing");
    const body = recordsBody.parse(req.body);
    return idempotentAnswer(s.idempotency, req, caller.tenantId, "usage", body, 200, (key) => s.usage.ingest(caller.tenantId, body.records, key));
  }));

  server.get("/api/v1/usage/records", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const { limit, cursor, from, to, period } = usageRecordsQuery.parse(req.query ?? {});
    return { status: 200, body: await s.usage.records(caller.tenantId, { from, to, period }, limit, cursor) };
  }));

  server.get("/api/v1/usage/summary", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const { groupBy, from, to, period } = summaryQuery.parse(req.query ?? {});
    return { status: 200, body: await s.usage.summary(caller.tenantId, { from, to, period }, groupBy) };
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
