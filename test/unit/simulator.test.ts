/**
 * The usage simulator: the same seed gives the same calls, every call is a valid Graph row that
 * rating can price, and the month looks like a business's (office hours, mostly domestic, every
 * kind of call the money rules care about).
 */
import { describe, expect, it } from "vitest";
import { DEMO_TENANTS, DirectoryRole, pstnCallLogRowSchema, type DemoTenant, type PstnCallLogRow } from "@cc/common";
import { simulateCalls, utcOffsetHours } from "../../api/src/local/simulator/index.js";
import { Rates } from "../../api/src/usage/rates.js";
import { classifyCall } from "../../api/src/usage/rating/rate-call.js";

const rates = Rates.load();
const contoso = DEMO_TENANTS[0];
const MARCH = new Date("2025-03-01T00:00:00Z");

/** A 40-person US company: enough calls for the shape of the month to show. */
const litware: DemoTenant = {
  tenantId: "66666666-6666-4666-8666-666666666666",
  name: "litware",
  displayName: "Litware",
  region: "US",
  billingCountry: "US",
  currency: "USD",
  users: Array.from({ length: 40 }, (_, i) => ({
    id: `f6f0c0de-0000-4000-8000-${String(i).padStart(12, "0")}`,
    upn: `user${i}@litware.example`,
    displayName: `User ${i}`,
    roles: i === 0 ? [DirectoryRole.BillingAdministrator] : [],
    licensed: true,
    callingPlan: i % 3 === 0 ? "none" : "domestic",
    usageLocation: "US",
  })),
};

const month = simulateCalls({ tenant: litware, days: 28, from: MARCH, seed: 7 });

function localTime(row: PstnCallLogRow): Date {
  return new Date(Date.parse(row.startDateTime) + utcOffsetHours(row.usageCountryCode ?? "US") * 3_600_000);
}

describe("the usage simulator", () => {
  it("is deterministic for a seed, and a longer run repeats the days of a shorter one", () => {
    const a = simulateCalls({ tenant: contoso, days: 10, from: MARCH, seed: 1 });
    const b = simulateCalls({ tenant: contoso, days: 10, from: MARCH, seed: 1 });
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(50);
    const other = simulateCalls({ tenant: contoso, days: 10, from: MARCH, seed: 2 });
    expect(other.map((r) => r.id)).not.toEqual(a.map((r) => r.id));
    // Each day has its own seed: 20 days from the same start contain the first 10 days' calls.
    const longer = new Map(simulateCalls({ tenant: contoso, days: 20, from: MARCH, seed: 1 }).map((r) => [r.id, r]));
    for (const row of a) expect(longer.get(row.id)).toEqual(row);
  });

  it("makes valid Graph rows with unique ids, exact spans and numbers the rate card prices", () => {
    expect(new Set(month.map((r) => r.id)).size).toBe(month.length);
    for (const row of month) {
      const parsed = pstnCallLogRowSchema.safeParse(row);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(Date.parse(row.endDateTime) - Date.parse(row.startDateTime)).toBe(row.duration * 1000);
      expect(row.duration).toBeGreaterThan(0);
      expect(row.currency).toBe("USD");
      expect(row.tenantCountryCode).toBe("US");
      expect(["Domestic", "International"]).toContain(row.destinationContext);
      const rate = rates.find(row.calleeNumber);
      const user = { callingPlan: "domestic" as const, licensed: true, usageLocation: "US" };
      const classified = classifyCall({ callType: row.callType, calleeNumber: row.calleeNumber, inventoryType: row.inventoryType, rate, user, tenantCountry: "US" });
      expect(classified.ok, `${row.callType} to ${row.calleeNumber}`).toBe(true);
      if (row.inventoryType === "Toll Free") expect(rate?.numberType).toBe("toll_free");
      if (row.callType.startsWith("conf_")) expect(row.conferenceId).toMatch(/\S/);
      else expect(row.conferenceId).toBeNull();
      if (row.destinationContext === "Domestic" && row.callType === "user_out" && row.calleeNumber !== "911") expect(rate?.countryCode).toBe("US");
    }
  });

  it("follows business hours: mostly weekdays 8–18 local time, a lunch dip, quiet nights and weekends", () => {
    const local = month.map(localTime);
    const weekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
    const office = local.filter((d) => weekday(d) && d.getUTCHours() >= 8 && d.getUTCHours() < 18).length;
    expect(office / month.length).toBeGreaterThan(0.8);
    const weekend = local.filter((d) => !weekday(d)).length;
    expect(weekend / month.length).toBeLessThan(0.05);
    const night = local.filter((d) => d.getUTCHours() < 6 || d.getUTCHours() >= 21).length;
    expect(night / month.length).toBeLessThan(0.03);
    const at = (h: number) => local.filter((d) => weekday(d) && d.getUTCHours() === h).length;
    expect(at(12)).toBeLessThan(at(10) * 0.7);
    expect(at(12)).toBeLessThan(at(14) * 0.7);
  });

  it("has each kind of call in a plausible mix, with log-normal durations around three minutes", () => {
    const count = (f: (r: PstnCallLogRow) => boolean) => month.filter(f).length;
    const n = month.length;
    // 40 users × ~5 calls × 20 weekdays, plus toll-free.
    expect(n).toBeGreaterThan(3000);
    const userOut = month.filter((r) => r.callType === "user_out" && r.calleeNumber !== "911");
    const international = userOut.filter((r) => r.destinationContext === "International");
    expect(userOut.length / n).toBeGreaterThan(0.55);
    expect(international.length / userOut.length).toBeGreaterThan(0.08);
    expect(international.length / userOut.length).toBeLessThan(0.25);
    // International calls go to several countries, mobiles among them.
    const countries = new Set(international.map((r) => rates.find(r.calleeNumber)!.countryCode));
    expect(countries.size).toBeGreaterThan(10);
    expect(international.some((r) => rates.find(r.calleeNumber)!.numberType === "mobile")).toBe(true);
    expect(count((r) => r.callType === "conf_out")).toBeGreaterThan(0.03 * n);
    expect(count((r) => r.callType === "conf_in" && r.inventoryType === "Toll Free")).toBeGreaterThan(0.05 * n);
    expect(count((r) => r.callType === "user_in" && r.inventoryType === "Toll Free")).toBeGreaterThan(0.02 * n);
    expect(count((r) => r.callType === "user_in" && r.inventoryType === "Subscriber")).toBeGreaterThan(0.05 * n);
    const emergency = count((r) => r.calleeNumber === "911");
    expect(emergency).toBeGreaterThan(0);
    expect(emergency / n).toBeLessThan(0.01);
    // Conference dial-outs reach beyond Audio Conferencing Zone A sometimes (paid from credits).
    expect(month.some((r) => r.callType === "conf_out" && ["PH", "AE", "NG", "TR", "AR", "IL", "KE", "CO", "EG", "VN"].includes(rates.find(r.calleeNumber)!.countryCode))).toBe(
      true,
    );

    const durations = userOut.map((r) => r.duration).sort((a, b) => a - b);
    const median = durations[durations.length >> 1];
    expect(median).toBeGreaterThan(120);
    expect(median).toBeLessThan(300);
    // Log-normal: a long tail above the median, few very long calls.
    expect(durations[Math.floor(durations.length * 0.9)]).toBeGreaterThan(2.5 * median);
    expect(durations.filter((d) => d > 3 * 3600).length).toBe(0);
    const bridge = month
      .filter((r) => r.callType === "conf_in")
      .map((r) => r.duration)
      .sort((a, b) => a - b);
    expect(bridge[bridge.length >> 1]).toBeGreaterThan(900);
  });

  it("uses the directory's users and the tenant's toll-free numbers", () => {
    const rows = simulateCalls({ tenant: { ...contoso, tollFreeNumbers: ["+18885550100"] }, days: 14, from: MARCH, seed: 3 });
    const upns = new Set(contoso.users.map((u) => u.upn));
    for (const row of rows) {
      expect(upns.has(row.userPrincipalName!)).toBe(true);
      expect(contoso.users.find((u) => u.id === row.userId)?.displayName).toBe(row.userDisplayName);
      if (row.inventoryType === "Toll Free") expect(row.calleeNumber).toBe("+18885550100");
    }
    expect(simulateCalls({ tenant: contoso, days: 0, from: MARCH, seed: 3 })).toEqual([]);
    expect(() => simulateCalls({ tenant: contoso, days: -1, from: MARCH, seed: 3 })).toThrow(RangeError);
  });
});
