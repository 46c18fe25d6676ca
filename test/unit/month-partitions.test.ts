/**
 * Issue 21, item 3: the partition keys of the month-partitioned containers (containers.ts): the
 * UTC month of an instant, the months a span crosses, and each container's partition value
 * (including the one an old document without `pk` is migrated to).
 */
import { describe, expect, it } from "vitest";
import { MONTH_PARTITIONED, monthPartition, monthsBetween, partitionPathOf, partitionValueOf, utcMonth } from "../../api/src/store/containers.js";

const T = "41414141-4141-4141-8141-414141414141";

describe("month partition keys", () => {
  it("takes the UTC month, not the local one", () => {
    expect(utcMonth("2025-03-31T23:59:59.999Z")).toBe("2025-03");
    expect(utcMonth("2025-04-01T00:30:00+02:00")).toBe("2025-03"); // 2025-03-31T22:30Z
    expect(utcMonth("2025-12-31")).toBe("2025-12");
    expect(() => utcMonth("not a time")).toThrow(/not an instant/);
    expect(monthPartition(T, "2025-04")).toBe(`${T}|2025-04`);
    expect(monthPartition(T, "2025-04-30T23:59:59Z")).toBe(`${T}|2025-04`);
  });

  it("lists every month a span crosses, across a year's end", () => {
    expect(monthsBetween("2024-11-15T00:00:00Z", "2025-02-01T00:00:00Z")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(monthsBetween("2025-03-31T23:00:00Z", "2025-03-31T23:59:00Z")).toEqual(["2025-03"]);
    expect(monthsBetween("2025-05-01", "2025-04-01")).toEqual([]);
  });

  it("partitions usage and audit by tenant and month, the rest by tenant", () => {
    expect([...MONTH_PARTITIONED].sort()).toEqual(["audit", "usage"]);
    expect(partitionPathOf("usage")).toBe("/pk");
    expect(partitionPathOf("idempotency")).toBe("/tenantId");
    expect(partitionPathOf("ledger")).toBe("/tenantId");
    // A document's own pk wins; one without (written before) gets its month's: the call's start for usage, the record's time for audit.
    expect(partitionValueOf("usage", { tenantId: T, pk: `${T}|2025-01`, startDateTime: "2025-03-01T00:00:00Z" })).toBe(`${T}|2025-01`);
    expect(partitionValueOf("usage", { tenantId: T, startDateTime: "2025-03-01T00:00:00Z", at: "2025-07-01T00:00:00Z" })).toBe(`${T}|2025-03`);
    expect(partitionValueOf("audit", { tenantId: T, startDateTime: "2025-03-01T00:00:00Z", at: "2025-07-01T00:00:00Z" })).toBe(`${T}|2025-07`);
    expect(partitionValueOf("audit", { tenantId: T })).toBeUndefined();
    expect(partitionValueOf("ledger", { tenantId: T, pk: "ignored" })).toBe(T);
  });
});
