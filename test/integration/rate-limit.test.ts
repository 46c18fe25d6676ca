/**
 * Request budgets: a user or a tenant that spends its budget gets 429 problem+json with a
 * Retry-After that is true (waiting that long is enough), and other tenants and users are not
 * slowed down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, type ApiResponse } from "../support/http.js";

describe("rate limits", () => {
  let world: TestWorld;
  let url: string;
  beforeAll(async () => {
    world = await startWorld();
    // Slow refills, so the figures hold however long a loaded machine takes to send a burst.
    url = (await world.app({ config: { RATE_LIMIT_USER_PER_SECOND: 1, RATE_LIMIT_USER_BURST: 6, RATE_LIMIT_TENANT_PER_SECOND: 1, RATE_LIMIT_TENANT_BURST: 100 } })).url;
  });
  afterAll(() => world.close());

  const burst = (client: ApiClient, n: number) => Promise.all(Array.from({ length: n }, () => client.get("/api/v1/account")));
  const limited = (answers: ApiResponse[]) => answers.filter((r) => r.status === 429);

  it("answers 429 with Retry-After once a user's budget is spent, and not for another tenant or user", async () => {
    const [megan, adele, nestor] = await Promise.all(["megan@contoso.example", "adele@contoso.example", "nestor@fabrikam.example"].map((upn) => ApiClient.signIn(url, upn)));
    const started = Date.now();
    const answers = await burst(megan, 30);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    // 1 per second plus a burst of 6: 7 of 30 pass, and one more for every second the burst took.
    const passed = answers.filter((r) => r.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(7);
    expect(passed).toBeLessThanOrEqual(7 + seconds);
    const refused = limited(answers);
    expect(refused.length + answers.filter((r) => r.status === 200).length).toBe(30);
    expect(refused[0].headers.get("content-type")).toContain("application/problem+json");
    expect(refused[0].body).toMatchObject({
      status: 429,
      code: "rate_limited",
      detail: expect.stringMatching(/You have sent too many requests\. Please try again in \d+ seconds?\./),
    });
    const retryAfter = Number(refused[0].headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(1);

    // Another user of the same tenant, and another tenant, are unaffected.
    expect((await adele.get("/api/v1/account")).status).toBe(200);
    expect((await nestor.get("/api/v1/account")).status).toBe(200);

    // Retry-After is enough.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
    expect((await megan.get("/api/v1/account")).status).toBe(200);
  });

  it("answers 429 once a tenant's budget is spent by its users together, and not for another tenant", async () => {
    // An instance where users may send plenty but a tenant only 12 at once and 1 a second after.
    const tenantUrl = (await world.app({ config: { RATE_LIMIT_USER_PER_SECOND: 1000, RATE_LIMIT_USER_BURST: 1000, RATE_LIMIT_TENANT_PER_SECOND: 1, RATE_LIMIT_TENANT_BURST: 12 } }))
      .url;
    // Diego and lynne may not read (403), but they still spend their tenant's budget.
    const contoso = await Promise.all(["lee@contoso.example", "diego@contoso.example", "lynne@contoso.example"].map((upn) => ApiClient.signIn(tenantUrl, upn)));
    const nestor = await ApiClient.signIn(tenantUrl, "nestor@fabrikam.example");
    // Together 24 requests against the tenant's 13 (a burst of 12 and the first refill), one more a second.
    const started = Date.now();
    const answers = (await Promise.all(contoso.map((c) => burst(c, 8)))).flat();
    const seconds = Math.ceil((Date.now() - started) / 1000);
    const refused = limited(answers);
    expect(refused.length).toBeGreaterThanOrEqual(24 - 13 - seconds);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.body.detail).toMatch(/Your organisation has sent too many requests/);
    expect(Number(refused[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = await burst(nestor, 5);
    expect(other.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
