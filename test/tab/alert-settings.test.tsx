// @vitest-environment jsdom
/**
 * The notification settings' low-balance alerts and the tenant's time zone in jsdom against the
 * real app (issue 22): each threshold with the amount the API says it means today, rows typed
 * wrongly refused in words before anything is sent, a save through the API and its answer shown,
 * the read-only view saying why; the time-zone picker's search and labels in the reader's language.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { t as say, type MeAnswer, type UiLanguage } from "@cc/common";
import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { startWorldProcess, type WorldProcess } from "../support/world-process.js";
import { ApiClient } from "../../tab/src/api/client";
import { ApiProvider } from "../../tab/src/api/context";
import { creditsApi } from "../../tab/src/api/credits";
import { makeQueryClient } from "../../tab/src/api/queries";
import { I18nProvider, makeI18n } from "../../tab/src/i18n";
import { MeProvider } from "../../tab/src/me";
import { NotificationSettingsPanel } from "../../tab/src/components/NotificationSettingsPanel";
import { readRow, newRow, rowOfPath, rowsOf } from "../../tab/src/components/alerts/threshold-rows";
import { allZones, searchZones, zoneChoice } from "../../tab/src/components/alerts/time-zones";

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

let world: WorldProcess;

async function signIn(upn: string, lang: UiLanguage = "en", adjust: (me: MeAnswer) => MeAnswer = (me) => me) {
  const res = await fetch(`${world.url}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn }) });
  const { token } = (await res.json()) as { token: string };
  const client = new ApiClient({ baseUrl: world.url, getToken: async () => token, language: () => (lang === "fr" ? "fr-FR" : "en-US"), sleep: async () => {} });
  const api = creditsApi(client);
  const me = adjust(await api.me());
  const wrap = (node: ReactNode) => (
    <FluentProvider theme={webLightTheme}>
      <I18nProvider locale={lang}>
        <ApiProvider api={api}>
          <QueryClientProvider client={makeQueryClient()}>
            <MeProvider me={me}>{node}</MeProvider>
          </QueryClientProvider>
        </ApiProvider>
      </I18nProvider>
    </FluentProvider>
  );
  return { api, wrap };
}

beforeAll(async () => {
  world = await startWorldProcess();
  const { api } = await signIn("megan@contoso.example");
  await api.addPaymentMethod("tok_visa");
  await api.setAutoRecharge({ enabled: true, amountMicros: 80_000_000, thresholdMicros: 20_000_000 });
});
afterAll(() => world?.close());
afterEach(() => cleanup());

describe("a threshold as typed", () => {
  const en = makeI18n("en");
  const fr = makeI18n("fr");
  it("reads a percentage or an amount in either language, and says why it cannot", () => {
    expect(readRow(newRow("percent", "12,5 %"), "USD", fr)).toEqual({ threshold: { percentOfRecharge: 12.5 } });
    expect(readRow(newRow("amount", "1 000,50"), "USD", fr)).toEqual({ threshold: { amountMicros: 1_000_500_000 } });
    expect(readRow(newRow("percent", "150"), "USD", en)).toEqual({ error: "Enter a percentage more than 0 and at most 100." });
    expect(readRow(newRow("amount", "1.234"), "USD", en)).toEqual({ error: "Use whole cents (two decimals at most)." });
    // Read back as saved: 12.345 stays 12.345 (it is matched to what the API says it means).
    expect(rowsOf([{ percentOfRecharge: 12.345 }, { amountMicros: 30_000_000 }], "fr-FR").map((r) => r.text)).toEqual(["12,345", "30,00"]);
    expect(rowOfPath("lowBalanceThresholds.3.percentOfRecharge")).toBe(3);
    expect(rowOfPath("channels.0")).toBeUndefined();
  });
});

describe("the low-balance alerts editor", () => {
  it("adds alerts, refuses a wrong one in words before sending, saves, and shows what each means today as the API says", async () => {
    const { wrap, api } = await signIn("megan@contoso.example");
    render(wrap(<NotificationSettingsPanel />));
    await screen.findByTestId("thresholds-none");
    fireEvent.click(screen.getByTestId("threshold-add"));
    fireEvent.click(screen.getByTestId("threshold-add"));
    const values = screen.getAllByTestId("threshold-value");
    fireEvent.change(values[0]!, { target: { value: "25" } });
    fireEvent.change(screen.getAllByTestId("threshold-kind")[1]!, { target: { value: "amount" } });
    fireEvent.change(screen.getAllByTestId("threshold-value")[1]!, { target: { value: "12.345" } });
    // Not saved yet: nothing to say about money.
    expect(screen.getAllByTestId("threshold-means").map((m) => m.textContent)).toEqual([
      "The amount it means today shows once saved.",
      "The amount it means today shows once saved.",
    ]);
    fireEvent.click(screen.getByTestId("notification-settings-save"));
    await screen.findByText("Use whole cents (two decimals at most).");
    expect((await api.notificationSettings())?.lowBalanceThresholds).toEqual([]);
    fireEvent.change(screen.getAllByTestId("threshold-value")[1]!, { target: { value: "15" } });
    fireEvent.click(screen.getByTestId("notification-settings-save"));
    // 25 % of the recharge amount of $80.00, and $15.00: the API's figures, to the cent.
    await waitFor(() => expect(screen.getAllByTestId("threshold-means").map((m) => m.textContent)).toEqual(["Today: below $20.00", "Today: below $15.00"]));
    expect((await api.notificationSettings())?.lowBalanceThresholds).toEqual([{ percentOfRecharge: 25 }, { amountMicros: 15_000_000 }]);
    // At most five.
    for (let i = 0; i < 3; i++) fireEvent.click(screen.getByTestId("threshold-add"));
    expect((screen.getByTestId("threshold-add") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("That is the most alerts there can be (5).").textContent).toBe("That is the most alerts there can be (5).");
    // Each row is a group named by its alert, each control labelled, the remove button names its alert and removes it.
    const first = screen.getAllByTestId("threshold-row")[0]!;
    expect(first.getAttribute("role")).toBe("group");
    expect(screen.getByRole("group", { name: "Alert 1" })).toBe(first);
    expect((within(first).getByLabelText("Percentage") as HTMLInputElement).value).toBe("25");
    fireEvent.click(within(first).getByRole("button", { name: "Remove alert 1" }));
    expect(screen.getAllByTestId("threshold-row")).toHaveLength(4);
    expect((screen.getByTestId("threshold-add") as HTMLButtonElement).disabled).toBe(false);
  });

  it("in French, for someone who may not change it: read-only, and says why", async () => {
    const { wrap } = await signIn("megan@contoso.example", "fr", (me) => ({ ...me, can: { ...me.can, manageNotifications: false } }));
    render(wrap(<NotificationSettingsPanel />));
    const why = await screen.findByTestId("notification-settings-read-only");
    expect(why.textContent).toContain("peuvent changer qui est prévenu et quand");
    await waitFor(() =>
      expect(screen.getAllByTestId("threshold-means").map((m) => m.textContent?.replace(/\s/g, " "))).toEqual(["Aujourd’hui : sous 20,00 $US", "Aujourd’hui : sous 15,00 $US"]),
    );
    expect(screen.queryByTestId("threshold-add")).toBeNull();
    expect(screen.queryByTestId("notification-settings-save")).toBeNull();
    for (const input of screen.getAllByTestId("threshold-value")) expect((input as HTMLInputElement).disabled).toBe(true);
  });
});

describe("the tenant's time zone", () => {
  it("lists every IANA zone the browser knows, labelled in the reader's language, searchable by city or name", () => {
    const zones = allZones("fr-FR", new Date("2026-01-15T12:00:00Z"));
    expect(zones.length).toBeGreaterThan(300);
    const paris = zoneChoice("Europe/Paris", "fr-FR", new Date("2026-01-15T12:00:00Z"));
    expect(paris.city).toBe("Paris");
    expect(paris.name).toMatch(/Europe centrale/);
    expect(paris.offset).toBe("UTC+1");
    expect(searchZones(zones, "new york").map((z) => z.id)).toEqual(["America/New_York"]);
    expect(searchZones(zones, "europe centrale").map((z) => z.id)).toContain("Europe/Paris");
  });

  it("is shown with the settings; Billing Administrators save it (PUT /api/v1/account/time-zone)", async () => {
    const { wrap, api } = await signIn("megan@contoso.example");
    render(wrap(<NotificationSettingsPanel />));
    const picker = await screen.findByTestId("time-zone-picker");
    fireEvent.click(picker);
    fireEvent.change(picker, { target: { value: "tokyo" } });
    const tokyo = await screen.findByText(/^Tokyo — /);
    fireEvent.click(tokyo);
    // The button is enabled once the account (the current zone) has loaded; then the save is said and kept.
    await waitFor(() => expect((screen.getByTestId("time-zone-save") as HTMLButtonElement).disabled).toBe(false), { timeout: 10_000 });
    fireEvent.click(screen.getByTestId("time-zone-save"));
    await waitFor(() => expect(within(screen.getByTestId("time-zone")).getByRole("status").textContent).toBe(say("en", "alerts.timeZone.saved")), { timeout: 10_000 });
    expect((await api.account()).timeZone).toBe("Asia/Tokyo");
  });
});
