/**
 * Two API instances on one store, 200 concurrent mixed requests: fundings with repeated
 * Idempotency-Keys (sent again when shed with a 429) and debits racing past the threshold. The ledger must stay exact, every
 * recharge decision is credited once (unique attempt ids), never two recharges are in flight, and
 * once everything settled the balance is back at or above the threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, honouring429, usd, type ApiResponse } from "../support/http.js";
import { expectExactLedger } from "../support/ledger.js";
import type { App } from "../../api/src/app.js";

describe("two API instances on one store", () => {
  let world: TestWorld;
  let apps: App[];
  let clients: ApiClient[];
  beforeAll(async () => {
    world = await startWorld();
    apps = [await world.app(), await world.app()];
    clients = await Promise.all(apps.map((a) => ApiClient.signIn(a.url, "megan@contoso.example")));
    await clients[0].post("/api/v1/payment-methods", { token: "tok_visa" });
    await clients[0].postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    await clients[1].put("/api/v1/account/auto-recharge", {
      enabled: true,
      amountMicros: usd(100),
      thresholdMicros: usd(50),
      maxRechargesPerDay: 100,
      maxAmountPerDayMicros: usd(100_000),
    });
  });
  afterAll(() => world.close());

  /** Wait until neither instance has recharge work running. */
  async function quiesce() {
    for (let i = 0; i < 3; i++) for (const app of apps) await app.settle();
  }

  it("200 concurrent fundings and debits keep an exact ledger, one answer per key, one credit per recharge decision", async () => {
    // 20 funding keys, each sent 3 times (same body) to alternating instances; 140 debits of 1.00 to 9.99.
    const debitAmounts = fc.sample(
      fc.integer({ min: 100, max: 999 }).map((cents) => cents * 10_000),
      { numRuns: 140, seed: 7 },
    );
    const fundingKeys = Array.from({ length: 20 }, () => randomUUID());
    const requests: { kind: "funding" | "debit"; key: string; run: () => Promise<ApiResponse> }[] = [];
    fundingKeys.forEach((key, i) => {
      for (let copy = 0; copy < 3; copy++) {
        const client = clients[(i + copy) % 2];
        // A payment an instance has no room for is shed (429) and sent again with its key, as a client does.
        requests.push({ kind: "funding", key, run: () => honouring429(() => client.postMoney("/api/v1/account/funds", { amountMicros: usd(50 + i) }, key)) });
      }
    });
    debitAmounts.forEach((amountMicros, i) => {
      const key = randomUUID();
      requests.push({ kind: "debit", key, run: () => clients[i % 2].postMoney("/api/dev/debit", { amountMicros }, key) });
    });
    const shuffled = fc.sample(fc.shuffledSubarray(requests, { minLength: requests.length, maxLength: requests.length }), { numRuns: 1, seed: 42 })[0];
    expect(shuffled).toHaveLength(200);

    const answers = await Promise.all(shuffled.map(async (r) => ({ ...r, res: await r.run() })));
    await quiesce();

    for (const a of answers) expect(a.res.status, JSON.stringify(a.res.body)).toBe(201);
    for (const key of fundingKeys) {
      const same = answers.filter((a) => a.key === key).map((a) => a.res.body);
      expect(same).toHaveLength(3);
      expect(new Set(same.map((b) => JSON.stringify(b))).size).toBe(1);
    }

    const entries = await expectExactLedger(clients[1]);
    expect(entries.filter((e) => e.kind === "funding")).toHaveLength(1 + fundingKeys.length);
    expect(entries.filter((e) => e.kind === "usage")).toHaveLength(140);
    const debited = -entries.filter((e) => e.kind === "usage").reduce((s, e) => s + e.amountMicros, 0);
    expect(debited).toBe(debitAmounts.reduce((s, a) => s + a, 0));

    // One credit per decision (attempt ids rc-1, rc-2, … without gaps or repeats), each a multiple
    // of the recharge amount, and recharges never overlapped: each was claimed after the previous
    // one was recorded, so the decisions are numbered in ledger order.
    const recharges = entries.filter((e) => e.kind === "auto_recharge");
    // How many recharges there were depends on how fundings and debits interleaved (funds that
    // restore the balance before a recharge is decided make it unneeded); what must hold is below.
    expect(recharges.map((e) => e.ref)).toEqual(recharges.map((_, i) => `recharge:rc-${i + 1}`));
    for (const r of recharges) expect(r.amountMicros % usd(100)).toBe(0);
    // Restored: nothing is left below the threshold once both instances are idle.
    expect(entries.at(-1)!.balanceAfterMicros).toBeGreaterThanOrEqual(usd(50));

    // Money taken from cards is exactly money credited.
    const credited = entries.filter((e) => e.amountMicros > 0).reduce((s, e) => s + e.amountMicros, 0);
    expect(world.sandbox.charges().reduce((s, c) => s + c.amount * 10_000, 0)).toBe(credited);
  });

  it("when only debits race, recharges follow one another until the balance is restored", async () => {
    const before = await expectExactLedger(clients[0]);
    const start = before.length;
    const charges = world.sandbox.charges().length;
    const amounts = fc.sample(
      fc.integer({ min: 500, max: 4_000 }).map((cents) => cents * 10_000),
      { numRuns: 100, seed: 11 },
    );
    const answers = await Promise.all(amounts.map((amountMicros, i) => clients[i % 2].postMoney("/api/dev/debit", { amountMicros })));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    await quiesce();

    const all = await expectExactLedger(clients[0]);
    const entries = all.slice(start);
    const recharges = entries.filter((e) => e.kind === "auto_recharge");
    expect(recharges.length).toBeGreaterThan(0);
    // Decision numbers continue where they were, each once, in ledger order.
    const first = before.filter((e) => e.kind === "auto_recharge").length + 1;
    expect(recharges.map((e) => e.ref)).toEqual(recharges.map((_, i) => `recharge:rc-${first + i}`));
    expect(world.sandbox.charges().length - charges).toBe(recharges.length);
    expect(all.at(-1)!.balanceAfterMicros).toBeGreaterThanOrEqual(usd(50));
  });
});
