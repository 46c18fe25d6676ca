/**
 * Reading a request's body, bounded whatever arrives. restify's own body reader pipes a
 * `Content-Encoding: gzip` body into a gunzip stream with no error listener, so one request with a
 * corrupt body ended the process, and it bounded the compressed bytes only (a small bomb inflated
 * without limit). Bodies are read here by body-parser (Express's maintained reader: raw-body's limit
 * applies to the decoded bytes, gzip/deflate/br decoders are its own and their errors are answers).
 *
 * - A body over the limit is 413 once the rest was read off, so the client, still sending, gets its
 *   answer and the connection stays usable, as HTTP/1.1 wants (a client that is still writing when
 *   the server closes sees a reset, not the 413). Only a declared Content-Length past
 *   DRAIN_MAX_BYTES is answered at once with `Connection: close` (RFC 9110 §15.5.14): reading that
 *   much only to throw it away would be the attack.
 * - A corrupt compressed body, or JSON that does not parse, is 400; an encoding or charset we do
 *   not decode is 415; a body that is not JSON at all is 415 (read off the same way).
 */
import bodyParser from "body-parser";
import type { Next, Request, Response } from "restify";
import { t, type MessageId } from "@cc/common";
import { Refusal, type RefusalStatus } from "../shared/refusal.js";

/** A full usage batch (1,000 call records) with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Past this, a declared body is refused without being read, and its connection closed. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

const JSON_TYPES = ["application/json", "application/*+json"];
const parseJson = bodyParser.json({ limit: MAX_BODY_BYTES, type: JSON_TYPES, strict: false });

/** body-parser's error types, as problems a person can act on (their words: the catalog's problems.<code>). */
const REFUSALS: Record<string, { status: RefusalStatus; code: string; facts?: Record<string, string | number> }> = {
  "entity.too.large": { status: 413, code: "body_too_large", facts: { limitMib: MAX_BODY_BYTES / 1024 / 1024 } },
  "entity.parse.failed": { status: 400, code: "invalid_json" },
  "encoding.unsupported": { status: 415, code: "unsupported_encoding" },
  "charset.unsupported": { status: 415, code: "unsupported_charset" },
  "request.size.invalid": { status: 400, code: "invalid_body" },
  "request.aborted": { status: 400, code: "invalid_body", facts: { why: "aborted" } },
};
/** Decoder errors (zlib's) carry no type: the body is not what its Content-Encoding says. */
const CORRUPT = { status: 400 as RefusalStatus, code: "corrupt_body" };

/** The refusal for one of the cases above (its English text for logs, from the catalog). */
function refusalOf({ status, code, facts = {} }: { status: RefusalStatus; code: string; facts?: Record<string, string | number> }): Refusal {
  return new Refusal(status, code, t("en", `problems.${code}` as MessageId, facts), [], facts);
}

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

export function readJsonBody(req: Request, res: Response, next: Next): void {
  if (!hasBody(req)) return next();
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > DRAIN_MAX_BYTES) {
    res.setHeader("connection", "close");
    return next(refusalOf(REFUSALS["entity.too.large"]));
  }
  if (!isJson(req)) {
    const refusal = refusalOf({ status: 415, code: "unsupported_media_type" });
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      next(refusal);
    };
    req.once("end", answer);
    req.once("error", answer);
    req.resume();
    return;
  }
  parseJson(req, res, (error?: unknown) => {
    if (!error) return next();
    const typeOf = (error as { type?: string }).type;
    const known = typeOf ? REFUSALS[typeOf] : undefined;
    next(refusalOf(known ?? CORRUPT));
  });
}

function isJson(req: Request): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}
