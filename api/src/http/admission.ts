/**
 * Load shedding for writes, fair to every tenant. Every POST, PUT, PATCH and DELETE under /api/v1
 * runs inside two gates (p-limit each): first its tenant's (at most `perTenant` at once, at most
 * `perTenantQueued` waiting), then the instance's (at most `concurrent` at once, at most `queued`
 * waiting). A write that finds either queue full is answered 429 problem+json with Retry-After
 * before its route runs, so it changes nothing and can be sent again with the same
 * Idempotency-Key: at once when the instance is full, after OVER_SHARE_DELAY_MS when its tenant is
 * over its share. Without the gate, a flood of payments (each a card charge and several store
 * writes) queues without bound: every answer gets slower until clients time out, and a timed-out
 * payment leaves its payer unsure whether it happened.
 *
 * Inside its gate a tenant's writes start at most `perTenantPerSecond` a second, evenly spaced:
 * capping how many run at once was not enough, since two payments at a time still took most of the
 * instance's CPU and the quiet tenant's p99 rose 4x; spaced, its p99 stays as it was.
 *
 * Why two gates: with one queue for the instance, one tenant's flood filled it and every other
 * tenant's writes were refused (measured: a quiet tenant kept 2% of its writes while another sent 96
 * at once). A tenant now holds at most `perTenant` of the instance's places, so the others find room
 * and keep their usual latency. The tenant is the one of the verified token (verifications are
 * cached by tokens.ts, so the route's own check costs nothing more); a request without a valid token
 * is queued as one more "tenant", so forged tokens cannot eat a real tenant's share.
 *
 * Reads are not gated: they are point reads, far cheaper than a payment, and must stay fast under a
 * flood of writes. The bot's activities (/api/messages) are not gated either: Teams retries them.
 */
import pLimit, { type LimitFunction } from "p-limit";
import type { Next, Request, Response } from "restify";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { RateLimited } from "./rate-limit.js";
import { waitForPoint } from "../shared/wait-for-point.js";

export interface AdmissionSettings {
  /** Writes run at once on this instance. */
  concurrent: number;
  /** Writes waiting for a turn; one more is refused. */
  queued: number;
  /** Writes one tenant runs at once on this instance (at most `concurrent`). */
  perTenant: number;
  /** Writes one tenant may have waiting for its own gate (apart from the instance's queue). */
  perTenantQueued: number;
  /** Writes per second one tenant starts on this instance, evenly spaced (its share of the instance's work). */
  perTenantPerSecond: number;
}

const GATED = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** What a refused write is told: by then some of the queue ahead of it is done. */
const RETRY_AFTER_SECONDS = 1;
/** How long a tenant over its share waits for its refusal (measured: 96 in flight, refused at once, were 4,000 requests a second). */
const OVER_SHARE_DELAY_MS = 250;
/** The queue of requests whose token did not verify (they are refused by their route at once). */
const NO_TENANT = "";

const full = (gate: LimitFunction, running: number, waiting: number) => gate.activeCount >= running && gate.pendingCount >= waiting;

export function admitWrites(settings: AdmissionSettings, tenantOf: (req: Request) => Promise<string | undefined>) {
  const instance = pLimit(settings.concurrent);
  const perTenant = Math.min(settings.perTenant, settings.concurrent);
  const { perTenantQueued } = settings;
  /** Only tenants with writes in flight have a gate: an idle tenant's is dropped. */
  const tenants = new Map<string, LimitFunction>();
  // One write per 1/perTenantPerSecond s per tenant: a tenant's flood is its own queue's wait, not everyone's CPU.
  const spacing = new RateLimiterMemory({ keyPrefix: "write-spacing", points: 1, duration: 1 / settings.perTenantPerSecond });

  const admit = (tenantId: string, res: Response, next: Next): void => {
    let tenant = tenants.get(tenantId);
    if (!tenant) tenants.set(tenantId, (tenant = pLimit(perTenant)));
    // Decided synchronously from here on: the verdict needs no timer turn.
    if (full(tenant, perTenant, perTenantQueued)) {
      // Over its own share: the refusal waits a moment, so a client that ignores Retry-After and
      // sends again at once cannot turn refusals into a flood of work that slows every other tenant.
      setTimeout(() => next(new RateLimited(RETRY_AFTER_SECONDS, "service")), OVER_SHARE_DELAY_MS);
      return;
    }
    if (full(instance, settings.concurrent, settings.queued)) return next(new RateLimited(RETRY_AFTER_SECONDS, "service"));
    // The turn ends when the answer is sent, or at once if the client went away while it waited.
    const answered = new Promise<void>((done) => res.once("close", () => done()));
    const own = tenant;
    void own(async () => {
      await waitForPoint(spacing, tenantId);
      return instance(() => {
        next();
        return answered;
      });
    }).finally(() => {
      if (own.activeCount === 0 && own.pendingCount === 0 && tenants.get(tenantId) === own) tenants.delete(tenantId);
    });
  };

  // restify wants (req, res, next) handlers to be plain functions: the verdict follows the token's check.
  return function admission(req: Request, res: Response, next: Next): void {
    if (!GATED.has(req.method ?? "") || !(req.url ?? "").startsWith("/api/v1/")) return next();
    tenantOf(req).then(
      (tenantId) => admit(tenantId ?? NO_TENANT, res, next),
      () => admit(NO_TENANT, res, next),
    );
  };
}
