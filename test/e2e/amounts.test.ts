/**
 * Issue 22, item 4: no amount the tab shows has more than two decimals, rates per minute excepted
 * (they say "a minute" / "per minute" beside them). Every page that shows money (overview, usage
 * with spend by department, ledger, notifications with their settings and low-balance alerts, the
 * guard with its lookup, rates after a lookup), in English and French, scanned as rendered text
 * (SVG chart labels included) with one regex per locale. The scanner is shown to catch a
 * three-decimal amount on every page it reads, and to let a labelled rate through.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { call } from "../integration/usage-fixtures.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A currency amount and its decimals, per locale: "$1,234.5678" / "-$0.02"; "1 234,5678 $US". */
const AMOUNT: Record<"en" | "fr", string> = {
  en: String.raw`[-−]?\$\s?\d[\d,]*(?:\.(\d+))?`,
  fr: String.raw`[-−]?\d[\d\s\u00a0\u202f.]*(?:,(\d+))?\s?\$\s?US`,
};

async function signIn(page: Page, url: string, upn: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector("[data-first-frame]") && document.querySelector('[data-testid="sign-out"], [data-testid^="signin-"]'));
  if (await page.getByTestId("sign-out").isVisible()) await page.getByTestId("sign-out").click();
  await page.getByTestId(`signin-${upn}`).click();
  await expect.poll(() => page.getByTestId("signed-in-user").getAttribute("data-upn")).toBe(upn);
}

/** Amounts on the page with more than two decimals that are not labelled as rates, with the text around them. */
function overPrecise(page: Page, lang: "en" | "fr"): Promise<string[]> {
  return page.evaluate((source) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest("script, style")) continue;
      const text = node.textContent ?? "";
      for (const m of text.matchAll(new RegExp(source, "g"))) {
        if ((m[1] ?? "").length <= 2) continue;
        // A rate per minute says so beside it: in its own sentence, or as the label before its value.
        const block = el.closest("p, li, dd, td, div, span, text") ?? el;
        const label = block.previousElementSibling?.textContent ?? "";
        if (/minute/i.test(block.textContent ?? "") || /minute/i.test(label)) continue;
        found.push(`${m[0]} in "${text.trim().slice(0, 80)}"`);
      }
    }
    return found;
  }, AMOUNT[lang]);
}

/** The scanner catches a wrongly formatted amount on this page, and lets a labelled rate through. */
async function scannerCatches(page: Page, lang: "en" | "fr"): Promise<void> {
  const [wrong, rate] = lang === "en" ? ["$12.345", "Rate: $0.0213 a minute."] : ["12,345 $US", "Tarif : 0,0213 $US la minute."];
  await page.evaluate(
    ([w, r]) => {
      const probe = document.createElement("div");
      probe.id = "amount-probe";
      probe.innerHTML = `<p>Total ${w}</p><p>${r}</p>`;
      document.body.append(probe);
    },
    [wrong, rate],
  );
  const found = await overPrecise(page, lang);
  await page.evaluate(() => document.getElementById("amount-probe")?.remove());
  const probed = found.filter((f) => f.includes("Total ") || /minute/.test(f)).map((f) => f.split(" in ")[0]!.replace(/[\s\u00a0\u202f]/g, " "));
  expect(probed).toEqual([wrong]);
}

/** A funded account with auto-recharge, calls charged in fractions of a cent, low-balance alerts and a department budget. */
async function seed(app: App): Promise<void> {
  const megan = await ApiClient.funded(app.url, "megan@contoso.example", 100);
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  // Calls whose charges are not whole cents (per-minute rates with four decimals), so a page that shows micros as they are would show it.
  await megan.postMoney("/api/v1/usage/records", {
    records: [
      call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 1237, start: at(30) }),
      call({ upn: "diego@contoso.example", to: "+639171234567", seconds: 413, start: at(50) }),
      call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 611, start: at(20) }),
      call({ callType: "conf_in", to: "+18005550100", seconds: 907, start: at(10), inventoryType: "Toll free" }),
    ],
  });
  await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
  // 12.345 % of $50.00 is $6.1725: the settings must show it to the cent.
  const settings = (await megan.get("/api/v1/notification-settings")).body;
  expect(
    (
      await megan.put("/api/v1/notification-settings", {
        ...settings,
        lowBalanceToday: undefined,
        lowBalanceThresholds: [{ percentOfRecharge: 12.345 }, { amountMicros: 30_000_000 }],
      })
    ).status,
  ).toBe(200);
  await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(5), mode: "block" }] });
}

describe("amounts in the tab: two decimals at most, rates excepted (issue 22)", () => {
  let world: TestWorld;
  let app: App;
  let browser: Browser;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    await seed(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const lang of ["en", "fr"] as const) {
    it(`every page in ${lang === "en" ? "English" : "French"}`, { timeout: 180_000 }, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === "fr" ? "fr-FR" : "en-US" });
      const page = await context.newPage();
      await signIn(page, app.url, "megan@contoso.example");
      const found: string[] = [];
      let amounts = 0;
      for (const id of ["overview", "usage", "ledger", "notifications", "guard", "rates"] as const) {
        await page.goto(`${app.url}/?lang=${lang}#/${id}`);
        await page.waitForLoadState("networkidle");
        await page.waitForFunction(() => !document.querySelector('[data-testid="loading"], .fui-Skeleton'));
        if (id === "usage") await page.getByTestId("department-table").waitFor();
        if (id === "notifications") {
          // 12.345 % of $50.00 is $6.1725 in micros, as the API answered it: shown (the scan below judges its decimals).
          await expect.poll(() => page.getByTestId("threshold-means").first().textContent()).toMatch(lang === "en" ? /\$6\.17\d*$/ : /6,17\d*\s\$US$/);
        }
        if (id === "guard") {
          await page.getByTestId("guard-lookup-number").fill("+447700900123");
          await page.getByTestId("guard-lookup-check").click();
          await page.getByTestId("guard-lookup-answer").waitFor();
        }
        if (id === "rates") {
          await page.getByTestId("rate-number").fill("+447700900123");
          await page.getByTestId("rate-lookup").click();
          await page.getByTestId("rate-result").waitFor();
        }
        await page.waitForTimeout(300);
        amounts += await page.evaluate((source) => (document.body.innerText.match(new RegExp(source, "g")) ?? []).length, AMOUNT[lang]);
        for (const f of await overPrecise(page, lang)) found.push(`${id}: ${f}`);
        await scannerCatches(page, lang);
      }
      // The pages did show money (the scan read something), and none of it past the cent.
      expect(amounts).toBeGreaterThan(20);
      expect(found).toEqual([]);
      await context.close();
    });
  }
});
