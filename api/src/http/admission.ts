/**
 * Load shedding for writes. Every POST, PUT, PATCH and DELETE under /api/v1 runs inside this
 * instance's admission gate (p-limit): at most `concurrent` at once, at most `queued` waiting.
 * A write that finds the queue full is answered 429 problem+json with Retry-After at once, before
 * its route runs, so it changes nothing and can be sent again with the same Idempotency-Key.
 * Without the gate, a flood of payments (each a card charge and several store writes) queues
 * without bound: every answer gets slower until clients time out, and a timed-out payment leaves
 * its payer unsure whether it happened.
 *
 * The gate is counted and decided synchronously (no timer turn between arrival and verdict), so a
 * busy instance still refuses at once. Reads are not gated: they are point reads, far cheaper than
 * a payment, and must stay fast under a flood of writes. The bot's activities (/api/messages) are
 * not gated either: Teams retries them.
 */
import pLimit from "p-limit";
import type { Next, Request, Response } from "restify";
import { RateLimited } from "./rate-limit.js";

export interface AdmissionSettings {
  /** Writes run at once on this instance. */
  concurrent: number;
  /** Writes waiting for a turn; one more is refused. */
  queued: number;
}

const GATED = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** What a refused write is told: by then some of the queue ahead of it is done. */
const RETRY_AFTER_SECONDS = 1;

export function admitWrites(settings: AdmissionSettings) {
  const gate = pLimit(settings.concurrent);
  return function admission(req: Request, res: Response, next: Next): void {
    if (!GATED.has(req.method ?? "") || !(req.url ?? "").startsWith("/api/v1/")) return next();
    if (gate.activeCount >= settings.concurrent && gate.pendingCount >= settings.queued) return next(new RateLimited(RETRY_AFTER_SECONDS, "service"));
    // The turn ends when the answer is sent, or at once if the client went away while it waited.
    const answered = new Promise<void>((done) => res.once("close", () => done()));
    void gate(() => {
      next();
      return answered;
    });
  };
}
