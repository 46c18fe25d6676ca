/**
 * Reconciliation: `npm run check-ledger` (a real child process) passes on a healthy store and fails,
 * naming the invariant, once a test deletes a ledger entry or credits a charge twice; and the job
 * credits a charge that succeeded but was never credited (the crash between charge and credit)
 * exactly once, however many instances and runs find it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { entryId, type LedgerEntry } from "../../api/src/ledger/entries.js";
import { CHARGE_IN_FLIGHT_MS, checkLedger } from "../../api/src/reconciliation/check-ledger.js";
import { queryAll } from "../../api/src/store/cosmos.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function checkLedgerCli(world: TestWorld, app: App, tenant?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["--import", "tsx", "api/src/local/cli/check-ledger.ts", ...(tenant ? ["--tenant", tenant] : [])], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "development",
        COSMOS_ENDPOINT: world.cosmos.endpoint,
        COSMOS_DATABASE: app.world.store.database.id,
        PROCESSOR_URL: world.sandbox.url,
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => ok({ code, out }));
  });
}

const INVARIANTS = ["balance_matches_entries", "charges_credited_once", "usage_in_one_debit", "no_expired_lot_spendable", "outbox_accounted_for"];

describe("npm run check-ledger", () => {
  let world: TestWorld;
  let app: App;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
  });
  afterAll(() => world.close());

  it("passes on a healthy store, then names the invariant a deleted entry or a double credit breaks", async () => {
    const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    for (const admin of [megan, nestor]) {
      expect((await admin.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
      expect((await admin.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(201);
      expect((await admin.postMoney("/api/v1/account/funds", { amountMicros: usd(60) })).status).toBe(201);
      expect((await admin.postMoney("/api/dev/debit", { amountMicros: usd(3) })).status).toBe(201);
    }
    const card = await megan.post("/api/v1/payment-methods", { token: "tok_chargeDeclined" });
    expect((await megan.put("/api/v1/account/payment-method", { paymentMethodId: card.body.id })).status).toBe(200);
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })).status).toBe(402); // a failed charge, not credited

    const healthy = await checkLedgerCli(world, app);
    expect(healthy.code, healthy.out).toBe(0);
    for (const name of INVARIANTS) expect(healthy.out).toMatch(new RegExp(`ok +${name}`));
    expect(healthy.out).toContain("all invariants hold");

    // Fabrikam: the same charge credited a second time, under another ref.
    const [funding] = await queryAll<LedgerEntry>(app.world.store.containers.ledger, FABRIKAM_TENANT_ID, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'funding'");
    await app.services.ledger.post(FABRIKAM_TENANT_ID, () => ({ kind: "funding", amountMicros: funding.amountMicros, ref: `${funding.ref}:again`, postedBy: "test" }));
    const doubled = await checkLedgerCli(world, app, "fabrikam");
    expect(doubled.code, doubled.out).toBe(1);
    expect(doubled.out).toMatch(/BREACH charges_credited_once/);
    expect(doubled.out).toMatch(/ok +balance_matches_entries/);

    // Contoso: an entry deleted from the ledger.
    await app.world.store.containers.ledger.item(entryId(2), CONTOSO_TENANT_ID).delete();
    const deleted = await checkLedgerCli(world, app, CONTOSO_TENANT_ID);
    expect(deleted.code, deleted.out).toBe(1);
    expect(deleted.out).toMatch(/BREACH balance_matches_entries/);
  }, 120_000);
});

describe("a charge that succeeded but was never credited", () => {
  let world: TestWorld;
  let app: App;
  let other: App;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    other = await world.app(); // a second instance on the same store
  });
  afterAll(() => world.close());

  it("is credited once by the job, however many instances and runs find it", async () => {
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    expect((await nestor.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    const before = (await nestor.get("/api/v1/account")).body.balanceMicros as number;

    // What Funding does before it crashes: the charge, with its ledger ref, and then nothing.
    const account = await app.services.ledger.current(FABRIKAM_TENANT_ID);
    const method = await app.services.paymentMethods.get(FABRIKAM_TENANT_ID, account.paymentMethodId!);
    const key = "crash-between-charge-and-credit";
    const charged = await app.world.processor.charge({
      idempotencyKey: `${FABRIKAM_TENANT_ID}:funding:${key}`,
      amountMicros: usd(75),
      currency: account.currency,
      processorPaymentMethodId: method!.processorPaymentMethodId,
      description: "Communications Credits: add funds",
      metadata: { tenantId: FABRIKAM_TENANT_ID, ledgerRef: `funding:${key}` },
    });
    expect(charged.ok).toBe(true);
    const chargesTaken = world.sandbox.charges().length;

    // Fresh, the charge is in flight (its request may still credit it); a minute on, it is lost.
    const fresh = await checkLedger(app.world.store, app.world.processor, { tenantId: FABRIKAM_TENANT_ID });
    expect(fresh.verdicts.find((v) => v.invariant === "charges_credited_once")!.notes.map((n) => n.code)).toContain("charges_in_flight");
    const broken = await checkLedger(app.world.store, app.world.processor, { tenantId: FABRIKAM_TENANT_ID, now: new Date(Date.now() + CHARGE_IN_FLIGHT_MS + 1_000) });
    const charges = broken.verdicts.find((v) => v.invariant === "charges_credited_once")!;
    expect(charges.ok).toBe(false);
    expect(charges.breaches.map((b) => b.code)).toContain("charge_not_credited");

    // Two instances at once, then the dev jobs endpoint twice.
    const credited = await Promise.all([app.services.chargeRecovery.run(), other.services.chargeRecovery.run()]);
    expect(credited[0] + credited[1]).toBe(1);
    for (let i = 0; i < 2; i++) {
      const run = await nestor.post("/api/dev/jobs/run");
      expect(run.status).toBe(200);
      expect(run.body.chargesRecovered).toBe(0);
    }
    // The runs left a watermark: the next one lists charges from about now, not from a week ago.
    const watermark = Date.parse((await app.services.chargeRecovery.watermark()) ?? "");
    expect(Date.now() - watermark).toBeLessThan(60_000);
    const entries = await queryAll<LedgerEntry>(app.world.store.containers.ledger, FABRIKAM_TENANT_ID, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.ref = @ref", {
      "@ref": `funding:${key}`,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: "funding", amountMicros: usd(75) });
    expect((await nestor.get("/api/v1/account")).body.balanceMicros).toBe(before + usd(75));

    // The client's retry of the crashed request answers with that entry: no second charge, no second credit.
    const retry = await nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(75) }, key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toMatchObject({ entryId: entries[0].id, balanceMicros: before + usd(75) });
    expect(world.sandbox.charges()).toHaveLength(chargesTaken);

    const healed = await checkLedger(app.world.store, app.world.processor, { tenantId: FABRIKAM_TENANT_ID });
    expect(healed.verdicts.filter((v) => !v.ok)).toEqual([]);
  }, 120_000);
});
