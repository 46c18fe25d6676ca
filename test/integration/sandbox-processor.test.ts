/**
 * The sandbox card processor keeps what a client can see across a restart on its data directory,
 * and lists charges as Stripe does (newest first, paged, metadata on the expanded payment intent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandboxProcessor } from "../../api/src/local/payments/sandbox-server.js";
import { HttpCardProcessor } from "../../api/src/payments/http-processor.js";

const KEY = "sk_test_sandbox";

describe("the sandbox processor on a data directory", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-sandbox-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("lists charges in pages and keeps cards, charges and idempotent answers across a restart", async () => {
    const first = await startSandboxProcessor(0, { dataDir });
    const processor = new HttpCardProcessor(first.url, KEY);
    const visa = await processor.createPaymentMethod("tok_visa");
    const declined = await processor.createPaymentMethod("tok_chargeDeclined");
    const charge = (i: number, pm = visa.processorPaymentMethodId) =>
      processor.charge({
        idempotencyKey: `key-${i}`,
        amountMicros: (10 + i) * 1_000_000,
        currency: "USD",
        processorPaymentMethodId: pm,
        description: "test",
        metadata: { tenantId: "t1", ledgerRef: `funding:${i}` },
      });
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await charge(i));
    outcomes.push(await charge(5, declined.processorPaymentMethodId));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true, false]);

    // Raw paging: two at a time, newest first; the charge itself carries no metadata, its intent does.
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await fetch(`${first.url}/v1/charges?limit=2${after ? `&starting_after=${after}` : ""}`, { headers: { authorization: `Bearer ${KEY}` } });
      const body = (await res.json()) as { data: { id: string; metadata: object; payment_intent: unknown }[]; has_more: boolean };
      ids.push(...body.data.map((c) => c.id));
      for (const c of body.data) expect(c.metadata).toEqual({});
      if (!body.has_more) break;
      after = body.data.at(-1)!.id;
    }
    expect(ids).toHaveLength(6);

    const listed = await processor.listCharges();
    expect(listed.map((c) => c.chargeId)).toEqual(ids);
    expect(listed.map((c) => c.metadata.ledgerRef)).toEqual(["funding:5", "funding:4", "funding:3", "funding:2", "funding:1", "funding:0"]);
    expect(listed.map((c) => c.status)).toEqual(["failed", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(listed[1]).toMatchObject({ amountMicros: 14_000_000, currency: "USD", paymentIntentId: (outcomes[4] as { chargeId: string }).chargeId });
    await first.close();

    const second = await startSandboxProcessor(0, { dataDir });
    const again = new HttpCardProcessor(second.url, KEY);
    expect((await again.listCharges()).map((c) => c.chargeId)).toEqual(ids);
    // The same key answers the same intent: no new charge. The saved card still charges.
    const replay = await again.charge({
      idempotencyKey: "key-2",
      amountMicros: 12_000_000,
      currency: "USD",
      processorPaymentMethodId: visa.processorPaymentMethodId,
      description: "test",
    });
    expect(replay).toEqual(outcomes[2]);
    const fresh = await again.charge({
      idempotencyKey: "key-new",
      amountMicros: 50_000_000,
      currency: "USD",
      processorPaymentMethodId: visa.processorPaymentMethodId,
      description: "test",
    });
    expect(fresh.ok).toBe(true);
    expect(second.charges()).toHaveLength(6);
    await second.close();
  }, 60_000);
});
