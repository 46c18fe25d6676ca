/**
 * The contract rendered as an OpenAPI 3.1 document (GET /api/v1/openapi.json) with zod-openapi: each
 * route's operation, its access in words, the refusals every route of its kind has.
 */
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { roleName } from "@cc/common";
import * as answers from "./answers.js";
import { routesOf } from "./contract.js";
import { rolesOf, type Access, type RouteContract } from "./route-contract.js";

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
