/**
 * Alerts held for a recharge under way (alert-rules.ts): when the recharge ends, a success folds
 * them into its own card (the dip it restored) and nobody gets a "balance at zero" card; a failure
 * (or a pause) releases them at once, beside the recharge_failed card. A hold that nobody settles
 * (an instance crashed mid-recharge) ends by itself at `held.until`: the alert is then told.
 */
import type { Container } from "@azure/cosmos";
import { queryAll, replaceIfMatch, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { Outbox, OutboxEvent } from "./outbox.js";

/** What a recharge's card tells of the alerts it resolved. */
export interface ResolvedDip {
  /** The lowest balance the held alerts saw. */
  lowestMicros: number;
  at: string;
  kinds: string[];
}

export class HeldAlerts {
  private readonly events: Container;

  constructor(
    store: Store,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {
    this.events = store.containers.outbox;
  }

  private held(tenantId: string): Promise<OutboxEvent[]> {
    return queryAll<OutboxEvent>(this.events, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.deliveredAt = null AND c.held.reason = 'recharge_under_way'");
  }

  /**
   * The recharge `attemptId` ended: resolve the held alerts (succeeded) or release them (failed,
   * paused). Answers the dip a success restored, for its card.
   */
  async settle(tenantId: string, attemptId: string | null, succeeded: boolean): Promise<{ dip?: ResolvedDip }> {
    const now = this.clock.now().toISOString();
    const resolved: OutboxEvent[] = [];
    for (let event of await this.held(tenantId)) {
      for (let tries = 0; tries < 5 && event?._etag && event.deliveredAt === null && event.held && !event.held.releasedAt; tries++) {
        const next: OutboxEvent = succeeded
          ? { ...event, deliveredAt: now, nextAttemptAt: null, recipients: [], channels: [], held: { ...event.held, resolvedBy: attemptId ?? undefined } }
          : { ...event, nextAttemptAt: null, held: { ...event.held, releasedAt: now } };
        const saved = await replaceIfMatch(this.events, next, event._etag);
        if (saved) {
          if (succeeded) resolved.push(saved);
          else this.outbox.wake(saved);
          break;
        }
        const latest = await this.outbox.read(tenantId, event.id);
        if (!latest) break;
        event = latest;
      }
    }
    if (resolved.length === 0) return {};
    const balances = resolved.map((e) => (e.kind === "balance_low" || e.kind === "balance_depleted" ? e.data.balanceAfterMicros : 0));
    return { dip: { lowestMicros: Math.min(...balances), at: resolved.map((e) => e.at).sort()[0], kinds: [...new Set(resolved.map((e) => e.kind))] } };
  }
}
