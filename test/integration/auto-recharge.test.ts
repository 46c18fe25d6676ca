import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestWorld } from "../support/world.js";
import { fundedContoso } from "../support/recharge.js";
import { cardText } from "../support/notification-events.js";
import { ApiClient, usd } from "../support/http.js";
import { expectExactLedger } from "../support/ledger.js";
import type { ManualClock } from "../../api/src/shared/clock.js";
import type { App } from "../../api/src/app.js";

const CONTOSO = "11111111-1111-4111-8111-111111111111";
const ADMINS = ["adele@contoso.example", "lee@contoso.example", "megan@contoso.example"];

const setUp = (token: string) => fundedContoso({ token });

const debit = (client: ApiClient, units: number) => client.postMoney("/api/dev/debit", { amountMicros: usd(units) });

async function notifications(client: ApiClient, kind: string) {
  return (await client.get("/api/v1/notifications?limit=100")).body.items.filter((n: { kind: string }) => n.kind === kind);
}

describe("auto-recharge with a good card", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, megan } = await setUp("tok_visa")));
  afterAll(() => world.close());

  it("enabling it needs a payment method", async () => {
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    const res = await nestor.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("no_payment_method");
  });

  it("a debit that leaves the balance below the threshold recharges once and tells the admins", async () => {
    expect((await debit(megan, 70)).status).toBe(201); // 100 - 70 = 30: above 20, nothing happens
    await app.settle();
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(30));
    expect((await debit(megan, 15)).status).toBe(201); // 30 - 15 = 15 < 20: crossing 1
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(usd(65));
    expect(account.lastRecharge).toMatchObject({ status: "succeeded", amountMicros: usd(50), tries: 1 });
    const entries = await expectExactLedger(megan);
    expect(entries.map((e) => e.kind)).toEqual(["funding", "usage", "usage", "auto_recharge"]);
    const [told] = await notifications(megan, "recharge_succeeded");
    expect(told.recipients.map((r: { upn: string }) => r.upn).sort()).toEqual(ADMINS);
    expect(told.data).toMatchObject({ amountMicros: usd(50), balanceAfterMicros: usd(65), currency: "USD" });
  });

  it("each decision below the threshold recharges once, and a recharge restores the threshold", async () => {
    // 65 → 45 → 25: both above 20. Then 25 → 19: recharge 2 → 69; 69 → 10: recharge 3 → 60.
    for (const units of [20, 20, 6, 59]) {
      await debit(megan, units);
      await app.settle();
    }
    let entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge").map((e) => e.ref)).toEqual(["recharge:rc-1", "recharge:rc-2", "recharge:rc-3"]);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(60));
    // 60 → −45: one payment of 100.00 (2 × 50.00) brings it to 55, at least the threshold.
    await debit(megan, 105);
    await app.settle();
    entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge").map((e) => [e.ref, e.amountMicros])).toEqual([
      ["recharge:rc-1", usd(50)],
      ["recharge:rc-2", usd(50)],
      ["recharge:rc-3", usd(50)],
      ["recharge:rc-4", usd(100)],
    ]);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(usd(55));
  });

  it("a debit to zero or below marks the account depleted and tells the admins", async () => {
    await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(50), thresholdMicros: usd(20) });
    await debit(megan, 40); // 55 → 15: crossing with auto-recharge off → balance_low
    await debit(megan, 15); // 15 → 0: depleted
    await app.settle();
    expect((await megan.get("/api/v1/account")).body).toMatchObject({ status: "depleted", balanceMicros: 0 });
    expect(await notifications(megan, "balance_low")).toHaveLength(1);
    const [depleted] = await notifications(megan, "balance_depleted");
    // One line per recipient and channel (API.md v1.2): every admin got the card in their chat (and, urgent, a feed ping).
    expect(
      depleted.recipients
        .filter((r: { channel: string }) => r.channel === "teams_chat")
        .map((r: { upn: string }) => r.upn)
        .sort(),
    ).toEqual(ADMINS);
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) });
    expect((await megan.get("/api/v1/account")).body).toMatchObject({ status: "active", balanceMicros: usd(50) });
  });
});

describe("auto-recharge with an expired card", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, megan } = await setUp("tok_chargeDeclinedExpiredCard")));
  afterAll(() => world.close());

  it("an expired card refuses the recharge and tells the billing admins", async () => {
    const charges = world.sandbox.charges().length;
    await debit(megan, 90); // 100 → 10 < 20
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(usd(10));
    expect(account.lastRecharge).toMatchObject({ status: "failed", failureCode: "expired_card", nextRetryAt: null });
    const [failed] = await notifications(megan, "recharge_failed");
    expect(failed.data).toMatchObject({ reason: "expired_card", amountMicros: usd(50) });
    expect(failed.data).not.toHaveProperty("message");
    expect(await cardText(failed, "en")).toContain("The card Visa •••• 0069 has expired: add a card that is valid and make it the default");
    expect(await cardText(failed, "fr")).toContain("La carte Visa •••• 0069 a expiré : ajoutez une carte valide et définissez-la par défaut");
    expect(failed.recipients.map((r: { upn: string }) => r.upn)).toContain("megan@contoso.example");
    expect(world.sandbox.charges().length).toBe(charges);
  });

  it("is not tried again by the retry job, nor by more debits, until the payment method or settings change", async () => {
    await debit(megan, 5);
    await app.services.autoRecharge.retryDue();
    await app.settle();
    expect((await megan.get("/api/v1/account")).body.lastRecharge).toMatchObject({ status: "failed", tries: 1 });
    expect(await notifications(megan, "recharge_failed")).toHaveLength(1);
  });

  it("is tried again once the payment method changes, and the new card recharges", async () => {
    const methods = (await megan.get("/api/v1/payment-methods")).body.items;
    const visa = methods.find((m: { last4: string }) => m.last4 === "4242");
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: visa.id });
    await app.settle();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account).toMatchObject({ balanceMicros: usd(55), lastRecharge: { status: "succeeded" } });
    await expectExactLedger(megan);
  });
});

describe("auto-recharge when the processor fails transiently", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, clock, megan } = await setUp("tok_chargeDeclinedProcessingError")));
  afterAll(() => world.close());

  it("retries on the back-off schedule and succeeds, charging once", async () => {
    await debit(megan, 85); // 100 → 15
    await app.settle();
    expect((await megan.get("/api/v1/account")).body.lastRecharge).toMatchObject({
      status: "retry_scheduled",
      tries: 1,
      failureCode: "processing_error",
      nextRetryAt: "2026-03-02T09:01:00.000Z",
    });
    expect(await app.services.autoRecharge.retryDue()).toBe(0); // not due yet
    clock.advance(60_000);
    expect(await app.services.autoRecharge.retryDue()).toBe(1);
    expect((await megan.get("/api/v1/account")).body.lastRecharge).toMatchObject({ status: "retry_scheduled", tries: 2, nextRetryAt: "2026-03-02T09:06:00.000Z" });
    clock.advance(5 * 60_000);
    await app.services.autoRecharge.retryDue();
    const account = (await megan.get("/api/v1/account")).body;
    expect(account).toMatchObject({ balanceMicros: usd(65), lastRecharge: { status: "succeeded", tries: 3 } });
    const entries = await expectExactLedger(megan);
    expect(entries.filter((e) => e.kind === "auto_recharge")).toHaveLength(1);
    expect(world.sandbox.charges().filter((c) => c.amount === 5000)).toHaveLength(1);
    expect(await notifications(megan, "recharge_succeeded")).toHaveLength(1);
  });
});

describe("expiry", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, clock, megan } = await setUp("tok_visa")));
  afterAll(() => world.close());

  it("removes what is left of a lot twelve months after purchase, oldest first", async () => {
    await megan.put("/api/v1/account/auto-recharge", { enabled: false, amountMicros: usd(50), thresholdMicros: 0 });
    clock.advance(40 * 86_400_000);
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(80) }); // second lot, 40 days younger
    await debit(megan, 30); // FIFO: from the first lot (100 → 70 left)
    clock.set("2027-03-02T09:00:00.000Z"); // the first lot's birthday
    const account = (await megan.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(usd(80));
    const entries = await expectExactLedger(megan);
    expect(entries.at(-1)).toMatchObject({ kind: "expiry", amountMicros: -usd(70), ref: "expiry:000000000001" });
    expect(await app.services.accounts.applyExpiryEverywhere()).toBe(0); // already applied: once only
    const { resources: audit } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.tenantId = @t AND c.action = 'funds.expired'", parameters: [{ name: "@t", value: CONTOSO }] })
      .fetchAll();
    expect(audit).toEqual([
      expect.objectContaining({ actor: { id: "expiry" }, before: { balanceMicros: usd(150) }, after: expect.objectContaining({ balanceMicros: usd(80), amountMicros: -usd(70) }) }),
    ]);
    clock.advance(40 * 86_400_000);
    expect(await app.services.accounts.applyExpiryEverywhere()).toBe(1);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(0);
  });
});
