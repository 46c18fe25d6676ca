/**
 * The API's contract as data: every route with who may call it, what it reads (body, query, path,
 * headers) and what it answers, built from the very zod schemas the routes parse with
 * (validation.ts) and the answer schemas (answers.ts); `openApiDocument` renders it as OpenAPI 3.1
 * for GET /api/v1/openapi.json.
 *
 * The library is zod-openapi (6.x, zod v4 only): it renders schemas with zod v4's own
 * `z.toJSONSchema` (JSON Schema 2020-12, which is what OpenAPI 3.1 uses) and adds what JSON Schema
 * alone cannot say — parameters, request bodies, responses, headers, shared components — without
 * patching zod. Hand-writing that part around `z.toJSONSchema` would be a small OpenAPI library of
 * our own; @asteasolutions/zod-to-openapi needs every schema registered in a registry, a second
 * list beside this one.
 */
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { BILLING_ROLES, DirectoryRole, PERMISSION_ROLES, roleName, type Permission } from "@cc/common";
import * as answers from "./answers.js";
import * as input from "./validation.js";

/**
 * Who may call a route: nobody signed in (`public`), any signed-in user of a known tenant
 * (`signed-in`), the holders of a permission's roles (router.ts `Authorizer.require`), or an
 * explicit role list (a route that decides with its own rule, named in `rule`).
 */
export type Access =
  { kind: "public"; why: string } | { kind: "signed-in" } | { kind: "permission"; permission: Permission } | { kind: "roles"; roles: readonly string[]; rule: string };

export interface RouteContract {
  method: "get" | "post" | "put" | "delete";
  /** OpenAPI form: `{id}` where restify mounts `:id`. */
  path: string;
  summary: string;
  tag: "account" | "funding" | "ledger" | "usage" | "guard" | "licenses" | "notifications" | "me" | "health" | "contract" | "dev" | "bot";
  access: Access;
  /** Takes an Idempotency-Key: replays answer as the first time (API.md "Idempotency"). */
  money?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: Record<string, z.ZodType>;
  /** Success answers: status → JSON schema, `null` for no body, or another media type. */
  answers: Record<number, z.ZodType | null | { mediaType: string; description: string; bodyOptional?: true }>;
  /** Refusals beyond those every route of its kind has (400 for input, 401/403/429 for access, 413 for bodies). */
  refusals?: Record<number, string>;
}

/** Every route the server mounts under /api (app.ts), in API.md's order. */
export const ROUTES: readonly RouteContract[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "The service and its store answer",
    tag: "health",
    access: { kind: "public", why: "probes of the App Service and of load balancers" },
    answers: { 200: answers.health },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    tag: "contract",
    access: { kind: "public", why: "the contract is public" },
    answers: { 200: answers.openApiDocument },
  },
  { method: "get", path: "/api/v1/me", summary: "Who the caller is and what they may do", tag: "me", access: { kind: "signed-in" }, answers: { 200: answers.me } },
  {
    method: "get",
    path: "/api/v1/account",
    summary: "The account: balance, auto-recharge, default card, last recharge",
    tag: "account",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.account },
  },
  {
    method: "get",
    path: "/api/v1/payment-methods",
    summary: "The tenant's cards",
    tag: "funding",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.paymentMethods },
  },
  {
    method: "post",
    path: "/api/v1/payment-methods",
    summary: "Add a card from a processor token (the first becomes the default)",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    body: input.paymentMethodBody,
    answers: { 201: answers.paymentMethod },
    refusals: { 402: "the processor refused the card", 409: "duplicate_payment_method", 422: "a card rule refused it (expired_card)" },
  },
  {
    method: "delete",
    path: "/api/v1/payment-methods/{id}",
    summary: "Remove a card",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    params: { id: input.paymentMethodIdParam },
    answers: { 204: null },
    refusals: { 404: "no such card in this tenant", 409: "payment_method_in_use: the default card while auto-recharge is on" },
  },
  {
    method: "put",
    path: "/api/v1/account/payment-method",
    summary: "Choose the default card",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    body: input.defaultPaymentMethodBody,
    answers: { 200: answers.account },
    refusals: { 404: "no such card in this tenant" },
  },
  {
    method: "post",
    path: "/api/v1/account/funds",
    summary: "Add funds: charge the chosen saved card (the default when none is named) and credit the balance",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    money: true,
    body: input.addFundsBody,
    answers: { 201: answers.fundsAdded },
    refusals: {
      402: "the card processor refused the charge (card_declined, expired_card, processing_error)",
      409: "the Idempotency-Key was used with another body, or is in use right now",
      422: "below_minimum, above_maximum, whole_cents, no_payment_method, billing_region_mismatch",
    },
  },
  {
    method: "put",
    path: "/api/v1/account/auto-recharge",
    summary: "Auto-recharge settings (and its circuit breaker's limits)",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    body: input.autoRechargeBody,
    answers: { 200: answers.account },
    refusals: { 422: "below_minimum, above_maximum, no_payment_method, daily_limit_below_amount, invalid_limit" },
  },
  {
    method: "put",
    path: "/api/v1/account/time-zone",
    summary: "The tenant's time zone (IANA): named periods, summaries, forecasts and the daily cap count its calendar days",
    tag: "account",
    access: { kind: "permission", permission: "billing" },
    body: input.timeZoneBody,
    answers: { 200: answers.account },
    refusals: { 400: "invalid_input: timeZone is not an IANA time zone Intl knows" },
  },
  {
    method: "post",
    path: "/api/v1/account/auto-recharge/resume",
    summary: "Lift a paused auto-recharge",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    answers: { 200: answers.account },
  },
  {
    method: "post",
    path: "/api/v1/account/recharge/retry",
    summary: "Retry a failed recharge now (Retry now)",
    tag: "funding",
    access: { kind: "permission", permission: "billing" },
    money: true,
    answers: { 200: answers.rechargeRetry },
    refusals: { 402: "the card processor refused the charge", 409: "nothing_to_retry, or the Idempotency-Key is in use" },
  },
  {
    method: "get",
    path: "/api/v1/account/forecast",
    summary: "Runway at the pace of the last 30 days",
    tag: "account",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.forecast },
  },
  {
    method: "get",
    path: "/api/v1/account/recommendation",
    summary: "Recommended threshold and recharge amount",
    tag: "account",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.recommendation },
  },
  {
    method: "get",
    path: "/api/v1/account/impact",
    summary: "What a zero balance would have stopped in the last 30 days",
    tag: "account",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.impact },
  },
  {
    method: "get",
    path: "/api/v1/recharges",
    summary: "The last recharge attempts",
    tag: "funding",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.rechargeHistory },
  },
  {
    method: "get",
    path: "/api/v1/ledger",
    summary: "Ledger entries, newest first",
    tag: "ledger",
    access: { kind: "permission", permission: "read" },
    query: input.pageQuery,
    answers: { 200: answers.ledgerPage },
  },
  {
    method: "get",
    path: "/api/v1/notifications",
    summary: "Notification events and who was told, newest first",
    tag: "notifications",
    access: { kind: "permission", permission: "read" },
    query: input.pageQuery,
    answers: { 200: answers.notificationPage },
  },
  {
    method: "get",
    path: "/api/v1/users",
    summary: "Directory users with their license and calling plan",
    tag: "licenses",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.directoryUsers },
  },
  {
    method: "put",
    path: "/api/v1/licenses/{userId}",
    summary: "Assign a Communications Credits license (idempotent)",
    tag: "licenses",
    access: { kind: "permission", permission: "licenses" },
    params: { userId: input.userIdParam },
    answers: { 200: answers.directoryUser },
    refusals: { 404: "no such user in this tenant" },
  },
  {
    method: "delete",
    path: "/api/v1/licenses/{userId}",
    summary: "Remove a Communications Credits license",
    tag: "licenses",
    access: { kind: "permission", permission: "licenses" },
    params: { userId: input.userIdParam },
    answers: { 204: null },
    refusals: { 404: "no such user in this tenant" },
  },
  {
    method: "get",
    path: "/api/v1/rates",
    summary: "The rate of a number (with userId: and whether the call guard lets that user call it)",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    query: input.ratesQuery,
    answers: { 200: answers.rateForUser },
    refusals: { 404: "no rate for this number, or no such user" },
  },
  {
    method: "post",
    path: "/api/v1/usage/records",
    summary: "Ingest PSTN call records (Graph pstnCallLogRow); one debit per batch",
    tag: "usage",
    access: { kind: "permission", permission: "billing" },
    money: true,
    body: input.recordsBody,
    answers: { 200: answers.ingestResult },
    refusals: { 409: "the Idempotency-Key was used with another body, or is in use right now" },
  },
  {
    method: "get",
    path: "/api/v1/usage/records",
    summary: "Rated call records of a time range",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    query: input.usageRecordsQuery,
    answers: { 200: answers.ratedCalls },
  },
  {
    method: "get",
    path: "/api/v1/usage/summary",
    summary: "Usage totals by day, user, destination or call type",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    query: input.summaryQuery,
    answers: { 200: answers.usageSummary },
  },
  {
    method: "get",
    path: "/api/v1/usage/export",
    summary: "The PSTN usage report as a file (Content-Disposition attachment)",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    query: input.exportQuery,
    answers: { 200: { mediaType: "text/csv; application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description: "CSV (UTF-8 BOM, CRLF) or XLSX, as `format` asks" } },
  },
  {
    method: "get",
    path: "/api/v1/budgets",
    summary: "Monthly budgets per department, with this month's spend",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.budgets },
  },
  {
    method: "put",
    path: "/api/v1/budgets",
    summary: "Set the monthly budgets per department (audited): told at 80 % and 100 %, calls refused at 100 % unless warn only",
    tag: "usage",
    access: { kind: "permission", permission: "billing" },
    body: input.budgetsBody,
    answers: { 200: answers.budgets },
    refusals: { 409: "contention: changed by someone else meanwhile" },
  },
  { method: "get", path: "/api/v1/guard", summary: "The toll-fraud guard", tag: "guard", access: { kind: "permission", permission: "read" }, answers: { 200: answers.guard } },
  {
    method: "put",
    path: "/api/v1/guard",
    summary: "Change the calling policy (audited); the daily cap per user is a money setting, billing roles only",
    tag: "guard",
    access: { kind: "permission", permission: "guard" },
    body: input.guardBody,
    answers: { 200: answers.guard },
    refusals: { 422: "invalid_cap", 403: "a voice admin changed the daily cap per user (a money setting)" },
  },
  {
    method: "get",
    path: "/api/v1/groups",
    summary: "Entra groups (for exceptions of the call guard)",
    tag: "guard",
    access: { kind: "permission", permission: "guard" },
    answers: { 200: answers.groups },
  },
  {
    method: "post",
    path: "/api/v1/calls/authorize",
    summary: "May this call start? (no_license, insufficient_balance, destination_blocked, domestic_only, user_cap_reached)",
    tag: "usage",
    access: { kind: "permission", permission: "read" },
    body: input.authorizeBody,
    answers: { 200: answers.authorizeAnswer },
    refusals: { 404: "not_found: the user is not in the caller's directory" },
  },
  {
    method: "get",
    path: "/api/v1/notification-settings",
    summary: "Who is told of which kind, and the admin channels",
    tag: "notifications",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.notificationSettings },
  },
  {
    method: "put",
    path: "/api/v1/notification-settings",
    summary: "Change who is told (audited)",
    tag: "notifications",
    // notifications/settings.ts `canManageNotifications`: billing roles and the Teams administrators.
    access: { kind: "roles", roles: [...BILLING_ROLES, DirectoryRole.TeamsAdministrator, DirectoryRole.TeamsCommunicationsAdministrator], rule: "canManageNotifications" },
    body: input.notificationSettingsBody,
    answers: { 200: answers.notificationSettings },
    refusals: { 409: "contention: changed by someone else meanwhile" },
  },
  {
    method: "post",
    path: "/api/messages",
    summary: "Bot Framework activities from Teams",
    tag: "bot",
    access: { kind: "public", why: "the Bot Framework SDK verifies the Bot Framework token (with BOT_ID); without a registration only this machine may post" },
    body: z.looseObject({ type: z.string() }).meta({ description: "a Bot Framework Activity" }),
    answers: { 200: { mediaType: "application/json", description: "handled: no body, or an invoke's answer (the Bot Framework's InvokeResponse body)", bodyOptional: true } },
    refusals: {
      401: "unauthenticated_activity: no valid Bot Framework token, or (without BOT_ID) not from this machine",
      400: "invalid_activity: not a Bot Framework activity (no from, recipient, conversation or serviceUrl; an invoke without name or value)",
    },
  },
];

/** Routes of AUTH_MODE=dev only (the local world mounts them, local/http/dev.ts, with dev sign-in); listed under the `dev` tag. */
export const DEV_ROUTES: readonly RouteContract[] = [
  {
    method: "post",
    path: "/api/dev/token",
    summary: "A dev token for a demo user",
    tag: "dev",
    access: { kind: "public", why: "dev sign-in (AUTH_MODE=dev, APP_ENV=local only)" },
    body: input.devTokenBody,
    answers: { 200: answers.devToken },
    refusals: { 404: "no demo user with this upn" },
  },
  {
    method: "post",
    path: "/api/dev/debit",
    summary: "Simulated usage: a usage debit of the caller's tenant",
    tag: "dev",
    access: { kind: "permission", permission: "billing" },
    money: true,
    body: input.devDebitBody,
    answers: { 201: answers.fundsAdded },
    refusals: { 409: "the Idempotency-Key was used with another body, or is in use right now" },
  },
  {
    method: "get",
    path: "/api/dev/bot-messages",
    summary: "Cards the local Bot Connector received for the caller's tenant",
    tag: "dev",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.botMessages },
  },
  {
    method: "get",
    path: "/api/dev/graph-outbox",
    summary: "E-mails and activity feed items the local Graph received for the caller's tenant",
    tag: "dev",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.graphOutbox },
  },
  {
    method: "post",
    path: "/api/dev/jobs/run",
    summary: "Run the background jobs now",
    tag: "dev",
    access: { kind: "permission", permission: "read" },
    answers: { 200: answers.jobsReport },
  },
  {
    method: "post",
    path: "/api/dev/graph/poll",
    summary: "Run the Graph poller now for the caller's tenant",
    tag: "dev",
    access: { kind: "permission", permission: "read" },
    body: input.pollBody,
    answers: { 200: answers.pollResult },
  },
];

/** The routes a server mounts: the dev routes only with dev sign-in. */
export function routesOf(options: { dev: boolean }): readonly RouteContract[] {
  return options.dev ? [...ROUTES, ...DEV_ROUTES] : ROUTES;
}

export function rolesOf(access: Access): readonly string[] {
  if (access.kind === "permission") return PERMISSION_ROLES[access.permission];
  if (access.kind === "roles") return access.roles;
  return [];
}

function accessWords(access: Access): string {
  switch (access.kind) {
    case "public":
      return `No sign-in: ${access.why}.`;
    case "signed-in":
      return "Any signed-in user of a known tenant.";
    default:
      return `Roles: ${rolesOf(access)
        .map((id) => roleName(id))
        .join(", ")}. Anyone else: 403.`;
  }
}

const problemContent = { "application/problem+json": { schema: answers.problem } };
const retryAfter = { "Retry-After": { description: "seconds to wait before sending again", schema: { type: "integer" as const, minimum: 0 } } };

/**
 * What any route may be refused with before it runs: the server's outer edge (http/edges.ts), the
 * body reader (http/body.ts) and restify's router come first for every request, whatever its method or route.
 */
const EDGE_REFUSALS: Record<number, string> = {
  400: "a malformed address (a broken %-escape, a control character, a backslash, a '..' segment), a body that is not valid JSON (invalid_json), a compressed body that does not decompress (corrupt_body), or one nested more than 32 levels; a request line HTTP does not allow (raw non-ASCII) is answered 400 by Node's own parser, without a body",
  405: "an address whose last segment the router cannot read as this route's (an escape that decodes to a broken %-escape): the method is not allowed there",
  413: "the body is larger than 5 MiB after decompression (body_too_large); a declared length past 64 MiB is answered at once with Connection: close",
  415: "a body that is not JSON (unsupported_media_type), or a Content-Encoding or charset the server does not decode",
};

function refusalsOf(route: RouteContract): ZodOpenApiResponsesObject {
  const signedIn = route.access.kind === "signed-in" || route.access.kind === "permission" || route.access.kind === "roles";
  const write = route.method !== "get" && route.path.startsWith("/api/v1/");
  const reasons: Record<number, string> = { ...EDGE_REFUSALS };
  if (route.body || route.query || route.params || route.money)
    reasons[400] = "invalid input (`errors` names each field)" + (route.money ? ", a missing or malformed Idempotency-Key" : "") + `; ${EDGE_REFUSALS[400]}`;
  if (signedIn) reasons[401] = "no token, or a bad or expired one";
  if (route.access.kind === "permission" || route.access.kind === "roles") reasons[403] = "the caller's roles do not allow this";
  Object.assign(reasons, route.refusals);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, description] of Object.entries(reasons)) responses[status as `${4}${string}`] = { description, content: problemContent };
  // Answered by Node's HTTP parser before restify sees the request: no problem+json there.
  responses["431"] = { description: "the request line and headers are over 16 KiB (Node's limit); answered by Node itself, without a body" };
  if (signedIn || write) {
    responses["429"] = {
      description: [signedIn && "the tenant's or the user's request budget is spent (rate_limited)", write && "this instance has no room for another write now"]
        .filter(Boolean)
        .join("; "),
      headers: retryAfter,
      content: problemContent,
    };
  }
  return responses;
}

function operationOf(route: RouteContract): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, shape] of Object.entries(route.answers)) {
    const key = status as `${2}${string}`;
    if (shape === null) responses[key] = { description: "done, no body" };
    else if (shape instanceof z.ZodType) {
      responses[key] = {
        description: route.money ? "done (a replay of the same key and body answers the same)" : "done",
        ...(route.money
          ? {
              headers: {
                "Idempotent-Replayed": {
                  description: "true when this is the stored answer of an earlier request with this key",
                  schema: { type: "string" as const, enum: ["true", "false"] },
                },
              },
            }
          : {}),
        content: { "application/json": { schema: shape } },
      };
    } else if (shape.bodyOptional) {
      // OpenAPI cannot say "a body, or none" of one status: the extension says it, for the tests.
      responses[key] = { description: shape.description, content: { [shape.mediaType]: { schema: {} } }, "x-body-optional": true };
    } else
      responses[key] = {
        description: shape.description,
        content: Object.fromEntries(shape.mediaType.split("; ").map((type) => [type, { schema: { type: "string" as const, contentEncoding: "binary" } }])),
      };
  }
  const roles = rolesOf(route.access);
  return {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
    summary: route.summary,
    description: accessWords(route.access),
    tags: [route.tag],
    security: route.access.kind === "public" ? [] : [{ bearer: [] }],
    requestParams: {
      ...(route.query ? { query: route.query } : {}),
      ...(route.params ? { path: z.object(route.params) } : {}),
      ...(route.money
        ? {
            header: z.object({
              "Idempotency-Key": z
                .string()
                .min(1)
                .max(255)
                .regex(/^[\x21-\x7e]+$/)
                .meta({ description: "1–255 printable characters; the same key and body replays the first answer, another body is 409" }),
            }),
          }
        : {}),
    },
    ...(route.body ? { requestBody: { required: !route.body.safeParse(undefined).success, content: { "application/json": { schema: route.body } } } } : {}),
    responses: { ...responses, ...refusalsOf(route) },
    "x-access": route.access.kind,
    "x-roles": roles.map((id) => roleName(id)),
    "x-role-ids": roles,
    ...(route.access.kind === "permission" ? { "x-permission": route.access.permission } : {}),
    ...(route.money ? { "x-moves-money": true } : {}),
  };
}

/** The OpenAPI 3.1 document of a server (its dev routes only with dev sign-in). */
export function openApiDocument(options: { dev: boolean }): ReturnType<typeof createDocument> {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const route of routesOf(options)) (paths[route.path] ??= {})[route.method] = operationOf(route);
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Communications Credits for Microsoft Teams",
      version: "1.2",
      description:
        "Prepaid PSTN calling credits. Money is integer micros with an ISO 4217 currency; errors are application/problem+json; lists are `{ items, next }`. See shared/API.md.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(routesOf(options).map((r) => r.tag))].map((name) => ({
      name,
      ...(name === "dev" ? { description: "AUTH_MODE=dev only (the local world); never mounted in production" } : {}),
    })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Entra ID (Teams SSO) token; with AUTH_MODE=dev, a token of POST /api/dev/token" },
      },
    },
    paths,
  });
}
