/**
 * GET /api/v1/usage/export?from&to&format=csv|xlsx — the PSTN usage report as a file (read role,
 * the caller's tenant only). Validation, authorisation and the first store read happen before the
 * first byte, so those failures are problem+json; the body is then streamed by the service.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { UsageExport } from "../../usage/export.js";
import type { Usage } from "../../usage/usage.js";
import { answer, type Authorizer } from "../router.js";
import { exportQuery } from "../validation.js";

export function mountUsageExport(server: Server, exporter: UsageExport, auth: Authorizer, log: Logger, periods?: Pick<Usage, "resolvePeriod">): void {
  server.get("/api/v1/usage/export", answer(log, async (req) => {
    const caller = await auth.require(req, "read");
    const query = exportQuery.parse(req.query ?? {});
    // A named period (period=30d) is the same instants the summary and the bot use.
    const range = periods ? (await periods.resolvePeriod(caller.tenantId, query)).range : query;
    const plan = await exporter.prepare(caller.tenantId, { ...range, format: query.format });
    return {
      status: 200,
      stream: async (res) => {
        res.setHeader("content-type", plan.contentType);
        res.setHeader("content-disposition", `attachment; filename="${plan.filename}"`);
        res.setHeader("cache-control", "no-store");
        res.writeHead(200);
        try {
          await plan.write(res);
        } catch (err) {
          // Past the first byte a problem+json can no longer be sent: cut the connection so the
          // client sees a failed download rather than a file that looks complete.
          log.error({ err, tenantId: caller.tenantId }, "usage export failed mid-stream");
          res.destroy(err instanceof Error ? err : undefined);
        }
      },
    };
  }));
}
