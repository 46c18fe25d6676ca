/**
 * Issue 20 in real Chromium: the e-mails the local Graph received (through the real Graph client,
 * MIME) drawn as a person reads them, in English and in French; the tab's local-world panel with
 * the e-mails and feed items; and the overview's warning for a tenant nobody could be told in.
 * Screenshots go to test/e2e/screenshots/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import { CONTOSO_TENANT_ID, DEMO_TENANTS, FABRIKAM_TENANT_ID, type DemoTenant } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { until } from "../support/until.js";
import type { App } from "../../api/src/app.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "test/e2e/screenshots";
const ADELE = "a1f0c0de-0000-4000-8000-000000000002";
const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const NESTOR = "b2f0c0de-0000-4000-8000-000000000001";
const tenants: DemoTenant[] = DEMO_TENANTS.map((t) => ({ ...t, users: t.users.map((u) => (u.id === ADELE ? { ...u, preferredLanguage: "fr-FR" } : u)) }));

async function signIn(page: Page, url: string, upn: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector("[data-first-frame]") && document.querySelector('[data-testid="sign-out"], [data-testid^="signin-"]'));
  if (await page.getByTestId("sign-out").isVisible()) await page.getByTestId("sign-out").click();
  await page.getByTestId(`signin-${upn}`).click();
  await expect.poll(() => page.getByTestId("signed-in-user").getAttribute("data-upn")).toBe(upn);
}

describe("reach in Chromium: the e-mails, the local panel, nobody told", () => {
  let world: TestWorld;
  let app: App;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync("tab/dist/index.html")) throw new Error("tab/dist is missing: npm run build:tab");
    world = await startWorld({ tenants });
    app = await world.app();
    // Contoso's policy refuses the app for adele (reads French) and lee (English); Fabrikam's for nestor, its only admin.
    world.graph.refuseInstallFor([ADELE, LEE, NESTOR]);
    for (const [tenant, user] of [
      [CONTOSO_TENANT_ID, ADELE],
      [CONTOSO_TENANT_ID, LEE],
      [FABRIKAM_TENANT_ID, NESTOR],
    ])
      await app.services.installations.remove(tenant, `user:${user}`);
    const megan = await ApiClient.funded(app.url, "megan@contoso.example", 100);
    const expired = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclinedExpiredCard" });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: expired.body.id });
    await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    await megan.postMoney("/api/dev/debit", { amountMicros: usd(90) });
    const nestor = await ApiClient.funded(app.url, "nestor@fabrikam.example", 50);
    await nestor.postMoney("/api/dev/debit", { amountMicros: usd(50) });
    await app.settle();
    await until(
      () => world.graph.mails(CONTOSO_TENANT_ID).filter((m) => m.subject.includes("—")),
      (m) => m.length >= 2,
      20_000,
    );
    await until(
      async () => (await nestor.get("/api/v1/account")).body.unreachedEvents ?? [],
      (u) => u.length > 0,
      20_000,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 900, height: 900 }, locale: "en-US" });
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("draws each failed-recharge e-mail as a person reads it: lee's in English, adele's in French", async () => {
    const failed = world.graph.mails(CONTOSO_TENANT_ID).filter((m) => /Auto-recharge failed|La recharge automatique a échoué/.test(m.subject));
    const byTo = Object.fromEntries(failed.map((m) => [m.to[0], m]));
    expect(Object.keys(byTo).sort()).toEqual(["adele@contoso.example", "lee@contoso.example"]);
    for (const [to, lang, shot] of [
      ["lee@contoso.example", "en", "email-en.png"],
      ["adele@contoso.example", "fr", "email-fr.png"],
    ] as const) {
      const mail = byTo[to];
      await page.setContent(mail.html, { waitUntil: "load" });
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      const body = await page.locator("body").innerText();
      expect(body).toContain(lang === "en" ? "$50.00" : "50,00\u00a0$US");
      expect(body).toContain(lang === "en" ? "The card has expired." : "La carte a expiré.");
      expect(body).toContain(lang === "en" ? "At zero these stop" : "À zéro, ceci s'arrête");
      // The action is a link into Teams, drawn as a button a person can see.
      const action = page.locator("a").first();
      expect(await action.getAttribute("href")).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/entity\//);
      expect((await action.boundingBox())!.height).toBeGreaterThan(30);
      await page.screenshot({ path: `${SHOTS}/${shot}`, fullPage: true });
    }
  });

  it("the local-world panel shows the e-mails and the feed items megan got", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, app.url, "megan@contoso.example");
    await page.getByTestId("nav-notifications").click();
    await expect.poll(() => page.getByTestId("local-mail").count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId("local-feed-item").count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId("local-feed-item").first().innerText()).toContain("Auto-recharge of $50.00 failed: The card has expired.");
    // Why adele was not reached in Teams, in words with the fix (the API sends the code).
    const adele = page.locator('[data-testid="notification-recipient"][data-reason="app_install_refused"]').first();
    expect(await adele.innerText()).toContain(
      "adele@contoso.example: app not installed · Teams chat · the app could not be installed for them: the app permission policy blocks it.",
    );
    const frames = page.locator('[data-testid="local-mail-html"]');
    const count = await frames.count();
    // Each e-mail's HTML is drawn in its own sandboxed frame: wait until every one has painted its heading.
    for (let i = 0; i < count; i++) {
      await frames.nth(i).scrollIntoViewIfNeeded();
      await expect.poll(() => page.frameLocator('[data-testid="local-mail-html"]').nth(i).locator("h1").innerText()).toMatch(/\S/);
    }
    expect(await page.frameLocator('[data-testid="local-mail-html"]').first().locator("h1").innerText()).toMatch(/Auto-recharge failed|La recharge automatique a échoué/);
    // One e-mail at a time, in the viewport: Chromium paints a sandboxed frame only where it is on screen.
    for (let i = 0; i < Math.min(count, 2); i++) {
      const mail = page.getByTestId("local-mail").nth(i);
      await mail.scrollIntoViewIfNeeded();
      await mail.screenshot({ path: `${SHOTS}/local-graph-mail-${i + 1}.png` });
    }
    await page.getByTestId("local-feed").scrollIntoViewIfNeeded();
    await page.getByTestId("local-feed").screenshot({ path: `${SHOTS}/local-graph-feed.png` });
  });

  it("a tenant where nobody can be reached: the overview says which event, who, why, and what to do", async () => {
    await signIn(page, app.url, "nestor@fabrikam.example");
    const warning = page.getByTestId("unreached-warning");
    await expect.poll(() => warning.isVisible(), { timeout: 15_000 }).toBe(true);
    const text = await warning.innerText();
    expect(text).toContain("An urgent notification reached nobody");
    expect(text).toContain("Balance depleted");
    expect(text).toContain("nestor@fabrikam.example by Teams chat");
    expect(text).toContain("nestor@fabrikam.example by e-mail");
    expect(text).toContain("This warning stays until an urgent notification reaches an admin again.");
    // Why, in words with the fix: the API sends codes, the raw answers of Graph stay in its logs.
    expect(text).toContain("the app could not be installed for them: the app permission policy blocks it. Allow the app in the Teams admin center");
    expect(text).toContain("Check the sender mailbox (NOTIFY_SENDER_MAILBOX)");
    expect(text).not.toMatch(/app_install_refused|mailbox_forbidden|Forbidden|ErrorAccessDenied/);
    await page.screenshot({ path: `${SHOTS}/overview-unreached.png`, fullPage: true });
    // The same in French.
    await page.goto(`${app.url}/?lang=fr#/overview`);
    await expect.poll(() => warning.isVisible(), { timeout: 15_000 }).toBe(true);
    const fr = await warning.innerText();
    expect(fr).toContain("la stratégie d'autorisation des applications la bloque");
    expect(fr).toContain("Vérifiez la boîte d'envoi (NOTIFY_SENDER_MAILBOX)");
    await page.screenshot({ path: `${SHOTS}/overview-unreached-fr.png`, fullPage: true });
  });
});
