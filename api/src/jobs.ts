/** The background jobs an instance runs, in the order they run (wiring.ts builds them; POST /api/dev/jobs/run runs them now). */
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
