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
import { tablePlan } from "../../usage/export.js";
import { t } from "@cc/common";

async function departmentTable(
  usage: Pick<Usage, "summary">,
  tenantId: string,
  query: { from?: string; to?: string; period?: string; format?: string },
  locale: string | undefined,
) {
  const summary = await usage.summary(tenantId, query, "department", locale);
  const header = [
    t(locale, "budgets.export.department"),
    t(locale, "budgets.export.calls"),
    t(locale, "budgets.export.minutes"),
    t(locale, "budgets.export.charge"),
    t(locale, "budgets.export.currency"),
  ];
  const rows = summary.groups.map((g) => [g.label, g.calls, g.minutes, g.chargeMicros, summary.currency]);
  return tablePlan(query.format, `spend-by-department-${summary.from}-${summary.to}`, header, rows, [3]);
}

export function mountUsageExport(server: Server, exporter: UsageExport, auth: Authorizer, log: Logger, periods?: Pick<Usage, "resolvePeriod" | "summary">): void {
  server.get(
    "/api/v1/usage/export",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const query = exportQuery.parse(req.query ?? {});
      // A named period (period=30d) is the same instants the summary and the bot use.
      const range = periods ? (await periods.resolvePeriod(caller.tenantId, query)).range : query;
      // The department report: its totals as a table, through the same file machinery.
      const plan =
        query.groupBy === "department" && periods
          ? await departmentTable(periods, caller.tenantId, query, req.headers["accept-language"])
          : await exporter.prepare(caller.tenantId, { ...range, format: query.format });
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
    }),
  );
}
