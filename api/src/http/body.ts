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
import { Refusal, type RefusalStatus } from "../shared/refusal.js";

/** A full usage batch (1,000 call records) with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const LIMIT_TEXT = "5 MiB";
/** Past this, a declared body is refused without being read, and its connection closed. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

const JSON_TYPES = ["application/json", "application/*+json"];
const parseJson = bodyParser.json({ limit: MAX_BODY_BYTES, type: JSON_TYPES, strict: false });

/** body-parser's error types, as problems a person can act on. */
const REFUSALS: Record<string, { status: RefusalStatus; code: string; message: string; facts?: Record<string, string | number> }> = {
  "entity.too.large": { status: 413, code: "body_too_large", message: `The body is larger than ${LIMIT_TEXT}, the most this API reads (after decompression)`, facts: { limitMib: MAX_BODY_BYTES / 1024 / 1024 } },
  "entity.parse.failed": { status: 400, code: "invalid_json", message: "The body is not valid JSON" },
  "encoding.unsupported": { status: 415, code: "unsupported_encoding", message: "The body's Content-Encoding is not supported: send it plain, or as gzip, deflate or br" },
  "charset.unsupported": { status: 415, code: "unsupported_charset", message: "The body's charset is not supported: send UTF-8" },
  "request.size.invalid": { status: 400, code: "invalid_body", message: "The body is shorter or longer than its Content-Length says" },
  "request.aborted": { status: 400, code: "invalid_body", message: "The body ended before it was complete", facts: { why: "aborted" } },
};
/** Decoder errors (zlib's) carry no type: the body is not what its Content-Encoding says. */
const CORRUPT: { status: RefusalStatus; code: string; message: string; facts?: Record<string, string | number> } = { status: 400, code: "corrupt_body", message: "The body could not be decompressed: it is not what its Content-Encoding says" };

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

export function readJsonBody(req: Request, res: Response, next: Next): void {
  if (!hasBody(req)) return next();
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > DRAIN_MAX_BYTES) {
    res.setHeader("connection", "close");
    const { status, code, message, facts } = REFUSALS["entity.too.large"];
    return next(new Refusal(status, code, message, [], facts));
  }
  if (!isJson(req)) {
    const refusal = new Refusal(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json");
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
    const { status, code, message, facts } = known ?? CORRUPT;
    next(new Refusal(status, code, message, [], facts));
  });
}

function isJson(req: Request): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}
