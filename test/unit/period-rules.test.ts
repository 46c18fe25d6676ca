/** One period definition (api/src/usage/period-rules.ts): calendar days in the tenant's zone, today included. */
import { describe, expect, it } from "vitest";
import { localDayStart, monthOf, periodOf } from "../../api/src/usage/period-rules.js";

describe("named periods", () => {
  const now = new Date("2026-12-07T21:00:00Z");

  it("last 30 days is today and the 29 days before, from midnight to midnight in the zone", () => {
    expect(periodOf("30d", now)).toEqual({
      name: "30d",
      from: "2026-11-08T00:00:00.000Z",
      to: "2026-12-08T00:00:00.000Z",
      firstDay: "2026-11-08",
      lastDay: "2026-12-07",
      timeZone: "UTC",
    });
    // 21:00 UTC is still Dec 7 in Paris (UTC+1 in winter) and already Dec 8 in Tokyo (UTC+9).
    expect(periodOf("30d", now, "Europe/Paris")).toMatchObject({ from: "2026-11-07T23:00:00.000Z", to: "2026-12-07T23:00:00.000Z", firstDay: "2026-11-08", lastDay: "2026-12-07" });
    expect(periodOf("30d", now, "Asia/Tokyo")).toMatchObject({ from: "2026-11-08T15:00:00.000Z", to: "2026-12-08T15:00:00.000Z", firstDay: "2026-11-09", lastDay: "2026-12-08" });
  });

  it("crosses a daylight-saving change on whole local days (Paris leaves summer time on Oct 25, 2026)", () => {
    const p = periodOf("7d", new Date("2026-10-27T10:00:00Z"), "Europe/Paris");
    expect(p).toMatchObject({ firstDay: "2026-10-21", lastDay: "2026-10-27", from: "2026-10-20T22:00:00.000Z", to: "2026-10-27T23:00:00.000Z" });
  });

  it("months are calendar months in the zone, last month ends where this one starts", () => {
    expect(periodOf("this_month", now, "America/New_York")).toMatchObject({ firstDay: "2026-12-01", lastDay: "2026-12-07", from: "2026-12-01T05:00:00.000Z" });
    expect(periodOf("last_month", now, "America/New_York")).toMatchObject({
      firstDay: "2026-11-01",
      lastDay: "2026-11-30",
      from: "2026-11-01T04:00:00.000Z",
      to: "2026-12-01T05:00:00.000Z",
    });
    expect(monthOf(new Date("2026-11-30T23:30:00Z"), "Europe/Paris")).toBe("2026-12");
    expect(monthOf(new Date("2026-11-30T23:30:00Z"))).toBe("2026-11");
  });

  it("an unknown zone falls back to UTC rather than failing a report", () => {
    expect(periodOf("7d", now, "Mars/Olympus").timeZone).toBe("UTC");
  });
});

describe("a calendar day picked by hand", () => {
  it("starts at midnight in the tenant's zone, on clock-change days and half-hour zones too", () => {
    expect(localDayStart("2026-11-08", "Europe/Paris")).toBe("2026-11-07T23:00:00.000Z");
    expect(localDayStart("2026-03-29", "Europe/Paris")).toBe("2026-03-28T23:00:00.000Z"); // the clocks go forward at 2:00
    expect(localDayStart("2026-03-30", "Europe/Paris")).toBe("2026-03-29T22:00:00.000Z");
    expect(localDayStart("2026-12-01", "Asia/Kolkata")).toBe("2026-11-30T18:30:00.000Z");
    expect(localDayStart("2026-12-01", "UTC")).toBe("2026-12-01T00:00:00.000Z");
  });

  it("is no instant when the text is not a real day (the range parser then refuses it)", () => {
    expect(localDayStart("2026-02-30", "Europe/Paris")).toBeUndefined();
    expect(localDayStart("2026-12-01T00:00:00Z", "Europe/Paris")).toBeUndefined();
    expect(localDayStart(20261201, "Europe/Paris")).toBeUndefined();
  });
});
