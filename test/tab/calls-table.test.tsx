// @vitest-environment jsdom
/**
 * The usage page's per-call table in jsdom: 12,000 calls draw only the rows in view, a scroll
 * draws the rows there, and each column sorts both ways with aria-sort saying which.
 * A pure component (its rows are given), so no app is needed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { formatMoneyLocale, type RatedCallView } from "@cc/common";
import { CallsTable, ROW_HEIGHT } from "../../tab/src/components/CallsTable";
import { I18nProvider, makeI18n } from "../../tab/src/i18n";

function calls(n: number): RatedCallView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `call-${String(i).padStart(5, "0")}`,
    userId: "u1",
    userPrincipalName: i % 2 ? "lee@contoso.example" : "diego@contoso.example",
    userDisplayName: i % 2 ? "Lee Gu" : "Diego Siciliani",
    startDateTime: new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString(),
    endDateTime: new Date(Date.UTC(2025, 2, 1) + i * 60_000 + 30_000).toISOString(),
    duration: 30 + (i % 97),
    callType: i % 3 ? "user_out" : "user_in",
    calleeNumber: "+919812345678",
    callerNumber: "+12065550100",
    chargeMicros: ((i * 7919) % 1000) * 1000,
    billedMinutes: 1,
    chargedTo: "credits",
    currency: "USD",
    ratedAt: "2025-03-02T00:00:00Z",
    flags: [],
    destinationCountry: "IN",
    connectionFeeMicros: 0,
    perMinuteMicros: 100_000,
  }));
}

function show(list: RatedCallView[], lang: "en" | "fr" = "en") {
  const i18n = makeI18n(lang);
  render(
    <FluentProvider theme={webLightTheme}>
      <I18nProvider locale={lang}>
        <CallsTable calls={list} money={(m, c) => formatMoneyLocale(m, c, i18n.locale)} destinationName={() => "India"} callTypeName={(t) => t} label="Calls" />
      </I18nProvider>
    </FluentProvider>,
  );
}

const charges = () => screen.getAllByTestId("call-row").map((r) => Number(r.getAttribute("data-charge-micros")));

describe("the per-call table", () => {
  afterEach(cleanup);

  it("draws only the rows in view out of 12,000, and the rows where it is scrolled to", () => {
    show(calls(12_000));
    const table = screen.getByTestId("calls-table");
    expect(table.getAttribute("aria-rowcount")).toBe("12001");
    const first = screen.getAllByTestId("call-row");
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(60);
    // Newest first by default.
    expect(first[0].getAttribute("aria-rowindex")).toBe("2");
    expect(first[0].getAttribute("data-start")! > first[1].getAttribute("data-start")!).toBe(true);
    table.scrollTop = 6_000 * ROW_HEIGHT;
    fireEvent.scroll(table);
    const indexes = screen.getAllByTestId("call-row").map((r) => Number(r.getAttribute("aria-rowindex")));
    expect(indexes).toContain(6_002);
    expect(indexes).not.toContain(2);
    expect(screen.getAllByTestId("call-row").length).toBeLessThan(60);
  });

  it("sorts by a column both ways, and says so with aria-sort", () => {
    show(calls(500), "fr");
    const button = screen.getByTestId("calls-sort-charge");
    expect(button.textContent).toContain("Coût");
    fireEvent.click(button);
    expect(button.parentElement!.getAttribute("aria-sort")).toBe("descending");
    const down = charges();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(down[0]).toBe(999_000);
    fireEvent.click(button);
    expect(button.parentElement!.getAttribute("aria-sort")).toBe("ascending");
    const up = charges();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(up[0]).toBe(0);
    expect(screen.getByTestId("calls-sort-start").parentElement!.getAttribute("aria-sort")).toBe("none");
  });
});
