import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";

describe("smoke", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    const app = await world.app();
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
  });
  afterAll(() => world.close());

  it("sets up, funds and shows the ledger", async () => {
    expect((await megan.get("/api/v1/account")).body.status).toBe("not_set_up");
    const pm = await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    expect(pm.status).toBe(201);
    const funds = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    expect(funds.status).toBe(201);
    expect(funds.body.balanceMicros).toBe(usd(100));
    const ledger = await megan.get("/api/v1/ledger");
    expect(ledger.body.items).toHaveLength(1);
    const notifications = await megan.get("/api/v1/notifications");
    expect(notifications.status, JSON.stringify(notifications.body)).toBe(200);
    expect(notifications.body.items[0].kind).toBe("funds_added");
  });
});
