/**
 * The month partition keys of the containers partitioned by tenant and month (containers.ts):
 * values in, values out, so the pure rule files (rated-call.ts) can name a record's partition.
 */

/** The UTC month (`yyyy-mm`) of an ISO instant or a `yyyy-mm-dd` day. */
export function utcMonth(isoOrDay: string): string {
  const ms = Date.parse(isoOrDay.length === 10 ? `${isoOrDay}T00:00:00Z` : isoOrDay);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${isoOrDay}`);
  return new Date(ms).toISOString().slice(0, 7);
}

/** The partition key value of a tenant's month (`month` = `yyyy-mm`, or any instant or day in it). */
export function monthPartition(tenantId: string, month: string): string {
  return `${tenantId}|${/^\d{4}-\d{2}$/.test(month) ? month : utcMonth(month)}`;
}

/** The months (`yyyy-mm`, oldest first) from the one of `from` to the one of `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  const last = utcMonth(to);
  for (let month = utcMonth(from); month <= last;) {
    months.push(month);
    const [y, m] = month.split("-").map(Number);
    month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }
  return months;
}
