/**
 * The bot in Microsoft's own local Teams client: Microsoft 365 Agents Playground (the pinned
 * devDependency, started on a free port with telemetry off and a config of Contoso's users),
 * driven through its web UI in Chromium (Debian's, by playwright-core), against the real app in a
 * child process on a free port with a fresh data directory. The playground is the Bot Connector
 * here: every reply, proactive card and card update the bot sends goes to it, and it refuses what
 * Teams refuses. Nothing in Microsoft's client is mocked.
 *
 * Megan (Billing Administrator) chats with the bot, receives every notification kind by herself,
 * presses each card's buttons; then posts `notify here` in the team's channel and sees the next
 * card there. Diego (no admin role), in a second playground of his own, is refused politely and
 * gets no card. Screenshots of each step go to test/e2e/screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { startChildApp, type ChildApp } from "../support/child-app.js";
import { ApiClient, usd } from "../support/http.js";
import { call } from "../integration/usage-fixtures.js";
import { demoUser, startPlayground, type Playground } from "../../scripts/playground.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "test/e2e/screenshots";
const TITLE = {
  succeeded: "Auto-recharge succeeded",
  failed: "Auto-recharge failed",
  low: "Communications Credits balance is low",
  zero: "Communications Credits balance is at zero",
  paused: "Auto-recharge paused",
  spike: "Unusual calling spend",
  fundsAdded: "Funds added",
} as const;
/** How long a card may take to appear in the client after its cause (generous: two cores, shared). */
const ARRIVES_MS = 20_000;

// A step waits for cards and answers up to ARRIVES_MS several times: more than vitest's default 60 s per test.
describe("the bot in Microsoft 365 Agents Playground", { timeout: 150_000 }, () => {
  const started = Date.now();
  let dataDir: string;
  let app: ChildApp;
  let browser: Browser;
  let megan: ApiClient;
  let meganPlayground: Playground;
  let diegoPlayground: Playground | undefined;
  let page: Page;
  let shot = 0;
  /** Errors thrown in the client's page (a card it cannot handle shows up here first). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-playground-"));
    // The background jobs as `npm start` runs them (retries, the notifier's safety round).
    // LOG_LEVEL info: startChildApp reads the port from the "is up" line; the output stays in memory, for failures.
    app = await startChildApp({ DATA_DIR: dataDir, JOBS_INTERVAL_MS: "5000" });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) })).status).toBe(201);
    meganPlayground = await startPlayground({ appUrl: app.url, user: demoUser("megan"), dir: join(dataDir, "playground-megan") });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: "en-US" });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // The cards' deep links go to Teams on the internet: this machine has none; the link is checked, not followed.
    await page.context().route(/^https:\/\/teams\.microsoft\.com\//, (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "Teams" }));
    await mkdir(SHOTS, { recursive: true });
    await page.goto(meganPlayground.url);
  }, 180_000);

  afterAll(async () => {
    // What the app and the client said, beside the screenshots, for a person reading a failure.
    if (app) await writeFile(`${SHOTS}/playground-app.log`, app.output());
    if (meganPlayground) await writeFile(`${SHOTS}/playground-client.log`, `${meganPlayground.output()}\npage errors:\n${pageErrors.join("\n")}\n`);
    await browser?.close();
    await Promise.all([meganPlayground?.close(), diegoPlayground?.close()]);
    await app?.kill("SIGTERM");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    console.log(`playground e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  async function screenshot(name: string, on: Page = page): Promise<void> {
    shot++;
    await on.screenshot({ path: `${SHOTS}/playground-${String(shot).padStart(2, "0")}-${name}.png` });
  }

  async function say(text: string, on: Page = page): Promise<void> {
    const editor = on.locator("[data-lexical-editor=true]").last();
    await editor.click();
    await on.keyboard.type(text);
    await on.keyboard.press("Enter");
    await expect.poll(() => on.getByText(text, { exact: true }).count()).toBeGreaterThan(0);
  }

  /** Every top-level Adaptive Card shown (not a Show Card's inner card), oldest first. */
  const allCards = (on: Page = page): Locator => on.locator(".ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)");
  /** The cards whose text has `title` (a live query: a card whose text changes may leave it). */
  const cards = (title: string | RegExp, on: Page = page): Locator => allCards(on).filter({ hasText: title });

  /**
   * The card at its place in the conversation: messages are only appended, so the place of a card
   * stays while its content is replaced (an Action.Execute answer, an update of every copy).
   */
  async function cardAt(test: (text: string) => boolean, nth = 0, since = 0, on: Page = page): Promise<Locator> {
    const texts = await allCards(on).allInnerTexts();
    const places = texts.flatMap((text, i) => (i >= since && test(text) ? [i] : []));
    expect(places.length, "matching cards").toBeGreaterThan(nth);
    return allCards(on).nth(places[nth]);
  }

  /** Wait until the element's text says `text` (Adaptive Cards render as their answers arrive). */
  async function shows(element: Locator, text: string): Promise<void> {
    await expect.poll(() => element.innerText().catch(() => ""), { timeout: ARRIVES_MS, message: `shows "${text}"` }).toContain(text);
  }

  const balance = async (): Promise<number> => (await megan.get("/api/v1/account")).body.balanceMicros;

  /** Where the conversation ends now: cards after this place came after what follows. */
  const mark = (): Promise<number> => allCards().count();

  /**
   * Wait for the `nth` new card of `title` after `since` (a notification arriving by itself). New
   * messages are appended; counting titles over the whole chat would not do, since a card answered
   * by its action (Add funds → the confirmation) no longer shows its title.
   */
  async function arrives(title: string, since: number, nth = 0): Promise<Locator> {
    const fresh = async () => (await allCards().allInnerTexts()).slice(since).filter((text) => text.includes(title)).length;
    await expect.poll(fresh, { timeout: ARRIVES_MS, message: `a new "${title}" card` }).toBeGreaterThan(nth);
    return cardAt((text) => text.includes(title), nth, since);
  }

  /** Press a card button and wait for that card, at its place, to say what happened (updated in place). */
  async function press(card: Locator, button: string, says: string): Promise<void> {
    await card.getByRole("button", { name: button, exact: true }).click();
    await shows(card, says);
  }

  /** An Action.OpenUrl button (the renderer gives it the role link) opens the tab's deep link in Teams. */
  async function opensTab(card: Locator, button: string): Promise<void> {
    const [popup] = await Promise.all([page.waitForEvent("popup"), card.getByRole("link", { name: button, exact: true }).click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/entity\//);
    await popup.close();
  }

  /** Add funds from a low or zero card: Show Card, the amount, Continue, then Charge on the confirmation. */
  async function addFundsFrom(card: Locator, amount: number): Promise<void> {
    const before = await balance();
    await card.getByRole("button", { name: "Add funds", exact: true }).click();
    const input = card.locator("input").first();
    await input.fill(String(amount));
    await card.getByRole("button", { name: "Continue", exact: true }).click();
    await shows(card, `Charge $${amount}.00`);
    await card.getByRole("button", { name: `Charge $${amount}.00`, exact: true }).click();
    await expect.poll(balance, { timeout: ARRIVES_MS, message: `the balance after Charge (client errors: ${pageErrors.join("; ") || "none"})` }).toBe(before + usd(amount));
    // In place of the notification, the confirmation's answer ("Done: … added") or the update of
    // every copy of the event's card ("Megan Bowen added …"), whichever the client drew last.
    await shows(card, "added");
  }

  async function debitTo(target: number): Promise<void> {
    const debit = (await balance()) - target;
    expect(debit).toBeGreaterThan(0);
    expect((await megan.postMoney("/api/dev/debit", { amountMicros: debit })).status).toBe(201);
  }

  async function openPersonalChat(on: Page = page): Promise<void> {
    await on.getByText("Personal Chat", { exact: true }).click();
  }

  it("greets megan when the app is installed in her personal chat", async () => {
    await page.getByText("Hi! I'm Communications Credits.", { exact: false }).first().waitFor({ state: "visible", timeout: 30_000 });
    await screenshot("greeting");
  });

  it("answers help, balance and usage", async () => {
    await say("help");
    await page.getByText("I understand:", { exact: false }).last().waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("help");
    await say("balance");
    await cards("$100.00").last().waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("balance");
    await say("usage");
    await cards("Calling usage").last().waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("usage");
  });

  it("top up 100: Charge on the confirmation charges once, a second click on the same card charges nothing", async () => {
    await say("top up 100");
    await cards("Charge $100.00").first().waitFor({ state: "visible", timeout: ARRIVES_MS });
    const confirm = await cardAt((text) => text.includes("Charge $100.00"));
    await confirm.waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("top-up-confirmation");
    const before = await balance();
    const charge = confirm.getByRole("button", { name: "Charge $100.00", exact: true });
    // Both clicks of a double click carry the same card data: the API charges once.
    await charge.dblclick();
    await expect.poll(balance, { timeout: ARRIVES_MS, message: `the balance after Charge (client errors: ${pageErrors.join("; ") || "none"})` }).toBe(before + usd(100));
    // Once more if the button is still there: the card may be replaced by its answer meanwhile.
    await charge.click({ timeout: 1_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await balance()).toBe(before + usd(100));
    const funding = (await megan.get("/api/v1/ledger?limit=20")).body.items.filter(
      (e: { kind: string; amountMicros: number }) => e.kind === "funding" && e.amountMicros === usd(100),
    );
    // The setup's 100.00 and this one.
    expect(funding).toHaveLength(2);
    await shows(confirm, "$100.00 added");
    await screenshot("top-up-charged");
  });

  it("a spending spike: both cards arrive by themselves; Restrict to domestic and Block this destination act and update the cards", async () => {
    const start = new Date(Date.now() - 55 * 60_000).toISOString();
    // Five parallel 50-minute calls to a UK mobile: 25.00 in the hour, with no baseline.
    const burst = Array.from({ length: 5 }, () => call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 3000, start }));
    const since = await mark();
    expect((await megan.postMoney("/api/v1/usage/records", { records: burst })).body.accepted).toBe(5);
    // One for the user, one for the destination.
    await arrives(TITLE.spike, since, 1);
    await screenshot("spike-cards");
    const byUser = await cardAt((text) => text.includes(TITLE.spike) && text.includes("lee@contoso.example"));
    const byDestination = await cardAt((text) => text.includes(TITLE.spike) && text.includes("United Kingdom") && !text.includes("lee@contoso.example"));
    await press(byUser, "Restrict to domestic", "restricted calling to domestic numbers");
    expect((await megan.get("/api/v1/guard")).body.domesticOnly).toBe(true);
    await press(byDestination, "Block this destination", "blocked this destination");
    expect((await megan.get("/api/v1/guard")).body.blockedCountries).toContain("GB");
    await screenshot("spike-acted");
  });

  it("balance low: the card arrives by itself; Add funds charges the amount asked and Turn on auto-recharge opens the tab", async () => {
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(50), thresholdMicros: usd(20) })).status).toBe(200);
    const since = await mark();
    await debitTo(usd(15));
    const low = await arrives(TITLE.low, since);
    await shows(low, "$15.00");
    await screenshot("balance-low");
    await opensTab(low, "Turn on auto-recharge");
    await addFundsFrom(low, 50);
    await screenshot("balance-low-funded");
  });

  it("balance at zero: the card arrives by itself; Add funds from it restores the balance", async () => {
    const crosses = (await balance()) >= usd(20);
    const since = await mark();
    await debitTo(-usd(5));
    const zero = await arrives(TITLE.zero, since);
    // Crossing the threshold on the way down says low too.
    if (crosses) await arrives(TITLE.low, since);
    await screenshot("balance-zero");
    await addFundsFrom(zero, 50);
    await screenshot("balance-zero-funded");
  });

  it("recharge succeeded: the card arrives by itself", async () => {
    if ((await balance()) < usd(60)) expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) })).status).toBe(201);
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20), maxRechargesPerDay: 1 })).status).toBe(200);
    const since = await mark();
    await debitTo(usd(15));
    const succeeded = await arrives(TITLE.succeeded, since);
    await shows(succeeded, "$50.00");
    await expect.poll(balance, { timeout: ARRIVES_MS }).toBe(usd(65));
    await screenshot("recharge-succeeded");
  });

  it("auto-recharge paused by the breaker: the card arrives by itself; Resume auto-recharge resumes it", async () => {
    const since = await mark();
    await debitTo(usd(15));
    const paused = await arrives(TITLE.paused, since);
    await screenshot("recharge-paused");
    expect((await megan.get("/api/v1/account")).body.autoRecharge.paused).not.toBeNull();
    const resumedAt = await mark();
    await press(paused, "Resume auto-recharge", "resumed auto-recharge");
    expect((await megan.get("/api/v1/account")).body.autoRecharge.paused).toBeNull();
    // Resumed below the threshold: the next recharge follows at once.
    await arrives(TITLE.succeeded, resumedAt);
    await screenshot("recharge-resumed");
  });

  it("recharge failed on an expired card: the card arrives by itself; Retry now retries, Update payment method opens the tab", async () => {
    const since = await mark();
    const expired = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclinedExpiredCard" });
    expect((await megan.put("/api/v1/account/payment-method", { paymentMethodId: expired.body.id })).status).toBe(200);
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20), maxRechargesPerDay: 10 })).status).toBe(200);
    if ((await balance()) >= usd(20)) await debitTo(usd(15));
    const failed = await arrives(TITLE.failed, since);
    await shows(failed, "expired");
    await screenshot("recharge-failed");
    await opensTab(failed, "Update payment method");
    await press(failed, "Retry now", "retried the recharge");
    await screenshot("recharge-retried");
    // Back to a card that works, for what follows.
    const visa = (await megan.get("/api/v1/payment-methods")).body.items.find((pm: { last4: string }) => pm.last4 === "4242");
    expect((await megan.put("/api/v1/account/payment-method", { paymentMethodId: visa.id })).status).toBe(200);
  });

  it("each notification arrived once", async () => {
    await new Promise((r) => setTimeout(r, 1_500));
    const notes = (await megan.get("/api/v1/notifications?limit=100")).body.items as { kind: string; recipients: { upn: string; status: string; attempts: number }[] }[];
    const kinds = {
      recharge_succeeded: TITLE.succeeded,
      recharge_failed: TITLE.failed,
      balance_low: TITLE.low,
      balance_depleted: TITLE.zero,
      recharge_paused: TITLE.paused,
      spend_spike: TITLE.spike,
    } as const;
    for (const [kind, title] of Object.entries(kinds)) {
      const events = notes.filter((n) => n.kind === kind);
      expect(events.length, kind).toBeGreaterThan(0);
      // Sent to megan's chat in the client on the first try, every one of them.
      for (const event of events)
        expect(
          event.recipients.find((r) => r.upn === "megan@contoso.example"),
          kind,
        ).toMatchObject({ status: "sent", attempts: 1 });
      // No card twice: at most one per event (one replaced by its action's answer, Add funds → the confirmation, shows another title).
      expect(await cards(title).count(), `"${title}" cards`).toBeLessThanOrEqual(events.length);
    }
    await screenshot("personal-chat-end");
  });

  it("diego (no admin role), in his own playground, is refused politely", async () => {
    diegoPlayground = await startPlayground({ appUrl: app.url, user: demoUser("diego"), dir: join(dataDir, "playground-diego") });
    const diego = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: "en-US" });
    await diego.goto(diegoPlayground.url);
    await diego.getByText("Hi! I'm Communications Credits.", { exact: false }).first().waitFor({ state: "visible", timeout: 30_000 });
    await say("balance", diego);
    await diego.getByText("Only admins in the billing or Teams admin roles", { exact: false }).last().waitFor({ state: "visible", timeout: ARRIVES_MS });
    expect(await cards(/./, diego).count()).toBe(0);
    await screenshot("diego-refused", diego);
  });

  it("notify here in the team channel, then the next event's card is posted in that channel; diego gets none", async () => {
    await page.getByText("Billing", { exact: true }).first().click();
    await page.getByText("Hi! I'm Communications Credits.", { exact: false }).first().waitFor({ state: "visible", timeout: ARRIVES_MS });
    // The new-post box comes first, above the posts' reply boxes. In a channel Teams gives the bot
    // only what @mentions it: typing @ opens the client's mention picker.
    await page.locator("[data-lexical-editor=true]").first().click();
    await page.keyboard.type("@Comm");
    await page.locator("#typeahead-menu [role=menuitem]", { hasText: "Communications Credits" }).click();
    await page.keyboard.type(" notify here");
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await screenshot("channel-posted");
    await page.getByText("This channel now gets Communications Credits notifications too.", { exact: false }).first().waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("channel-notify-here");
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(75) })).status).toBe(201);
    await cards(TITLE.fundsAdded).filter({ hasText: "$75.00" }).first().waitFor({ state: "visible", timeout: ARRIVES_MS });
    await screenshot("channel-card");
    const notes = (await megan.get("/api/v1/notifications?limit=5")).body.items as { kind: string; channels: { status: string }[] }[];
    expect(notes.find((n) => n.kind === "funds_added")?.channels.map((c) => c.status)).toEqual(["sent"]);
    // Diego's chat: still no card (he is in no notified role).
    const diego = browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith(diegoPlayground!.url))!;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await cards(/./, diego).count()).toBe(0);
    await screenshot("diego-no-card", diego);
    await openPersonalChat();
  });
});
