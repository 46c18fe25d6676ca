/**
 * Pacing of sends within Teams' published limits for a bot (rate-limiter-flexible, in memory):
 * per conversation at most 7 sends in any second and 60 per 30 s, per tenant at most 30 requests
 * in any second. They are kept by spacing: one send every 150 ms per conversation and one request
 * every 36 ms per tenant. The limits themselves would allow 142.9 ms and 33.3 ms; the margin is
 * there because a timer may fire a few milliseconds early when the process was held off the CPU
 * (Node counts a timer from the event loop's last clock reading). A send under the limits starts
 * at once (no timer, no event-loop turn); one over them waits until the limiter says it may go.
 * The pacing is per instance: N instances may reach N times a rate, which Teams then answers with
 * 429s (honoured by the notifier).
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { waitForPoint as take } from "../shared/wait-for-point.js";

export const TEAMS_LIMITS = {
  conversationPerSecond: 7,
  conversationPer30s: 60,
  tenantPerSecond: 30,
} as const;

export const PACING = {
  conversationSpacingMs: 150,
  tenantSpacingMs: 36,
} as const;

export class Pacer {
  private readonly conversationSpacing = new RateLimiterMemory({ points: 1, duration: PACING.conversationSpacingMs / 1000 });
  private readonly conversationWindow = new RateLimiterMemory({ points: TEAMS_LIMITS.conversationPer30s, duration: 30 });
  private readonly tenantSpacing = new RateLimiterMemory({ points: 1, duration: PACING.tenantSpacingMs / 1000 });

  /** Run `send` once the conversation and its tenant may take another request. */
  async paced<T>(tenantId: string, conversationId: string, send: () => Promise<T>): Promise<T> {
    const conversation = `${tenantId}|${conversationId}`;
    await take(this.conversationWindow, conversation);
    await take(this.conversationSpacing, conversation);
    await take(this.tenantSpacing, tenantId);
    return send();
  }
}
