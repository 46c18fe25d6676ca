/**
 * Rates, PSTN usage (ingest, records, summary) and call authorization (API.md).
 *
 * POST /usage/records moves money, so it needs the billing role and an Idempotency-Key (scope
 * "usage"); a service principal (the Graph poller's app identity) may be allowed later through the
 * same Authorizer. Everything else is read-only and needs the read role. Every query is scoped to
 * the caller's tenant partition.
 */
import type { Server } from "restify";
import type { GroupMembersReader } from "../../directory/group-members.js";
import { hasPermission } from "@cc/common";
import type { Logger } from "pino";
import type { Guard } from "../../guard/guard.js";
import type { LedgerWriter } from "../../ledger/ledger-writer.js";
import type { Rates } from "../../usage/rates.js";
import type { Usage } from "../../usage/usage.js";
import type { IdempotencyService } from "../../store/idempotency.js";
import { idempotentAnswer } from "../money.js";
import { answer, answerOk, wholeList, type Authorizer } from "../router.js";
import { authorizeBody, guardBody, ratesQuery, recordsBody, summaryQuery, usageRecordsQuery } from "../validation.js";

/** The use cases these routes call. */
export interface UsageRouteDeps {
  usage: Pick<Usage, "authorize" | "ingest" | "records" | "summary" | "guardedCall">;
  guard: Pick<Guard, "get" | "update" | "verdict">;
  groups: Pick<GroupMembersReader, "groups">;
  rates: Pick<Rates, "lookup" | "requireCurrency">;
  ledger: Pick<LedgerWriter, "readAccount">;
  idempotency: IdempotencyService;
}

export function mountUsage(server: Server, s: UsageRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/rates",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const account = await s.ledger.readAccount(caller.tenantId);
      s.rates.requireCurrency(account.currency);
      const { number, userId } = ratesQuery.parse(req.query ?? {});
      const rate = s.rates.lookup(number);
      if (!userId) return { status: 200, body: rate };
      // Whether the call guard would let this user call the number (their exceptions included).
      const verdict = await s.guard.verdict(caller.tenantId, userId, await s.usage.guardedCall(caller.tenantId, userId, number ?? ""));
      return { status: 200, body: { ...rate, guard: { userId, allowed: !verdict.reason, ...verdict } } };
    }),
  );

  server.post(
    "/api/v1/usage/records",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const body = recordsBody.parse(req.body);
      return idempotentAnswer(s.idempotency, req, caller.tenantId, "usage", body, 200, (key) => s.usage.ingest(caller.tenantId, body.records, key));
    }),
  );

  server.get(
    "/api/v1/usage/records",
    answerOk(log, auth, "read", (caller, req) => {
      const { limit, cursor, from, to, period } = usageRecordsQuery.parse(req.query ?? {});
      return s.usage.records(caller.tenantId, { from, to, period }, limit, cursor);
    }),
  );

  server.get(
    "/api/v1/usage/summary",
    answerOk(log, auth, "read", (caller, req) => {
      const { groupBy, from, to, period } = summaryQuery.parse(req.query ?? {});
      return s.usage.summary(caller.tenantId, { from, to, period }, groupBy, req.headers["accept-language"]);
    }),
  );

  server.get(
    "/api/v1/guard",
    answerOk(log, auth, "read", (caller) => s.guard.get(caller.tenantId)),
  );

  server.get(
    "/api/v1/groups",
    answerOk(log, auth, "guard", async (caller) => wholeList(await s.groups.groups(caller.tenantId))),
  );

  server.put(
    "/api/v1/guard",
    // The calling policy is the voice admins' too; its money setting stays with billing (Guard.update).
    answerOk(log, auth, "guard", (caller, req) =>
      s.guard.update(caller.tenantId, { id: caller.userId, upn: caller.upn }, guardBody.parse(req.body), { mayChangeMoney: hasPermission(caller.roles, "billing") }),
    ),
  );

  server.post(
    "/api/v1/calls/authorize",
    answerOk(log, auth, "read", (caller, req) => s.usage.authorize(caller.tenantId, authorizeBody.parse(req.body))),
  );
}
