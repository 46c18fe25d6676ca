/** application/problem+json answers (RFC 9457) for every refusal and failure. */
import { ZodError } from "zod";
import type { ProblemDetails } from "@cc/common";
import { Refusal } from "../shared/refusal.js";

const TITLES: Record<number, string> = {
  400: "The request is not valid",
  401: "Sign-in is required",
  402: "The card was refused",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "The request is too large",
  415: "Unsupported media type",
  422: "The request was refused by a business rule",
  429: "Too many requests",
  500: "Something went wrong on our side",
};

export function problemFor(error: unknown): ProblemDetails & { retryAfter?: number } {
  if (error instanceof Refusal) {
    return {
      type: `/problems/${error.code}`,
      title: TITLES[error.status] ?? "Refused",
      status: error.status,
      detail: error.message,
      code: error.code,
      errors: error.errors,
    };
  }
  if (error instanceof ZodError) {
    const errors = error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
    return { type: "/problems/invalid_input", title: TITLES[400], status: 400, detail: errors.map((e) => `${e.path}: ${e.message}`).join("; "), code: "invalid_input", errors };
  }
  // restify's own errors (unparseable JSON, unknown route, wrong method) carry a 4xx statusCode.
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = status === 404 ? "not_found" : status === 405 ? "method_not_allowed" : "invalid_input";
    return { type: `/problems/${code}`, title: TITLES[status] ?? "Refused", status, detail: (error as Error).message, code, errors: [] };
  }
  return { type: "/problems/internal_error", title: TITLES[500], status: 500, detail: "The error was logged; nothing you sent was at fault", code: "internal_error", errors: [] };
}
