/** A funded contoso account for the auto-recharge, runway and guard tests (not a test file itself). */
import { expect } from "vitest";
import { startWorld } from "./world.js";
import { ApiClient, usd } from "./http.js";
import { ManualClock } from "../../api/src/shared/clock.js";

/**
 * A world with one app on a manual clock; megan (Billing Administrator) adds the Visa test card and
 * `fundsUnits`, then makes `token`'s card the default, then turns auto-recharge on (50.00 below
 * 20.00, plus `settings`) unless `settings` is null.
 */
export async function fundedContoso(options: { token?: string; settings?: Record<string, unknown> | null; start?: string; fundsUnits?: number } = {}) {
  const { token = "tok_visa", settings = {}, start = "2026-03-02T09:00:00.000Z", fundsUnits = 100 } = options;
  const world = await startWorld();
  const clock = new ManualClock(new Date(start));
  const app = await world.app({ clock });
  const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
  await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
  await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(fundsUnits) });
  if (token !== "tok_visa") {
    const pm = await megan.post("/api/v1/payment-methods", { token });
    await megan.put("/api/v1/account/payment-method", { paymentMethodId: pm.body.id });
  }
  if (settings) {
    const res = await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: usd(50), thresholdMicros: usd(20), ...settings });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return { world, clock, app, megan };
}
