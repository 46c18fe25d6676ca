/** The shape of one route in the API's contract (contract.ts lists them, openapi-document.ts renders them). */
import type { z } from "zod";
import { PERMISSION_ROLES, type Permission } from "@cc/common";

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

export function rolesOf(access: Access): readonly string[] {
  if (access.kind === "permission") return PERMISSION_ROLES[access.permission];
  if (access.kind === "roles") return access.roles;
  return [];
}
