/**
 * When events are delivered, on p-queue. The instance that writes an event delivers it at once
 * (the outbox tells it in-process), up to MAX_DIRECT events side by side and the next ones as those
 * finish; beyond MAX_WAITING waiting, an event is left to the next polling round (it is in the
 * store). A round delivers every due event (events other instances wrote, retries, crash recovery),
 * ROUND_CONCURRENCY at a time, and rounds asked for while one runs coalesce into one more.
 */
import PQueue from "p-queue";
import type { Logger } from "pino";
import type { OutboxEvent } from "./outbox.js";

export const MAX_DIRECT = 32;
export const MAX_WAITING = 2_000;
export const ROUND_CONCURRENCY = 16;

const keyOf = (event: Pick<OutboxEvent, "tenantId" | "id">) => `${event.tenantId}|${event.id}`;

export class DeliveryQueue {
  private readonly direct = new PQueue({ concurrency: MAX_DIRECT });
  /** Events queued for direct delivery (waiting or under way), by tenant|id. */
  private readonly queued = new Set<string>();
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    /** Deliver one event; the number of deliveries recorded. */
    private readonly deliver: (event: OutboxEvent) => Promise<number>,
    /** Events due for delivery, oldest first. */
    private readonly due: () => Promise<OutboxEvent[]>,
    private readonly logger: Logger,
  ) {}

  /** Deliver soon: the event just written at once (or when a slot frees); without one, a round. */
  nudge(event?: OutboxEvent): void {
    if (this.stopped) return;
    if (event) {
      const key = keyOf(event);
      if (this.queued.has(key)) return;
      // A burst beyond what this instance holds in memory is left to a round.
      if (this.direct.size >= MAX_WAITING) return this.nudge();
      this.queued.add(key);
      void this.direct
        .add(() => this.deliver(event))
        .catch((err) => this.logger.error({ err, eventId: event.id }, "delivering a new event failed; the next round retries it"))
        .finally(() => this.queued.delete(key));
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runNow().catch((err) => this.logger.error({ err }, "notification delivery round failed"));
  }

  /** One delivery round over every due event; the number of deliveries recorded. */
  async runNow(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        const due = (await this.due()).filter((e) => !this.queued.has(keyOf(e)));
        const round = new PQueue({ concurrency: ROUND_CONCURRENCY });
        const counts = await Promise.all(due.map((event) => round.add(() => this.deliver(event))));
        total += counts.reduce<number>((a, b) => a + (b ?? 0), 0);
      } while (this.again && !this.stopped);
      return total;
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Wait for what is under way (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.running || this.direct.size > 0 || this.direct.pending > 0) await Promise.all([this.running?.catch(() => undefined), this.direct.onIdle()]);
  }

  /** Take nothing new; events still waiting are in the store, a round (here or elsewhere) delivers them. */
  stop(): void {
    this.stopped = true;
    this.direct.clear();
  }
}
