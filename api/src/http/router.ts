/**
 * How a route is written: parse, authorise, call one service, answer. Every failure becomes
 * problem+json here, so no route formats an error itself.
 */
import type { Request, Response, Server } from "restify";
import type { Logger } from "pino";
import { hasPermission, t, type Permission } from "@cc/common";
import { Refusal, refuse } from "../shared/refusal.js";
import type { Principal, TokenVerifier } from "../auth/tokens.js";
import type { Directory } from "../directory/directory.js";
import { problemFor } from "./problem.js";
import { RateLimited, type RateLimits } from "./rate-limit.js";

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A file or stream: written by the route itself to `res` (exports). */
  stream?: (res: Response) => Promise<void>;
}

export type Handler = (req: Request) => Promise<Answer>;

export interface Caller extends Principal {
  roles: string[];
}

export class Authorizer {
  /** `directory` is read on every request whose token has no roles: GraphDirectory caches it per tenant (30 s). */
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly directory: Directory,
    private readonly limits?: RateLimits,
  ) {}

  /**
   * The signed-in caller, with directory roles from the token or, when it carries none, from the
   * directory. Each call spends one request of the caller's and its tenant's budgets (429 when spent).
   */
  async caller(req: Request): Promise<Caller> {
    const token = bearerOf(req);
    if (!token) throw new Refusal(401, "missing_token", "Send Authorization: Bearer <token>");
    const principal = await this.verifier.verify(token);
    await this.limits?.take(principal.tenantId, principal.userId);
    if (principal.roles) return { ...principal, roles: principal.roles };
    const user = (await this.directory.users(principal.tenantId)).find((u) => u.id === principal.userId);
    return { ...principal, roles: user?.roles ?? [] };
  }

  /** The tenant of a valid token, or undefined (no token, or one that does not verify); spends no budget. */
  async tenantOf(req: Request): Promise<string | undefined> {
    const token = bearerOf(req);
    return token
      ? this.verifier.verify(token).then(
          (principal) => principal.tenantId,
          () => undefined,
        )
      : undefined;
  }

  async require(req: Request, permission: Permission): Promise<Caller> {
    const caller = await this.caller(req);
    if (!hasPermission(caller.roles, permission)) throw refuse.forbidden(t("en", "problems.forbidden", { permission }), permission);
    return caller;
  }
}

function bearerOf(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
}

export function answer(logger: Logger, handler: Handler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const result = await handler(req);
      if (result.stream) return await result.stream(res);
      const body = result.body === undefined ? "" : JSON.stringify(result.body);
      res.sendRaw(result.status, body, { ...(body ? { "content-type": "application/json; charset=utf-8" } : {}), ...result.headers });
    } catch (error) {
      sendProblem(logger, req, res, error);
    }
  };
}

export function sendProblem(logger: Logger, req: Request, res: Response, error: unknown): void {
  // What the route's schemas parsed (its body, else its query): a field it lacks is said to be missing.
  const problem = problemFor(error, String(req.headers["accept-language"] ?? ""), req.body ?? req.query);
  if (problem.status >= 500) logger.error({ err: error, method: req.method, path: req.getPath() }, "request failed");
  if (res.headersSent) return void res.end();
  const retryAfter: Record<string, string> = error instanceof RateLimited ? { "retry-after": String(error.retryAfterSeconds) } : {};
  res.sendRaw(problem.status, JSON.stringify(problem), { "content-type": "application/problem+json; charset=utf-8", ...retryAfter });
}

export type Mount = (server: Server) => void;

/** Who acted, as use cases record it (audit, ledger): the caller's id and upn. */
export function actorOf(caller: { userId: string; upn: string }) {
  return { id: caller.userId, upn: caller.upn };
}

/** The common route: authorise for `permission`, then `status` (200) with what one use case answers for the caller (parsing the request's input after the roles, as every route does). */
export function answerOk(logger: Logger, auth: Authorizer, permission: Permission, call: (caller: Caller, req: Request) => Promise<unknown>, status = 200) {
  return answer(logger, async (req) => ({ status, body: await call(await auth.require(req, permission), req) }));
}

/** A whole list in the API's list shape (API.md "Lists"): no further page. */
export const wholeList = <T>(items: T[]) => ({ items, next: null });
