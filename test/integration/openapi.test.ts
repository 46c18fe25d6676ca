/**
 * The published contract (GET /api/v1/openapi.json) is the server's truth: valid OpenAPI 3.1, every
 * route the server mounts is in it and nothing else is, each route says who may call it, and the
 * answers real calls get (successes and refusals, several roles, both tenants) are the documented
 * ones, in status, media type and shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { BILLING_ROLES, NOTIFIED_ROLES, PERMISSION_ROLES, roleName } from "@cc/common";
import { canManageNotifications } from "../../api/src/notifications/settings.js";
import type { App } from "../../api/src/app.js";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd, type ApiResponse } from "../support/http.js";
import { ContractChecker, type OpenApiDocument } from "../support/openapi.js";
import { call, userId } from "./usage-fixtures.js";

/** Mounted, but not the API: the tab's files and its first frame (API.md: "and the built tab at /"). */
const NOT_API = ["GET /", "GET /*", "HEAD /*", "GET /tab/first-frame"];

/** Every route restify has mounted, as `METHOD /path` in OpenAPI's `{param}` form. */
function mountedRoutes(app: App): string[] {
  const { router } = app.server as unknown as { router: { getRoutes(): Record<string, { spec: { method: string; path: string } }> } };
  const routes = router.getRoutes();
  return Object.values(routes)
    .map(({ spec }) => `${spec.method === "DEL" ? "DELETE" : spec.method} ${spec.path.replace(/:([A-Za-z]+)/g, "{$1}")}`)
    .filter((route) => !NOT_API.includes(route))
    .sort();
}

function documentedRoutes(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe("the OpenAPI document", () => {
  let world: TestWorld;
  let app: App;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    const res = await new ApiClient(app.url).get<OpenApiDocument>("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    doc = res.body;
  });
  afterAll(() => world.close());

  it("is served without sign-in and is valid OpenAPI 3.1", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route the server mounts, and only those (the dev routes under the dev tag)", () => {
    expect(documentedRoutes(doc)).toEqual(mountedRoutes(app));
    for (const path of Object.keys(doc.paths).filter((p) => p.startsWith("/api/dev/"))) {
      for (const op of Object.values(doc.paths[path])) expect(op, path).toMatchObject({ tags: ["dev"] });
    }
  });

  it("leaves the dev routes out of a server without dev sign-in", async () => {
    const entra = await world.app({ config: { AUTH_MODE: "entra", ENTRA_CLIENT_ID: "00000000-0000-4000-8000-00000000c0de" } });
    const res = await new ApiClient(entra.url).get<OpenApiDocument>("/api/v1/openapi.json");
    expect(documentedRoutes(res.body)).toEqual(mountedRoutes(entra));
    expect(documentedRoutes(res.body).filter((r) => r.includes("/api/dev/"))).toEqual([]);
  });

  it("says who may call each route, requires an Idempotency-Key where money moves and Retry-After with every 429", () => {
    const funds = doc.paths["/api/v1/account/funds"].post;
    expect(funds["x-roles"]).toEqual(BILLING_ROLES.map((id) => roleName(id)));
    expect(funds.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "Idempotency-Key", required: true }));
    expect(doc.paths["/api/v1/account"].get["x-roles"]).toEqual(PERMISSION_ROLES.read.map((id) => roleName(id)));
    expect(doc.paths["/api/health"].get["x-access"]).toBe("public");
    // The one route that decides with its own rule: the document names the roles that rule lets in.
    expect([...doc.paths["/api/v1/notification-settings"].put["x-role-ids"]].sort()).toEqual(NOTIFIED_ROLES.filter((id) => canManageNotifications([id])).sort());
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(["public", "signed-in", "permission", "roles"], where).toContain(op["x-access"]);
        if (op["x-access"] === "permission" || op["x-access"] === "roles") expect(op["x-roles"].length, where).toBeGreaterThan(0);
        if (op["x-moves-money"])
          expect(
            op.parameters?.some((p) => p.name === "Idempotency-Key" && p.required),
            where,
          ).toBe(true);
        if (op.responses["429"]) expect(op.responses["429"].headers, where).toHaveProperty("Retry-After");
        if (op["x-access"] !== "public") expect(op.responses, where).toHaveProperty("401");
        for (const [status, response] of Object.entries(op.responses)) {
          // 431 is Node's own answer, before the app: the one refusal without a problem body.
          if (Number(status) >= 400 && status !== "431") expect(Object.keys(response.content ?? {}), `${where} ${status}`).toEqual(["application/problem+json"]);
        }
      }
    }
  });

  it("describes the answers real calls get, for several roles and both tenants", async () => {
    const checker = new ContractChecker(doc);
    const seen = new Set<string>();
    const problems: string[] = [];
    const check = async (method: string, path: string, send: Promise<ApiResponse>) => {
      const res = await send;
      const template = checker.templateOf(path) ?? path;
      seen.add(`${method} ${template}`);
      problems.push(...checker.problemsWith(method, path, { status: res.status, contentType: res.headers.get("content-type"), body: res.body, headers: res.headers }));
      return res;
    };
    const anonymous = new ApiClient(app.url);
    const [megan, adele, lee, diego, nestor] = await Promise.all(
      ["megan@contoso.example", "adele@contoso.example", "lee@contoso.example", "diego@contoso.example", "nestor@fabrikam.example"].map((upn) => ApiClient.signIn(app.url, upn)),
    );
    const get = (who: ApiClient, path: string) => check("GET", path, who.get(path));
    const put = (who: ApiClient, path: string, body: unknown) => check("PUT", path, who.put(path, body));
    const post = (who: ApiClient, path: string, body?: unknown) => check("POST", path, who.post(path, body));
    const money = (who: ApiClient, path: string, body: unknown, key = randomUUID()) => check("POST", path, who.postMoney(path, body, key));
    const del = (who: ApiClient, path: string) => check("DELETE", path, who.delete(path));

    await get(anonymous, "/api/health");
    await get(anonymous, "/api/v1/openapi.json");
    await post(anonymous, "/api/dev/token", { upn: "megan@contoso.example" });
    await post(anonymous, "/api/dev/token", { upn: "nobody@contoso.example" });
    await get(anonymous, "/api/v1/account");
    for (const who of [megan, adele, diego, nestor]) await get(who, "/api/v1/me");
    await get(megan, "/api/v1/account");
    await get(diego, "/api/v1/account");

    const card = await post(megan, "/api/v1/payment-methods", { token: "tok_visa" });
    await post(megan, "/api/v1/payment-methods", { token: "" });
    await post(adele, "/api/v1/payment-methods", { token: "tok_visa" });
    const spare = await post(megan, "/api/v1/payment-methods", { token: "tok_chargeDeclined" });
    await get(megan, "/api/v1/payment-methods");
    await put(megan, "/api/v1/account/payment-method", { paymentMethodId: card.body.id });
    await put(megan, "/api/v1/account/payment-method", { paymentMethodId: "pm-unknown" });
    const key = randomUUID();
    await money(megan, "/api/v1/account/funds", { amountMicros: usd(100) }, key);
    await money(megan, "/api/v1/account/funds", { amountMicros: usd(100) }, key);
    await money(megan, "/api/v1/account/funds", { amountMicros: usd(200) }, key);
    await money(megan, "/api/v1/account/funds", { amountMicros: 1 });
    await money(megan, "/api/v1/account/funds", { amountMicros: "100" });
    await check("POST", "/api/v1/account/funds", megan.post("/api/v1/account/funds", { amountMicros: usd(100) }));
    await money(nestor, "/api/v1/account/funds", { amountMicros: usd(60) });
    await get(nestor, "/api/v1/account");
    await put(megan, "/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    await put(megan, "/api/v1/account/auto-recharge", { enabled: true, amountMicros: 5, thresholdMicros: usd(20) });
    await post(megan, "/api/v1/account/auto-recharge/resume");
    await put(megan, "/api/v1/account/time-zone", { timeZone: "Mars/Olympus_Mons" });
    await put(megan, "/api/v1/account/time-zone", { timeZone: "UTC" });
    await money(megan, "/api/v1/account/recharge/retry", {});
    await del(megan, `/api/v1/payment-methods/${spare.body.id}`);
    await del(megan, "/api/v1/payment-methods/pm-unknown");
    await del(megan, `/api/v1/payment-methods/${card.body.id}`);
    for (const path of ["/api/v1/account/forecast", "/api/v1/account/recommendation", "/api/v1/account/impact", "/api/v1/recharges"]) await get(adele, path);
    await get(megan, "/api/v1/ledger?limit=2");
    await get(megan, "/api/v1/ledger?limit=0");
    await get(nestor, "/api/v1/ledger");
    await get(megan, "/api/v1/notifications");
    await get(megan, "/api/v1/users");
    await check("PUT", "/api/v1/licenses/{userId}", lee.put(`/api/v1/licenses/${userId("lynne@contoso.example")}`));
    await check("PUT", "/api/v1/licenses/{userId}", lee.put(`/api/v1/licenses/${randomUUID()}`));
    await check("PUT", "/api/v1/licenses/{userId}", megan.put(`/api/v1/licenses/${userId("lynne@contoso.example")}`));
    await del(lee, `/api/v1/licenses/${userId("lynne@contoso.example")}`);
    await get(megan, "/api/v1/rates?number=%2B447700900123");
    await get(megan, "/api/v1/rates?number=abc");
    await get(megan, "/api/v1/rates?number=%2B999999");
    const now = Date.now();
    const rows = [call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 125, start: new Date(now - 3_600_000).toISOString() }), { id: "broken" }];
    await money(megan, "/api/v1/usage/records", { records: rows });
    await money(megan, "/api/v1/usage/records", { records: [] });
    await money(megan, "/api/dev/debit", { amountMicros: usd(1) });
    await get(megan, "/api/v1/usage/records?limit=10");
    await get(megan, "/api/v1/usage/records?from=yesterday");
    await get(megan, "/api/v1/usage/summary?groupBy=user");
    await get(megan, "/api/v1/usage/summary?period=30d");
    await get(megan, "/api/v1/usage/summary?groupBy=planet");
    await get(megan, "/api/v1/usage/export?format=csv");
    await get(megan, "/api/v1/usage/export?format=xlsx");
    await get(megan, "/api/v1/usage/export?format=pdf");
    const guard = await get(megan, "/api/v1/guard");
    await put(megan, "/api/v1/guard", guard.body);
    await put(adele, "/api/v1/guard", guard.body);
    await get(adele, "/api/v1/groups");
    await get(adele, "/api/v1/usage/summary?groupBy=department");
    await get(adele, "/api/v1/budgets");
    await put(megan, "/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(500), mode: "warn" }] });
    await put(adele, "/api/v1/budgets", { departments: [] });
    await get(megan, "/api/v1/rates?number=%2B442079460000&userId=a1f0c0de-0000-4000-8000-000000000003");
    await post(adele, "/api/v1/calls/authorize", { userId: userId("lee@contoso.example"), callType: "user_out", number: "+33612345678" });
    await post(adele, "/api/v1/calls/authorize", { userId: "x", callType: "user_out", number: "nope" });
    const settings = await get(adele, "/api/v1/notification-settings");
    await put(adele, "/api/v1/notification-settings", settings.body);
    await put(diego, "/api/v1/notification-settings", settings.body);
    await get(megan, "/api/dev/bot-messages");
    await get(megan, "/api/dev/graph-outbox");
    await post(megan, "/api/dev/jobs/run");
    await post(megan, "/api/dev/graph/poll", {});
    await post(megan, "/api/dev/graph/poll", { until: "soon" });
    await post(anonymous, "/api/messages", { type: "message", serviceUrl: "https://example.com" });

    expect(problems).toEqual([]);
    // Every documented operation was called at least once.
    expect(documentedRoutes(doc).filter((r) => !seen.has(r))).toEqual([]);
  });
});
