/** Account, payment methods, funds and auto-recharge (API.md). */
import type { Server } from "restify";
import type { UnreachedEvents } from "../../notifications/unreached.js";
import type { Logger } from "pino";
import type { Accounts } from "../../accounts/accounts.js";
import type { Forecasts } from "../../accounts/forecast.js";
import type { Funding } from "../../funding/add-funds.js";
import type { PaymentMethods } from "../../funding/payment-methods.js";
import type { AutoRecharge } from "../../funding/auto-recharge/index.js";
import type { Usage } from "../../usage/usage.js";
import type { IdempotencyService } from "../../store/idempotency.js";
import { idempotentAnswer } from "../money.js";
import { actorOf, answer, answerOk, wholeList, type Authorizer } from "../router.js";
import { addFundsBody, autoRechargeBody, defaultPaymentMethodBody, paymentMethodBody, paymentMethodIdParam, timeZoneBody } from "../validation.js";
import type { SetTimeZone } from "../../accounts/time-zone.js";

/** The use cases these routes call. */
export interface AccountRouteDeps {
  accounts: Pick<Accounts, "view">;
  forecasts: Pick<Forecasts, "forecast" | "recommendation">;
  funding: Pick<Funding, "addFunds">;
  paymentMethods: Pick<PaymentMethods, "add" | "list" | "remove" | "setDefault">;
  autoRecharge: Pick<AutoRecharge, "configure" | "resume" | "retryNow" | "history">;
  usage: Pick<Usage, "impact">;
  idempotency: IdempotencyService;
  unreachedEvents: Pick<UnreachedEvents, "call">;
  setTimeZone: SetTimeZone;
}

/** One registration per route, read top to bottom as the API lists them; each handler is a few lines (parse, authorise, call). */
export function mountAccount(server: Server, s: AccountRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/account",
    answerOk(log, auth, "read", async (caller) => {
      const [account, unreachedEvents] = await Promise.all([s.accounts.view(caller.tenantId), s.unreachedEvents.call(caller.tenantId)]);
      return { ...account, unreachedEvents };
    }),
  );
  mountPaymentMethods(server, s, auth, log);
  mountRecharge(server, s, auth, log);

  server.post(
    "/api/v1/account/funds",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const body = addFundsBody.parse(req.body);
      return idempotentAnswer(s.idempotency, req, caller.tenantId, "funds", body, 201, (key) =>
        s.funding.addFunds(caller.tenantId, actorOf(caller), body.amountMicros, key, "api", body.paymentMethodId),
      );
    }),
  );
  server.get(
    "/api/v1/account/forecast",
    answerOk(log, auth, "read", (caller) => s.forecasts.forecast(caller.tenantId)),
  );
  server.get(
    "/api/v1/account/recommendation",
    answerOk(log, auth, "read", (caller, req) => s.forecasts.recommendation(caller.tenantId, String(req.headers["accept-language"] ?? ""))),
  );
  server.put(
    "/api/v1/account/time-zone",
    answerOk(log, auth, "billing", async (caller, req) => {
      await s.setTimeZone(caller.tenantId, actorOf(caller), timeZoneBody.parse(req.body).timeZone);
      return s.accounts.view(caller.tenantId);
    }),
  );
  server.get(
    "/api/v1/account/impact",
    answerOk(log, auth, "read", (caller) => s.usage.impact(caller.tenantId)),
  );
}

/** The tenant's cards: list, add, remove, choose the default. */
function mountPaymentMethods(server: Server, s: AccountRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/payment-methods",
    answerOk(log, auth, "read", async (caller) => wholeList(await s.paymentMethods.list(caller.tenantId))),
  );
  server.post(
    "/api/v1/payment-methods",
    answerOk(log, auth, "billing", (caller, req) => s.paymentMethods.add(caller.tenantId, actorOf(caller), paymentMethodBody.parse(req.body).token), 201),
  );
  server.del(
    "/api/v1/payment-methods/:id",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      await s.paymentMethods.remove(caller.tenantId, actorOf(caller), paymentMethodIdParam.parse(String(req.params?.id ?? "")));
      return { status: 204 };
    }),
  );
  server.put(
    "/api/v1/account/payment-method",
    answerOk(log, auth, "billing", async (caller, req) => {
      const { paymentMethodId } = defaultPaymentMethodBody.parse(req.body);
      await s.paymentMethods.setDefault(caller.tenantId, actorOf(caller), paymentMethodId);
      return s.accounts.view(caller.tenantId);
    }),
  );
}

/** Auto-recharge: its settings, resuming it, Retry now, its history. */
function mountRecharge(server: Server, s: AccountRouteDeps, auth: Authorizer, log: Logger): void {
  server.put(
    "/api/v1/account/auto-recharge",
    answerOk(log, auth, "billing", async (caller, req) => {
      const settings = autoRechargeBody.parse(req.body);
      await s.autoRecharge.configure(caller.tenantId, actorOf(caller), settings);
      return s.accounts.view(caller.tenantId);
    }),
  );
  server.post(
    "/api/v1/account/auto-recharge/resume",
    answerOk(log, auth, "billing", async (caller) => {
      await s.autoRecharge.resume(caller.tenantId, actorOf(caller));
      return s.accounts.view(caller.tenantId);
    }),
  );
  server.post(
    "/api/v1/account/recharge/retry",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      return idempotentAnswer(s.idempotency, req, caller.tenantId, "recharge-retry", {}, 200, async () => ({
        attempt: await s.autoRecharge.retryNow(caller.tenantId, actorOf(caller)),
      }));
    }),
  );
  server.get(
    "/api/v1/recharges",
    answerOk(log, auth, "read", async (caller) => wholeList(await s.autoRecharge.history(caller.tenantId))),
  );
}
