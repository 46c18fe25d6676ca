/**
 * Load shedding: an instance with room for one write at a time and one waiting answers a flood of
 * payments with quick 429s (Retry-After, words in the caller's language) that changed nothing;
 * the accepted ones are credited once each; a refused payment sent again with its key goes
 * through; reads are never shed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";

describe("write admission (load shedding)", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    const app = await world.app({ config: { WRITE_CONCURRENCY: 1, WRITE_QUEUE: 1, WRITE_QUEUE_PER_TENANT: 1 } });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
  });
  afterAll(() => world.close());

  it("sheds writes beyond its room with 429 + Retry-After, changes nothing for them, and keeps answering reads", async () => {
    const before = (await megan.get("/api/v1/account")).body.balanceMicros as number;
    const keys = Array.from({ length: 12 }, (_, i) => `flood-${i}-${Date.now()}`);
    const [payments, read] = await Promise.all([
      Promise.all(keys.map((key, i) => megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key, i % 2 ? { "accept-language": "fr-FR" } : {}))),
      // Sent while the payments are queued: a read is not a write, it is not shed.
      new Promise((r) => setTimeout(r, 5)).then(() => megan.get("/api/v1/account")),
    ]);
    expect(read.status).toBe(200);
    const accepted = payments.filter((r) => r.status === 201);
    const shed = payments.map((r, i) => ({ r, key: keys[i], fr: i % 2 === 1 })).filter(({ r }) => r.status === 429);
    expect(accepted.length + shed.length).toBe(keys.length); // nothing else: no 500, no timeout
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(shed.length).toBeGreaterThanOrEqual(1);
    for (const { r, fr } of shed) {
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.headers.get("retry-after")).toBe("1");
      expect(r.body).toMatchObject({ status: 429, code: "rate_limited" });
      expect(r.body.detail).toBe(
        fr
          ? "Le service est occupé par d'autres requêtes ; rien n'a été fait. Réessayez dans 1 seconde."
          : "The service is busy with other requests; nothing was done. Please try again in 1 second.",
      );
    }

    // Only the accepted payments moved money, once each.
    const after = (await megan.get("/api/v1/account")).body.balanceMicros as number;
    expect(after - before).toBe(accepted.length * usd(50));

    // A shed payment sent again with the same key, once there is room, is done (not a replay of the 429).
    const again = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, shed[0].key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("false");
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(after + usd(50));
  });
});
