/** common/src/intl.ts: one Intl format per locale and options, the same object each time. */
import { describe, expect, it } from "vitest";
import { dateTimeFormat, numberFormat } from "@cc/common";

describe("Intl formats kept", () => {
  it("answers the same format for the same locale and options, another for others", () => {
    const usd = numberFormat("en-US", { style: "currency", currency: "USD" });
    expect(numberFormat("en-US", { style: "currency", currency: "USD" })).toBe(usd);
    expect(numberFormat("en-US", { style: "currency", currency: "EUR" })).not.toBe(usd);
    expect(numberFormat("fr-FR", { style: "currency", currency: "USD" }).format(1234.5)).toMatch(/^1\s234,50\s\$US$/);
    const day = dateTimeFormat("fr-FR", { month: "short", day: "numeric", timeZone: "UTC" });
    expect(dateTimeFormat("fr-FR", { month: "short", day: "numeric", timeZone: "UTC" })).toBe(day);
    expect(day.format(new Date("2026-11-12T00:00:00Z"))).toBe("12 nov.");
  });
});
