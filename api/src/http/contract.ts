/**
 * The API's contract as data: every route with who may call it, what it reads (body, query, path,
 * headers) and what it answers, built from the very zod schemas the routes parse with
 * (validation.ts) and the answer schemas (answers.ts); openapi-document.ts renders it as OpenAPI 3.1
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
import * as answers from "./answers.js";
import { fundsAdded } from "./answers-account.js";
import { pollResult } from "./answers-usage.js";
import { ACCOUNT_ROUTES } from "./contract-account-routes.js";
import { USAGE_ROUTES } from "./contract-usage-routes.js";
import type { RouteContract } from "./route-contract.js";
import * as input from "./validation.js";

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
  ...ACCOUNT_ROUTES,
  ...USAGE_ROUTES,
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
    answers: { 201: fundsAdded },
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
    answers: { 200: pollResult },
  },
];

/** The routes a server mounts: the dev routes only with dev sign-in. */
export function routesOf(options: { dev: boolean }): readonly RouteContract[] {
  return options.dev ? [...ROUTES, ...DEV_ROUTES] : ROUTES;
}
