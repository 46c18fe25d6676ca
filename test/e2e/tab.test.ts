/**
 * The tab in real Chromium (Debian's, driven by playwright-core), served by the app like
 * `npm start` serves it: sign in as a demo admin, add a test card, add funds, see the ledger,
 * see a refusal explained, manage a license.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import { startWorld, type TestWorld } from "../support/world.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("the Credits tab in Chromium", () => {
  let world: TestWorld;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    if (!existsSync("tab/dist/index.html")) throw new Error("tab/dist is missing: npm test builds it first (npm run build)");
    world = await startWorld();
    url = (await world.app()).url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await mkdir("test-results", { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("signs in as the billing admin and shows an account that is not set up", async () => {
    await page.goto(url);
    await page.getByTestId("signin-megan@contoso.example").click();
    await expect.poll(() => page.getByTestId("signed-in-user").getAttribute("data-upn")).toBe("megan@contoso.example");
    await expect.poll(() => page.getByTestId("status").getAttribute("data-status")).toBe("not_set_up");
    expect(await page.getByTestId("balance").getAttribute("data-balance-micros")).toBe("0");
  });

  it("explains a refusal next to the amount: funds without a payment method", async () => {
    await page.getByTestId("add-funds-button").click();
    await page.getByTestId("amount-input").fill("60");
    await page.getByTestId("add-funds-submit").click();
    await expect.poll(() => page.getByTestId("error-bar").getAttribute("data-code")).toBe("no_payment_method");
    await page.keyboard.press("Escape");
  });

  it("adds a test card and funds, and the balance and ledger show them", async () => {
    await page.getByTestId("test-card-select").selectOption("tok_visa");
    await page.getByTestId("add-card-button").click();
    await expect.poll(() => page.getByTestId("payment-method").textContent()).toContain("4242");
    await page.getByTestId("add-funds-button").click();
    await page.getByTestId("amount-input").fill("60.50");
    await page.getByTestId("add-funds-submit").click();
    await expect.poll(() => page.getByTestId("balance").getAttribute("data-balance-micros")).toBe("60500000");
    expect(await page.getByTestId("balance").textContent()).toContain("$60.50");
    expect(await page.getByTestId("status").getAttribute("data-status")).toBe("active");
    await page.screenshot({ path: "test-results/tab-overview.png", fullPage: true });

    await page.getByTestId("nav-ledger").click();
    await expect.poll(() => page.getByTestId("ledger-row").count()).toBe(1);
    expect(await page.getByTestId("ledger-row").first().getAttribute("data-kind")).toBe("funding");
    expect(await page.getByTestId("ledger-row").first().getAttribute("data-amount-micros")).toBe("60500000");
  });

  it("lets a Global Administrator assign a license", async () => {
    await page.getByTestId("sign-out").click();
    await page.getByTestId("signin-lee@contoso.example").click();
    await page.getByTestId("nav-users").click();
    const lynne = page.getByTestId("license-switch-lynne@contoso.example");
    await expect.poll(() => lynne.isChecked()).toBe(false);
    await lynne.click();
    await expect.poll(() => lynne.isChecked()).toBe(true);
    const users = await (await fetch(`${url}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn: "lee@contoso.example" }) })).json();
    const list = await (await fetch(`${url}/api/v1/users`, { headers: { authorization: `Bearer ${users.token}` } })).json();
    expect(list.items.find((u: { upn: string }) => u.upn === "lynne@contoso.example").licensed).toBe(true);
  });
});
