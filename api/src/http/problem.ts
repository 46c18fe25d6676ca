/** application/problem+json answers (RFC 9457) for every refusal and failure, in the caller's language (problem-words.ts, field-words.ts). */
import { ZodError } from "zod";
import type { ProblemDetails } from "@cc/common";
import { Refusal } from "../shared/refusal.js";
import { detailFor, titleFor } from "./problem-words.js";
import { fieldProblems, fieldsSentence, refusedFields, type FieldProblem } from "./field-words.js";

/**
 * `locale`: the caller's Accept-Language header or a language tag ("fr-FR", the pseudo-locale "en-XA").
 * `input`: what the request's schemas parsed (its body, else its query), so a field that was not sent is said to be missing.
 */
export function problemFor(error: unknown, locale: string = "en", input?: unknown): ProblemDetails & { retryAfter?: number } {
  if (error instanceof Refusal) {
    const fields = refusedFields(error.errors, locale, (e) => e.message);
    const facts = error.code === "invalid_input" || error.code === "invalid_activity" ? { ...fieldFacts(locale, fields), ...error.facts } : error.facts;
    const detail = detailFor(error.code, error.message, facts, locale);
    return {
      type: `/problems/${error.code}`,
      title: titleFor(error.status, locale),
      status: error.status,
      detail,
      code: error.code,
      // A field refused with the refusal's own (English) text is said with the detail, in the caller's language.
      errors: fields.map((f, i) => ({ path: f.path, message: error.errors[i].say || error.errors[i].message !== error.message ? f.message : detail })),
    };
  }
  if (error instanceof ZodError) {
    const errors = fieldProblems(error, input, locale);
    return {
      type: "/problems/invalid_input",
      title: titleFor(400, locale),
      status: 400,
      detail: detailFor("invalid_input", "", fieldFacts(locale, errors), locale),
      code: "invalid_input",
      errors,
    };
  }
  // restify's own errors (unparseable JSON, unknown route, wrong method) carry a 4xx statusCode.
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = status === 404 ? "not_found" : status === 405 ? "method_not_allowed" : "invalid_input";
    return {
      type: `/problems/${code}`,
      title: titleFor(status, locale),
      status,
      detail: detailFor(code, (error as Error).message, { what: "other", count: 1, fields: (error as Error).message }, locale),
      code,
      errors: [],
    };
  }
  return { type: "/problems/internal_error", title: titleFor(500, locale), status: 500, detail: detailFor("internal_error", "", {}, locale), code: "internal_error", errors: [] };
}

/** The fields a validation refused, as values of the sentence: each path with what is wrong with it. */
function fieldFacts(locale: string, errors: FieldProblem[]): { count: number; fields: string } {
  return { count: errors.length, fields: fieldsSentence(locale, errors) };
}
