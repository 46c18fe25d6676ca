/**
 * Department budgets (GET/PUT /api/v1/budgets, issue 22 item 6): read by any notified admin,
 * changed by the billing roles (a budget is money). Spend by department itself is
 * GET /api/v1/usage/summary?groupBy=department and its export
 * GET /api/v1/usage/export?groupBy=department.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { DepartmentSpend } from "../../usage/departments.js";
import { answer, type Authorizer } from "../router.js";
import { budgetsBody } from "../validation.js";

export function mountBudgets(server: Server, departments: DepartmentSpend, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/budgets",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: await departments.budgets(caller.tenantId) };
    }),
  );

  server.put(
    "/api/v1/budgets",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const body = budgetsBody.parse(req.body);
      return { status: 200, body: await departments.putBudgets(caller.tenantId, { id: caller.userId, upn: caller.upn }, body.departments) };
    }),
  );
}
