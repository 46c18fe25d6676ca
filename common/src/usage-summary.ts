/**
 * GET /api/v1/usage/summary (API.md): the usage the API counted over a period, grouped, with its
 * totals. Declared once for the API that answers it and the tab and bot that show it.
 */

/** How a summary groups calls ("department": spend by department, v1.2). */
export type UsageGroupBy = "day" | "user" | "destination" | "callType";

/** Calls, billed minutes (per started minute) and what they cost, in micros of the account's currency. */
export interface UsageTally {
  calls: number;
  minutes: number;
  chargeMicros: number;
}

export interface UsageSummaryGroupView extends UsageTally {
  key: string;
  /** What people read for the key (a user's name, a destination's country, a day). */
  label: string;
}

/** A named period the API resolved, in the tenant's time zone. */
export interface UsagePeriodView {
  name: string;
  /** First instant (inclusive) and end instant (exclusive), UTC ISO. */
  from: string;
  to: string;
  /** The calendar days a person reads, both included. */
  firstDay: string;
  lastDay: string;
  timeZone: string;
}

export interface UsageSummaryView {
  from: string;
  to: string;
  currency: string;
  groupBy: UsageGroupBy | "department";
  groups: UsageSummaryGroupView[];
  /** The period's totals, counted by the API (the tab adds no money up). */
  totals: UsageTally;
  period?: UsagePeriodView;
}
