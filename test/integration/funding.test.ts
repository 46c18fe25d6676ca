import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { TEST_TENANTS } from "../support/tenants.js";
import { expectExactLedger, wholeLedger } from "../support/ledger.js";
import type { App } from "../../api/src/app.js";

describe("adding funds", () => {
  let world: TestWorld;
  let url: string;
  let app: App;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld({ tenants: TEST_TENANTS });
    app = await world.app();
    url = app.url;
    megan = await ApiClient.signIn(url, "megan@contoso.example");
  });
  afterAll(() => world.close());

  it("a fresh account is not set up and cannot be funded without a payment method", async () => {
    const account = await megan.get("/api/v1/account");
    expect(account.body).toMatchObject({ status: "not_set_up", balanceMicros: 0, currency: "USD", paymentMethod: null, autoRecharge: { enabled: false } });
    const refused = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.code).toBe("no_payment_method");
  });

  it("charges the card first, then credits the ledger, and tells the admins", async () => {
    const pm = await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    expect(pm.status).toBe(201);
    expect(pm.body).toMatchObject({ brand: "visa", last4: "4242", expMonth: 12 });
    expect(JSON.stringify(pm.body)).not.toMatch(/4242424242424242|tok_visa/);
    const chargesBefore = world.sandbox.charges().length;
    const res = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(75) });
    expect(res.status).toBe(201);
    expect(res.body.balanceMicros).toBe(usd(75));
    expect(world.sandbox.charges().slice(chargesBefore)).toEqual([expect.objectContaining({ amount: 7500, currency: "usd" })]);
    expect((await megan.get("/api/v1/account")).body).toMatchObject({ status: "active", balanceMicros: usd(75), paymentMethod: { last4: "4242" } });
    const notes = await megan.get("/api/v1/notifications");
    const added = notes.body.items.find((n: { kind: string }) => n.kind === "funds_added");
    expect(added.recipients.map((r: { upn: string }) => r.upn).sort()).toEqual(["adele@contoso.example", "lee@contoso.example", "megan@contoso.example"]);
    const { resources: audit } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.tenantId = @t AND c.action = 'funds.added'", parameters: [{ name: "@t", value: CONTOSO_TENANT_ID }] })
      .fetchAll();
    expect(audit).toEqual([
      expect.objectContaining({
        actor: { id: "a1f0c0de-0000-4000-8000-000000000001", upn: "megan@contoso.example" },
        before: { balanceMicros: 0 },
        after: expect.objectContaining({ balanceMicros: usd(75), amountMicros: usd(75) }),
      }),
    ]);
  });

  it("a replay with the same key returns the first answer and charges once; another body with that key is 409", async () => {
    const key = randomUUID();
    const charges = world.sandbox.charges().length;
    const first = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(60) }, key);
    const again = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(60) }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(world.sandbox.charges().length).toBe(charges + 1);
    const other = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(61) }, key);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("idempotency_key_reused");
    await expectExactLedger(megan);
  });

  it("a replay after a crash between the posting and its effects makes the audit record and the event, once", async () => {
    const key = randomUUID();
    const actor = { id: "a1f0c0de-0000-4000-8000-000000000001", upn: "megan@contoso.example" };
    const first = await app.services.funding.addFunds(CONTOSO_TENANT_ID, actor, usd(55), key);
    const effectsOf = async () => {
      const { resources: audit } = await app.world.store.containers.audit.items
        .query({
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.after.entryId = @e",
          parameters: [
            { name: "@t", value: CONTOSO_TENANT_ID },
            { name: "@e", value: first.entryId },
          ],
        })
        .fetchAll();
      const { resources: events } = await app.world.store.containers.outbox.items
        .query({
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.id = @id",
          parameters: [
            { name: "@t", value: CONTOSO_TENANT_ID },
            { name: "@id", value: `funds_added:${first.entryId}` },
          ],
        })
        .fetchAll();
      return { audit, events };
    };
    const made = await effectsOf();
    expect(made.audit).toEqual([
      expect.objectContaining({ action: "funds.added", actor, after: expect.objectContaining({ amountMicros: usd(55), chargeId: expect.any(String) }) }),
    ]);
    expect(made.events).toHaveLength(1);
    // The crash: the entry is posted, its effects are not.
    await app.world.store.containers.audit.item(made.audit[0].id, made.audit[0].pk).delete();
    await app.world.store.containers.outbox.item(made.events[0].id, CONTOSO_TENANT_ID).delete();
    // The client retries the same key twice: the same entry, its effects made again, once.
    const charges = world.sandbox.charges().length;
    for (let i = 0; i < 2; i++) expect(await app.services.funding.addFunds(CONTOSO_TENANT_ID, actor, usd(55), key)).toEqual(first);
    expect(world.sandbox.charges().length).toBe(charges);
    const remade = await effectsOf();
    expect(remade.audit).toHaveLength(1);
    expect(remade.events).toHaveLength(1);
    await expectExactLedger(megan);
  });

  it("says refusals in words with amounts in the currency, in English or French", async () => {
    const low = await megan.postMoney("/api/v1/account/funds", { amountMicros: 49_990_000 });
    expect(low.body).toMatchObject({ status: 422, code: "below_minimum", detail: "The minimum payment is $50.00" });
    const french = await megan.postMoney("/api/v1/account/funds", { amountMicros: 49_990_000 }, randomUUID(), { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" });
    expect(french.body).toMatchObject({ status: 422, code: "below_minimum", title: "La requête a été refusée par une règle de gestion" });
    expect(french.body.detail).toMatch(/^Le paiement minimum est de 50,00\s\$US$/);
    const cents = await megan.postMoney("/api/v1/account/funds", { amountMicros: 50_005_000 });
    expect(cents.body).toMatchObject({ status: 400, code: "whole_cents", detail: "Card payments are in whole cents: $50.005 is not" });
    for (const answer of [low, french, cents]) expect(JSON.stringify(answer.body)).not.toMatch(/micros|\d{7,}/);
  });

  for (const [token, code] of [
    ["tok_chargeDeclined", "card_declined"],
    ["tok_chargeDeclinedExpiredCard", "expired_card"],
  ] as const) {
    it(`a card that fails with ${code} is refused with 402 and changes nothing`, async () => {
      const pm = await megan.post("/api/v1/payment-methods", { token });
      expect((await megan.put("/api/v1/account/payment-method", { paymentMethodId: pm.body.id })).status).toBe(200);
      const before = await wholeLedger(megan);
      const key = randomUUID();
      const res = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key);
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({ status: 402, code });
      expect(res.body.detail).toMatch(code === "expired_card" ? /^The card Visa •••• 0069 has expired: add a card/ : /^The card Visa •••• \d{4} was declined by its bank/);
      // The refusal is the key's answer: a replay gets the same 402, never a charge.
      expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key)).body.code).toBe(code);
      // The stored refusal keeps its facts: a replay read in French says it in French.
      const french = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key, { "accept-language": "fr" });
      expect(french.body.detail).toMatch(
        code === "expired_card" ? /^La carte Visa •••• 0069 a expiré : ajoutez une carte valide/ : /^La carte Visa •••• 0002 a été refusée par sa banque/,
      );
      expect(await wholeLedger(megan)).toEqual(before);
    });
  }

  it("an organisation whose region differs from its billing country cannot buy", async () => {
    const anne = await ApiClient.signIn(url, "anne@northwind.example");
    expect((await anne.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    const res = await anne.postMoney("/api/v1/account/funds", { amountMicros: usd(50) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("billing_region_mismatch");
    expect((await anne.get("/api/v1/account")).body.balanceMicros).toBe(0);
    const auto = await anne.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(10) });
    expect(auto.body.code).toBe("billing_region_mismatch");
  });
});
