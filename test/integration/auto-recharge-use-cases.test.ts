/**
 * Each auto-recharge use case on its own (api/src/funding/auto-recharge/), called as the routes,
 * the card buttons and the jobs call it, on the real local store and sandbox processor. The whole
 * story (crossings, retries, cards) is in auto-recharge.test.ts and recharge-restores.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestWorld } from "../support/world.js";
import { fundedContoso } from "../support/recharge.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import type { ManualClock } from "../../api/src/shared/clock.js";

const CONTOSO = "11111111-1111-4111-8111-111111111111";
const MEGAN = { id: "megan", upn: "megan@contoso.example" };

describe("the auto-recharge use cases", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  let megan: ApiClient;
  beforeAll(async () => ({ world, app, clock, megan } = await fundedContoso({ settings: { maxRechargesPerDay: 3 } })));
  afterAll(() => world.close());

  const account = () => app.services.ledger.current(CONTOSO);
  const auditActions = async () => {
    const { resources } = await app.world.store.containers.audit.items
      .query<{ action: string }>({ query: "SELECT c.action FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: CONTOSO }] })
      .fetchAll();
    return resources.map((r) => r.action);
  };

  it("configure keeps a limit left out, and the same settings again are no new revision", async () => {
    const before = await account();
    expect(before.autoRecharge.maxRechargesPerDay).toBe(3);
    await app.services.autoRecharge.configure(CONTOSO, MEGAN, { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20) });
    const after = await account();
    expect(after.autoRecharge).toEqual(before.autoRecharge);
    expect(after.settingsRev).toBe(before.settingsRev);
    await app.services.autoRecharge.configure(CONTOSO, MEGAN, { enabled: true, amountMicros: usd(60), thresholdMicros: usd(20) });
    expect((await account()).autoRecharge).toMatchObject({ amountMicros: usd(60), maxRechargesPerDay: 3 });
    expect((await account()).settingsRev).toBe(before.settingsRev + 1);
  });

  it("resume without a pause changes nothing and records nothing", async () => {
    const before = await account();
    const resumedBefore = (await auditActions()).filter((a) => a === "auto_recharge.resumed").length;
    await app.services.autoRecharge.resume(CONTOSO, MEGAN);
    const after = await account();
    expect(after.rechargePaused ?? null).toBeNull();
    expect(after.rechargeResumedAt).toEqual(before.rechargeResumedAt);
    expect((await auditActions()).filter((a) => a === "auto_recharge.resumed")).toHaveLength(resumedBefore);
  });

  it("retry now with no failed or waiting attempt is refused nothing_to_retry and charges nothing", async () => {
    const charges = world.sandbox.charges().length;
    await expect(app.services.autoRecharge.retryNow(CONTOSO, MEGAN)).rejects.toMatchObject({ status: 409, code: "nothing_to_retry" });
    expect(world.sandbox.charges()).toHaveLength(charges);
  });

  it("the retry job finds nothing due on an account whose recharges succeeded", async () => {
    expect(await app.services.autoRecharge.retryDue()).toBe(0);
  });

  it("a run starts one recharge per crossing, and history lists the attempts newest first, at most `limit`", async () => {
    for (const units of [100, 60]) {
      expect((await megan.postMoney("/api/dev/debit", { amountMicros: usd(units) })).status).toBe(201);
      await app.settle();
      clock.advance(60_000);
    }
    const history = await app.services.autoRecharge.history(CONTOSO);
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.every((attempt) => attempt.status === "succeeded")).toBe(true);
    expect([...history].sort((a, b) => b.at.localeCompare(a.at))).toEqual(history);
    expect(await app.services.autoRecharge.history(CONTOSO, 1)).toEqual(history.slice(0, 1));
  });
});
