/**
 * What is wrong with each field of a refused request, in the caller's language: zod's issue codes
 * (missing, wrong type, too small or large with the limit, not one of the allowed values, not in
 * the expected form, unknown fields) become messages of the catalog (problems.field.*), never
 * zod's own English. A schema that wants more precise words than its issue code names a message
 * of problems.field.say.* as its error (`says("userId")`, validation.ts), and a custom issue may
 * carry the message's values as its params. Money fields (`…Micros`) say their limits as amounts,
 * to the cent, in the account's currency when it is known, and without a number when it is not.
 */
import { ZodError, type core } from "zod";
import { formatAmount, messagesFor, t, type MessageId, type MessageValues } from "@cc/common";
import type { FieldSay, RefusedField } from "../shared/refusal.js";

/** One refused field: its path (a machine pointer, as sent) and what is wrong, in words. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** What a field's words are made of: a message id and its values, before any language. */
export interface FieldWords {
  id: MessageId;
  values: MessageValues;
}

/** The error of a zod check that says `problems.field.say.<key>` (validation.ts): a message id, not words. */
export const says = (key: FieldSay) => ({ error: `say:${key}` });

const ROOT = "(body)";
const TYPES = new Set(["number", "int", "string", "boolean", "array", "object", "null"]);
const isMoney = (path: PropertyKey[]) => typeof path.at(-1) === "string" && String(path.at(-1)).endsWith("Micros");
/** zod's limit for an integer outside the safe range: said as "too large", not as a 16-digit number. */
const SAFE_LIMIT = (n: number) => Math.abs(n) >= Number.MAX_SAFE_INTEGER;

/** The value at a zod path in what was parsed (undefined: the field was not sent). */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The catalog message of one zod issue, given what was parsed (values still facts: limits as numbers, amounts in micros). */
export function wordsOfIssue(issue: core.$ZodIssue, input: unknown): FieldWords {
  const said = /^say:(\w+)$/.exec(issue.message)?.[1];
  if (said && `problems.field.say.${said}` in messagesFor("en"))
    return { id: `problems.field.say.${said}` as MessageId, values: { ...((issue as { params?: MessageValues }).params ?? {}) } };
  const money = isMoney(issue.path);
  switch (issue.code) {
    case "invalid_type":
      // zod's issue does not keep the input: an absent field is one the parsed value does not hold.
      if (valueAt(input, issue.path) === undefined) return { id: "problems.field.missing", values: {} };
      return { id: "problems.field.type", values: { expected: money && issue.expected === "int" ? "micros" : TYPES.has(issue.expected) ? issue.expected : "other" } };
    case "too_small":
    case "too_big": {
      const limit = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const origin = money && issue.origin !== "string" && issue.origin !== "array" ? "money" : issue.origin === "int" ? "number" : issue.origin;
      const kind = ["string", "array", "number", "money"].includes(origin) ? origin : "other";
      if (SAFE_LIMIT(limit)) return { id: "problems.field.tooLarge", values: {} };
      return {
        id: issue.code === "too_small" ? "problems.field.tooSmall" : "problems.field.tooBig",
        values: { origin: kind, limit, limitMicros: limit, inclusive: issue.inclusive === false ? "no" : "yes", zero: limit === 0 ? "yes" : "no" },
      };
    }
    case "not_multiple_of":
      return { id: "problems.field.multipleOf", values: { divisor: Number(issue.divisor) } };
    case "invalid_value":
      return { id: "problems.field.oneOf", values: { values: issue.values.map(String).join(", ") } };
    case "invalid_format":
      return { id: "problems.field.format", values: { format: ["datetime", "date", "email", "url", "uuid"].includes(issue.format) ? issue.format : "other" } };
    case "unrecognized_keys":
      return { id: "problems.field.unknownKeys", values: { count: issue.keys.length, keys: issue.keys.join(", ") } };
    case "invalid_union":
      return { id: "problems.field.union", values: {} };
    default:
      return { id: "problems.field.invalid", values: {} };
  }
}

/** The words of one field's problem in a language; money limits in `currency` (when known). */
export function sayField(locale: string, words: FieldWords, currency?: string): string {
  const values: MessageValues = { ...words.values };
  if (values.origin === "money") {
    if (values.zero === "no" && currency) values.limit = formatAmount(locale, Number(values.limitMicros), currency);
    else if (values.zero === "no") return t(locale, "problems.field.notValidAmount");
  }
  return t(locale, words.id, values);
}

/** Each refused field of a zod error over `input` (what was parsed: the body, or the query), in the caller's language. */
export function fieldProblems(error: ZodError, input: unknown, locale: string, currency?: string): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || ROOT, message: sayField(locale, wordsOfIssue(issue, input), currency) }));
}

/** The fields a use case refused (refuse.invalid), in the caller's language; a field without catalog words keeps `fallback` or its own text. */
export function refusedFields(errors: RefusedField[], locale: string, fallback: (e: RefusedField) => string): FieldProblem[] {
  return errors.map((e) => ({ path: e.path, message: e.say ? t(locale, `problems.field.say.${e.say.key}`, e.say.values) : fallback(e) }));
}

/** The fields of a refused request, one sentence: "path: what is wrong; …" (the path as sent, the words from the catalog). */
export function fieldsSentence(locale: string, problems: FieldProblem[]): string {
  return problems.map((p) => t(locale, "problems.field.entry", { path: p.path === ROOT ? t(locale, "problems.field.root") : p.path, problem: p.message })).join("; ");
}
