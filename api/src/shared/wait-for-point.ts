/** Pacing with rate-limiter-flexible: consume one point of `key`, waiting as long as the limiter says when none is left. */
import { RateLimiterRes, type RateLimiterMemory } from "rate-limiter-flexible";

export async function waitForPoint(limiter: RateLimiterMemory, key: string): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, refusal.msBeforeNext)));
    }
  }
}
