/**
 * Dev-only usage routes (AUTH_MODE=dev): run the Graph poller now for the caller's tenant, so a
 * newcomer can watch records flow from the local Graph directory without waiting for the job.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { GraphPoller } from "../../usage/graph-poller.js";
import { answer, type Authorizer } from "../../http/router.js";
import { pollBody } from "../../http/validation.js";

export function mountDevUsage(server: Server, poller: Pick<GraphPoller, "pollTenant">, auth: Authorizer, log: Logger): void {
  server.post(
    "/api/dev/graph/poll",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const body = pollBody.parse(req.body ?? undefined);
      const result = await poller.pollTenant(caller.tenantId, body?.until ? new Date(body.until) : undefined);
      return { status: 200, body: result };
    }),
  );
}
