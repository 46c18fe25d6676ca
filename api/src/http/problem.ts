/** application/problem+json answers (RFC 9457) for every refusal and failure. */
import { ZodError } from "zod";
import type { ProblemDetails } from "@cc/common";
import { Refusal } from "../shared/refusal.js";
import { detailFor, titleFor, type Language } from "./problem-words.js";

export function problemFor(error: unknown, language: Language = "en"): ProblemDetails & { retryAfter?: number } {
  if (error instanceof Refusal) {
    return {
      type: `/problems/${error.code}`,
      title: titleFor(error.status, language),
      status: error.status,
      detail: detailFor(error.code, error.message, error.facts, language),
      code: error.code,
      errors: error.errors.map((e) => ({ ...e, message: e.message === error.message ? detailFor(error.code, error.message, error.facts, language) : e.message })),
    };
  }
  if (error instanceof ZodError) {
    const errors = error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
    return { type: "/problems/invalid_input", title: titleFor(400, language), status: 400, detail: errors.map((e) => `${e.path}: ${e.message}`).join("; "), code: "invalid_input", errors };
  }
  // restify's own errors (unparseable JSON, unknown route, wrong method) carry a 4xx statusCode.
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = status === 404 ? "not_found" : status === 405 ? "method_not_allowed" : "invalid_input";
    return { type: `/problems/${code}`, title: titleFor(status, language), status, detail: (error as Error).message, code, errors: [] };
  }
  return { type: "/problems/internal_error", title: titleFor(500, language), status: 500, detail: detailFor("internal_error", "The error was logged; nothing you sent was at fault", {}, language), code: "internal_error", errors: [] };
}
