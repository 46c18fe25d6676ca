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
import { actorOf, answer, type Authorizer } from "../router.js";
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
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const [account, unreachedEvents] = await Promise.all([s.accounts.view(caller.tenantId), s.unreachedEvents.call(caller.tenantId)]);
      return { status: 200, body: { ...account, unreachedEvents } };
    }),
  );

  server.get(
    "/api/v1/payment-methods",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: { items: await s.paymentMethods.list(caller.tenantId), next: null } };
    }),
  );

  server.post(
    "/api/v1/payment-methods",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const { token } = paymentMethodBody.parse(req.body);
      return { status: 201, body: await s.paymentMethods.add(caller.tenantId, actorOf(caller), token) };
    }),
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
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const { paymentMethodId } = defaultPaymentMethodBody.parse(req.body);
      await s.paymentMethods.setDefault(caller.tenantId, actorOf(caller), paymentMethodId);
      return { status: 200, body: await s.accounts.view(caller.tenantId) };
    }),
  );

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

  server.put(
    "/api/v1/account/auto-recharge",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const settings = autoRechargeBody.parse(req.body);
      await s.autoRecharge.configure(caller.tenantId, actorOf(caller), settings);
      return { status: 200, body: await s.accounts.view(caller.tenantId) };
    }),
  );

  server.put(
    "/api/v1/account/time-zone",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const { timeZone } = timeZoneBody.parse(req.body);
      await s.setTimeZone(caller.tenantId, actorOf(caller), timeZone);
      return { status: 200, body: await s.accounts.view(caller.tenantId) };
    }),
  );

  server.post(
    "/api/v1/account/auto-recharge/resume",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      await s.autoRecharge.resume(caller.tenantId, actorOf(caller));
      return { status: 200, body: await s.accounts.view(caller.tenantId) };
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
    "/api/v1/account/forecast",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: await s.forecasts.forecast(caller.tenantId) };
    }),
  );

  server.get(
    "/api/v1/account/recommendation",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: await s.forecasts.recommendation(caller.tenantId, String(req.headers["accept-language"] ?? "")) };
    }),
  );

  server.get(
    "/api/v1/account/impact",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: await s.usage.impact(caller.tenantId) };
    }),
  );

  server.get(
    "/api/v1/recharges",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: { items: await s.autoRecharge.history(caller.tenantId), next: null } };
    }),
  );
}
