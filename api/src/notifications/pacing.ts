/**
 * Pacing of sends within Teams' published limits for a bot (rate-limiter-flexible, in memory):
 * per conversation one send every 143 ms (at most 7 in any second) and 60 per 30 s, per tenant one
 * request every 34 ms (at most 30 per second). A send under the limits starts at once (no timer, no
 * event-loop turn); one over them waits until the limiter says it may go. The pacing is per
 * instance: N instances may reach N times a rate, which Teams then answers with 429s (honoured by
 * the notifier).
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export const TEAMS_LIMITS = {
  conversationSpacingMs: 143,
  conversationPer30s: 60,
  tenantSpacingMs: 34,
} as const;

export class Pacer {
  private readonly conversationSpacing = new RateLimiterMemory({ points: 1, duration: TEAMS_LIMITS.conversationSpacingMs / 1000 });
  private readonly conversationWindow = new RateLimiterMemory({ points: TEAMS_LIMITS.conversationPer30s, duration: 30 });
  private readonly tenantSpacing = new RateLimiterMemory({ points: 1, duration: TEAMS_LIMITS.tenantSpacingMs / 1000 });

  /** Run `send` once the conversation and its tenant may take another request. */
  async paced<T>(tenantId: string, conversationId: string, send: () => Promise<T>): Promise<T> {
    const conversation = `${tenantId}|${conversationId}`;
    await take(this.conversationWindow, conversation);
    await take(this.conversationSpacing, conversation);
    await take(this.tenantSpacing, tenantId);
    return send();
  }
}

/** Consume one point, waiting as long as the limiter says when none is left. */
async function take(limiter: RateLimiterMemory, key: string): Promise<void> {
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
