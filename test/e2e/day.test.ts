/**
 * Issue 22 items 5 and 6 in Chromium: the guard page (country picker with names in the reader's
 * language and search, exceptions per user and group, the lookup for a chosen user) and spend by
 * department (chart, table with totals, budgets), in English and French at 1280 and 320 px.
 * Screenshots go to test/e2e/screenshots/ (git-ignored) for a person to look at.
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

describe("issue 22 in the tab", () => {
  let world: TestWorld;
  let app: App;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await startWorld();
    app = await world.app();
    const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
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
        expect(await page.getByTestId("guard-countries").textContent()).toContain(lang === "fr" ? "Inde" : "India");
        await page.screenshot({ path: `${SHOTS}/day-guard-${lang}-${width}.png`, fullPage: true });
        expect(await overflowX(page)).toBeLessThanOrEqual(1);

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
});
