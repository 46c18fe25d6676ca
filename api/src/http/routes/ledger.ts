/** The ledger and notifications, newest first, paged by cursor. */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { Accounts } from "../../accounts/accounts.js";
import type { Outbox } from "../../notifications/outbox.js";
import { answerOk, type Authorizer } from "../router.js";
import { pageQuery } from "../validation.js";

/** The use cases these routes call. */
export interface LedgerRouteDeps {
  accounts: Pick<Accounts, "ledgerPage">;
  outbox: Pick<Outbox, "page">;
}

export function mountLedger(server: Server, s: LedgerRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/ledger",
    answerOk(log, auth, "read", (caller, req) => {
      const { limit, cursor } = pageQuery.parse(req.query ?? {});
      return s.accounts.ledgerPage(caller.tenantId, limit, cursor);
    }),
  );
  server.get(
    "/api/v1/notifications",
    answerOk(log, auth, "read", (caller, req) => {
      const { limit, cursor } = pageQuery.parse(req.query ?? {});
      return s.outbox.page(caller.tenantId, limit, cursor);
    }),
  );
}
