/**
 * Request budgets per tenant and per user (rate-limiter-flexible): a sustained rate per second
 * plus a burst allowance, so one tenant's flood cannot slow another tenant down. A spent budget is
 * 429 problem+json with Retry-After.
 *
 * The counters live in this instance's memory, so N instances allow N times the budget. For many
 * instances, the same limiters have store-backed twins (RateLimiterRedis, or a Cosmos container
 * through RateLimiterStoreAbstract) that share one budget; swap them in here.
 */
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { t } from "@cc/common";
import { Refusal } from "../shared/refusal.js";

export interface RateLimitSettings {
  tenantPerSecond: number;
  tenantBurst: number;
  userPerSecond: number;
  userBurst: number;
}

/** The seconds of the burst window: the burst allowance refills over this time. */
const BURST_WINDOW_SECONDS = 10;

/** Whose budget is spent: the organisation's, the user's, or this instance's room for writes (http/admission.ts). */
export type Spent = "organisation" | "user" | "service";

export class RateLimited extends Refusal {
  constructor(
    readonly retryAfterSeconds: number,
    who: Spent,
  ) {
    // The words are the catalog's (problems.rate_limited), said in the caller's language by the problem answer.
    super(429, "rate_limited", t("en", "problems.rate_limited", { who, retryAfterSeconds }), [], { who, retryAfterSeconds });
  }
}

function budget(perSecond: number, burst: number, prefix: string): BurstyRateLimiter {
  return new BurstyRateLimiter(
    new RateLimiterMemory({ keyPrefix: prefix, points: perSecond, duration: 1 }),
    new RateLimiterMemory({ keyPrefix: `${prefix}-burst`, points: burst, duration: BURST_WINDOW_SECONDS }),
  );
}

export class RateLimits {
  private readonly tenant: BurstyRateLimiter;
  private readonly user: BurstyRateLimiter;

  constructor(settings: RateLimitSettings) {
    this.tenant = budget(settings.tenantPerSecond, settings.tenantBurst, "tenant");
    this.user = budget(settings.userPerSecond, settings.userBurst, "user");
  }

  /** Spend one request of the user's and the tenant's budgets, or refuse with 429. */
  async take(tenantId: string, userId: string): Promise<void> {
    await spend(this.user, `${tenantId}:${userId}`, "user");
    await spend(this.tenant, tenantId, "organisation");
  }
}

async function spend(limiter: BurstyRateLimiter, key: string, who: "organisation" | "user"): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new RateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)), who);
    throw e;
  }
}
