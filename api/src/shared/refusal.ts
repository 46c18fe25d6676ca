/**
 * A refusal the caller can act on. Routes turn it into application/problem+json; nothing was
 * changed when one is thrown before a write.
 */
import { t, type MessageId, type MessageValues } from "@cc/common";

export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 402 | 413 | 415 | 422 | 429 | 503;

export class Refusal extends Error {
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
    readonly errors: RefusedField[] = [],
    /** The facts behind the words (amounts in micros with their currency, dates), for another language's sentence. */
    readonly facts: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "Refusal";
  }
}

/** The name of a field's words in the catalog: problems.field.say.<name>. */
export type FieldSay = Extract<MessageId, `problems.field.say.${string}`> extends `problems.field.say.${infer K}` ? K : never;

/** A refused field: its path, the English words (for logs), and which words of the catalog say it to the caller. */
export interface RefusedField {
  path: string;
  message: string;
  say?: { key: FieldSay; values: MessageValues };
}

export const refuse = {
  /** A field the use case refused: `say` names its words in the catalog (problems.field.say.<say>), said in the caller's language. */
  invalid: (path: string, say: FieldSay, values: MessageValues = {}) => {
    const message = t("en", `problems.field.say.${say}`, values);
    return new Refusal(400, "invalid_input", `${path}: ${message}`, [{ path, message, say: { key: say, values } }]);
  },
  /** `thing` names what was not found for the catalog's words (problems.not_found). */
  notFound: (what: string, thing = "other") => new Refusal(404, "not_found", `${what} was not found`, [], { what: thing }),
  /** `permission` picks the catalog's words (problems.forbidden). */
  forbidden: (message = "Your role does not allow this", permission = "other") => new Refusal(403, "forbidden", message, [], { permission }),
  conflict: (code: string, message: string, facts: Record<string, string | number> = {}) => new Refusal(409, code, message, [], facts),
  rule: (code: string, message: string, path?: string, facts: Record<string, string | number> = {}) => new Refusal(422, code, message, path ? [{ path, message }] : [], facts),
  card: (code: string, message: string, facts: Record<string, string | number> = {}) => new Refusal(402, code, message, [], facts),
};
