/**
 * Issue 22 in Chromium, in English and French at 1280 and 320 px: the guard page (country picker
 * with names in the reader's language and search, exceptions per user and group, the lookup for a
 * chosen user), spend by department (chart, table with totals, budgets), and one screenshot of
 * each other item: the next-action banner, the add-funds card picker, the alert settings with
 * low-balance thresholds and the tenant's time zone, the usage table with its column chooser and
 * filters, and the impossible period. Nothing may scroll sideways; number column headers are
 * right-aligned like their numbers. Screenshots go to test/e2e/screenshots/ (git-ignored) for a
 * person to look at.
 */
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { call } from "../integration/usage-fixtures.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "test/e2e/screenshots";
const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const DESK = "c0c0a000-0000-4000-8000-000000000002";

async function signIn(page: Page, url: string, upn: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector("[data-first-frame]") && document.querySelector('[data-testid="sign-out"], [data-testid^="signin-"]'));
  if (await page.getByTestId("sign-out").isVisible()) await page.getByTestId("sign-out").click();
  await page.getByTestId(`signin-${upn}`).click();
  await expect.poll(() => page.getByTestId("signed-in-user").getAttribute("data-upn")).toBe(upn);
}

const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Axis labels of a chart drawn past the chart's own box (cut off at its edge). */
function clippedAxisLabels(page: Page, testId: string): Promise<(string | null)[]> {
  return page.getByTestId(testId).evaluate((chart) => {
    const box = chart.getBoundingClientRect();
    return [...chart.querySelectorAll("svg text")]
      .filter((t) => (t.textContent ?? "").trim())
      .filter((t) => {
        const r = t.getBoundingClientRect();
        return r.left < box.left - 0.5 || r.right > box.right + 0.5;
      })
      .map((t) => t.textContent);
  });
}

/** For each visible number column header (all but the first), how far its text ends from the cell's right edge, when more than 16 px. */
function misalignedNumberHeaders(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((table) => {
    const heads = [...table.querySelectorAll("thead th")].slice(1).filter((th) => (th as HTMLElement).offsetParent !== null);
    return heads
      .map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th.querySelector("button") ?? th);
        return Math.abs(range.getBoundingClientRect().right - th.getBoundingClientRect().right);
      })
      .filter((gap) => gap > 16);
  });
}

describe("issue 22 in the tab", () => {
  let world: TestWorld;
  let app: App;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await startWorld();
    app = await world.app();
    const megan = await ApiClient.funded(app.url, "megan@contoso.example", 100);
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    await megan.postMoney("/api/v1/usage/records", {
      records: [
        call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 1200, start: at(30) }),
        call({ upn: "diego@contoso.example", to: "+639171234567", seconds: 400, start: at(50) }),
        call({ upn: "lee@contoso.example", to: "+919812345678", seconds: 600, start: at(20) }),
        call({ callType: "conf_in", to: "+18005550100", seconds: 900, start: at(10), inventoryType: "Toll free" }),
      ],
    });
    // A second card, and auto-recharge off with its amount set: the banner's next action, and what each alert means today.
    await megan.post("/api/v1/payment-methods", { token: "tok_mastercard" });
    await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(80), thresholdMicros: usd(20) });
    const settings = (await megan.get("/api/v1/notification-settings")).body;
    await megan.put("/api/v1/notification-settings", {
      kinds: settings.kinds,
      channels: settings.channels,
      lowBalanceThresholds: [{ percentOfRecharge: 50 }, { percentOfRecharge: 25 }, { amountMicros: usd(10) }],
    });
    await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(5), mode: "block" }] });
    await megan.put("/api/v1/guard", {
      blockedCountries: ["CU", "IN", "KP"],
      blockedPrefixes: ["+882"],
      blockPremiumRate: true,
      domesticOnly: false,
      perUserDailyCapMicros: usd(25),
      spikeFactor: 5,
      exceptions: [
        { userId: LEE, displayName: "Lee Gu", blockedCountries: ["KP"] },
        { groupId: DESK, displayName: "International desk", blockedCountries: ["CU"], domesticOnly: false },
      ],
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  for (const lang of ["en", "fr"] as const) {
    for (const width of [1280, 320]) {
      it(`the guard page and spend by department (${lang}, ${width} px)`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang === "fr" ? "fr-FR" : "en-US" });
        const page = await context.newPage();
        // adele, Teams Communications Administrator: she manages the calling policy now.
        await signIn(page, app.url, "adele@contoso.example");
        await page.goto(`${app.url}/#guard`);
        await page.getByTestId("guard-form").waitFor();
        await page.getByTestId("guard-exception").first().waitFor();
        // The country picker names countries in the reader's language and searches as typed.
        await page.getByTestId("guard-countries-search").click();
        await page.getByTestId("guard-countries-search").pressSequentially(lang === "fr" ? "allem" : "germ");
        await page
          .getByRole("option", { name: lang === "fr" ? "Allemagne DE" : "Germany DE", exact: true })
          .waitFor({ timeout: 10_000 })
          .catch(async (err) => {
            await page.screenshot({ path: `${SHOTS}/day-guard-picker-failed-${lang}-${width}.png` });
            throw err;
          });
        await page.screenshot({ path: `${SHOTS}/day-guard-picker-${lang}-${width}.png`, fullPage: false });
        await page.keyboard.press("Escape");
        await page.getByTestId("guard-lookup-check").click();
        await page.getByTestId("guard-lookup-answer").waitFor();
        await page.getByTestId("guard-lookup").screenshot({ path: `${SHOTS}/day-rates-lookup-${lang}-${width}.png` });
        expect(await page.getByTestId("guard-countries").textContent()).toContain(lang === "fr" ? "Inde" : "India");
        await page.screenshot({ path: `${SHOTS}/day-guard-${lang}-${width}.png`, fullPage: true });
        expect(await overflowX(page)).toBeLessThanOrEqual(1);
        // Each exception's pickers stay inside the exception's box (at 320 px they went past it by a few px).
        const past = await page.getByTestId("guard-exception").evaluateAll((items) =>
          items.flatMap((item) => {
            const edge = item.getBoundingClientRect().right;
            return [...item.querySelectorAll<HTMLElement>("*")]
              .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > edge + 0.5)
              .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join(".")}: ${Math.round(el.getBoundingClientRect().right - edge)}px`);
          }),
        );
        expect(past).toEqual([]);

        // megan, Billing Administrator: the department report and its budgets.
        await signIn(page, app.url, "megan@contoso.example");
        await page.goto(`${app.url}/#usage?preset=30d`);
        await page.getByTestId("department-table").waitFor();
        await page.getByTestId("department-chart").waitFor();
        await page.getByTestId("department-spend").scrollIntoViewIfNeeded();
        expect(await page.getByTestId("department-total").textContent()).toMatch(/Total/);
        await page.getByTestId("department-spend").screenshot({ path: `${SHOTS}/day-departments-${lang}-${width}.png` });
        expect(await overflowX(page)).toBeLessThanOrEqual(1);
        await context.close();
      }, 120_000);
    }
  }

  for (const lang of ["en", "fr"] as const) {
    for (const width of [1280, 320]) {
      it(`the overview's next action, add funds, alert settings and the usage table (${lang}, ${width} px)`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang === "fr" ? "fr-FR" : "en-US" });
        const page = await context.newPage();
        const shot = (name: string) => `${SHOTS}/day-${name}-${lang}-${width}.png`;
        await signIn(page, app.url, "megan@contoso.example");
        const problems: string[] = [];
        const fits = async (where: string) => {
          const over = await overflowX(page);
          if (over > 1) problems.push(`${where}: ${over}px too wide`);
        };

        // The next action at the top: auto-recharge is off, its fix beside it.
        await expect.poll(() => page.getByTestId("alert-banner").getAttribute("data-next-action")).toBe("turn_on_auto_recharge");
        await page.getByTestId("alert-banner").screenshot({ path: shot("next-action") });
        await fits("overview");
        // Add funds: a card picker, the default chosen.
        await expect.poll(() => page.getByTestId("add-funds-button").isEnabled()).toBe(true);
        await page.getByTestId("add-funds-button").click();
        await page.getByTestId("add-funds-card-4242").waitFor();
        expect(await page.getByTestId("add-funds-card-4242").isChecked()).toBe(true);
        await page.waitForTimeout(300);
        await page.screenshot({ path: shot("add-funds-picker") });
        await page.keyboard.press("Escape");

        // The alert settings: each threshold with what it means today, and the tenant's time zone.
        await page.goto(`${app.url}/#notifications`);
        const means = page.getByTestId("threshold-means");
        await expect.poll(() => means.count(), { timeout: 15_000 }).toBe(3);
        // 50 % and 25 % of the recharge amount of $80.00, as the API answered; then an amount.
        expect((await means.allTextContents()).map((m) => m.replace(/\s/g, " "))).toEqual(
          lang === "en"
            ? ["Today: below $40.00", "Today: below $20.00", "Today: below $10.00"]
            : ["Aujourd’hui : sous 40,00 $US", "Aujourd’hui : sous 20,00 $US", "Aujourd’hui : sous 10,00 $US"],
        );
        await page.getByTestId("thresholds").screenshot({ path: shot("thresholds") });
        await fits("notifications");
        await page.getByTestId("time-zone").scrollIntoViewIfNeeded();
        await page.getByTestId("time-zone-picker").click();
        await page.getByTestId("time-zone-picker").pressSequentially(lang === "fr" ? "paris" : "new york");
        await page.getByRole("listbox").getByRole("option").first().waitFor();
        await page.screenshot({ path: shot("time-zone") });
        await fits("time zone");
        // The focused picker stays inside its card (the card's content is not scrolled sideways), and the search finds the zone.
        expect(await page.getByTestId("time-zone").evaluate((card) => card.scrollLeft)).toBe(0);
        expect(await page.getByRole("listbox").getByRole("option").first().innerText()).toMatch(lang === "fr" ? /^Paris — / : /^New York — /);
        await page.keyboard.press("Escape");

        // The usage table: its column chooser open, a filter applied.
        await page.goto(`${app.url}/#usage?preset=30d`);
        await expect.poll(() => page.getByTestId("call-row").count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await page.getByTestId("calls-filter-user").selectOption({ label: "Diego Siciliani" });
        await expect.poll(() => page.getByTestId("calls-filtered").count()).toBe(1);
        await page.getByTestId("calls-columns").click();
        await page.getByTestId("calls-column-charge").waitFor();
        await page.getByTestId("usage-calls").screenshot({ path: shot("usage-calls") });
        await page.keyboard.press("Escape");
        // The call-type chart's axis: every label inside the chart's own box.
        await page.getByTestId("usage-call-type-chart").scrollIntoViewIfNeeded();
        await page.getByTestId("usage-by-call-type").screenshot({ path: shot("call-types") });
        const clipped = await clippedAxisLabels(page, "usage-call-type-chart");
        expect(clipped).toEqual([]);
        // Number column headers are right-aligned like their numbers (department table).
        const misaligned = await misalignedNumberHeaders(page, "department-table");
        expect(misaligned).toEqual([]);
        await fits("usage");

        // An impossible period: said once, in words, no totals of another period.
        await page.goto(`${app.url}/#usage?from=2026-12-01&to=2026-11-01`);
        await page.getByTestId("usage-period-impossible").waitFor();
        expect(await page.getByTestId("usage-period-impossible").count()).toBe(1);
        expect(await page.getByTestId("usage-total").count()).toBe(0);
        await page.screenshot({ path: shot("impossible-period") });
        await fits("impossible period");
        expect(problems).toEqual([]);
        await context.close();
      }, 120_000);
    }
  }
});
