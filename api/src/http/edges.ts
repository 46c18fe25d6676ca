/**
 * The server's outer edge: what every request passes before and around its route, so that no
 * input can stop the process or reach a 500.
 *
 * - `rejectBadPaths` (a `pre` handler, before routing and before any static file handler): a path
 *   that does not percent-decode, or decodes to a NUL or other control character, a backslash or a
 *   `..` segment, is answered 400. Such paths made the file handler throw outside any request.
 * - `catchHandlerThrows`: every handler registered on the server afterwards is wrapped so that a
 *   synchronous throw becomes `next(err)`; restify then answers it through the `restifyError`
 *   handler (problem+json, 500 for the unexpected, logged). No domains, no process-wide catch-all.
 * - `rejectDeepJson`: a JSON body nested deeper than MAX_JSON_DEPTH is 400 before any route walks it.
 */
import type { Next, Request, RequestHandler, Response, Server } from "restify";
import { Refusal } from "../shared/refusal.js";

/** Far deeper than any body of this API (a usage row is 3 levels). */
export const MAX_JSON_DEPTH = 32;

export function rejectBadPaths(req: Request, _res: Response, next: Next): void {
  const raw = (req.url ?? "/").split("?")[0];
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return next(new Refusal(400, "invalid_path", "The address is not valid: it has a broken %-escape", [], { why: "escape" }));
  }
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(path) || path.split("/").some((segment) => segment === "..")) {
    return next(new Refusal(400, "invalid_path", "The address is not valid: it has a control character, a backslash or a '..' segment", [], { why: "segment" }));
  }
  next();
}

/** Deepest nesting of a parsed JSON value, walked without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

export function rejectDeepJson(req: Request, _res: Response, next: Next): void {
  if (req.body !== null && typeof req.body === "object" && jsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return next(new Refusal(400, "too_deep", `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`, [], { maximum: MAX_JSON_DEPTH }));
  }
  next();
}

const REGISTRARS = ["pre", "use", "get", "head", "post", "put", "patch", "del", "opts"] as const;

/** Wrap every handler registered from now on so that a synchronous throw answers instead of crashing. */
export function catchHandlerThrows(server: Server): void {
  const target = server as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of REGISTRARS) {
    const register = target[name].bind(server);
    target[name] = (...args: unknown[]) => register(...args.map((a) => (Array.isArray(a) ? a.map(guard) : guard(a))));
  }
}

function guard(candidate: unknown): unknown {
  if (typeof candidate !== "function") return candidate; // a path or route options
  const handler = candidate as RequestHandler;
  // restify tells async handlers (req, res) from callback ones (req, res, next) by their kind and arity.
  if (handler.constructor.name === "AsyncFunction") {
    return async function guarded(req: Request, res: Response) {
      return (handler as unknown as (req: Request, res: Response) => Promise<unknown>)(req, res);
    };
  }
  return function guarded(req: Request, res: Response, next: Next) {
    try {
      return handler(req, res, next);
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
