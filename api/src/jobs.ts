/** The background jobs an instance runs, in the order they run (wiring.ts builds them; POST /api/dev/jobs/run runs them now). */
import type { Logger } from "pino";
import type { Config } from "./config.js";
import { GRAPH_POLL_EVERY_MS } from "./usage/graph-poller.js";

export interface Jobs {
  /** Run every job once now (the timer, and POST /api/dev/jobs/run). */
  runNow(): Promise<JobsReport>;
  /** Start the timers (JOBS_INTERVAL_MS; 0 = never). */
  start(): void;
  stop(): void;
}

export interface JobsReport {
  rechargesRetried: number;
  expiriesPosted: number;
  usageRecordsRecovered: number;
  chargesRecovered: number;
  expiringCardsWarned: number;
  notificationsDelivered: number;
}

/** The jobs of a report, each counting what it did; run one after the other in this order. */
export type JobRuns = { [K in keyof JobsReport]: () => Promise<number> };

/**
 * The jobs and their timers: deliveries due again (throttled, transient failures) and events another
 * instance wrote every few seconds, every job once per JOBS_INTERVAL_MS, the Graph poller less often.
 */
export function scheduledJobs(
  config: Pick<Config, "JOBS_INTERVAL_MS">,
  logger: Logger,
  runs: JobRuns,
  around: { deliver: () => Promise<unknown>; poll: () => Promise<unknown>; stop: () => void },
): Jobs {
  const runNow = async (): Promise<JobsReport> => {
    const report = {} as JobsReport;
    for (const [name, run] of Object.entries(runs) as [keyof JobsReport, () => Promise<number>][]) report[name] = await run();
    return report;
  };
  const timers: NodeJS.Timeout[] = [];
  return {
    runNow,
    start() {
      if (config.JOBS_INTERVAL_MS <= 0) return;
      timers.push(setInterval(() => void around.deliver().catch((err) => logger.error({ err }, "notification round failed")), Math.min(config.JOBS_INTERVAL_MS, 5_000)));
      timers.push(setInterval(() => void runNow().catch((err) => logger.error({ err }, "background job failed")), config.JOBS_INTERVAL_MS));
      // Graph publishes call records late, so the poller runs less often than the other jobs.
      timers.push(setInterval(() => void around.poll().catch((err) => logger.error({ err }, "graph poller sweep failed")), Math.max(config.JOBS_INTERVAL_MS, GRAPH_POLL_EVERY_MS)));
      for (const t of timers) t.unref();
    },
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      around.stop();
    },
  };
}
