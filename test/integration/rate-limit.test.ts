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
    url = (await world.app({ config: { RATE_LIMIT_USER_PER_SECOND: 4, RATE_LIMIT_USER_BURST: 6, RATE_LIMIT_TENANT_PER_SECOND: 8, RATE_LIMIT_TENANT_BURST: 12 } })).url;
  });
  afterAll(() => world.close());

  const burst = (client: ApiClient, n: number) => Promise.all(Array.from({ length: n }, () => client.get("/api/v1/account")));
  const limited = (answers: ApiResponse[]) => answers.filter((r) => r.status === 429);

  it("answers 429 with Retry-After once a user's budget is spent, and not for another tenant or user", async () => {
    const [megan, adele, nestor] = await Promise.all(["megan@contoso.example", "adele@contoso.example", "nestor@fabrikam.example"].map((upn) => ApiClient.signIn(url, upn)));
    const answers = await burst(megan, 30);
    // 4 per second plus a burst of 6: about 10 of 30 pass (a second boundary may let 4 more through).
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(14);
    const refused = limited(answers);
    expect(refused.length + answers.filter((r) => r.status === 200).length).toBe(30);
    expect(refused[0].headers.get("content-type")).toContain("application/problem+json");
    expect(refused[0].body).toMatchObject({ status: 429, code: "rate_limited", detail: expect.stringMatching(/You have sent too many requests\. Please try again in \d+ seconds?\./) });
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
    await new Promise((r) => setTimeout(r, 1100));
    // Users who have not spent anything yet (diego and lynne may not read: 403, but they still spend).
    const contoso = await Promise.all(["lee@contoso.example", "diego@contoso.example", "lynne@contoso.example"].map((upn) => ApiClient.signIn(url, upn)));
    const nestor = await ApiClient.signIn(url, "nestor@fabrikam.example");
    // Each user stays within its own budget (8 < 4 + 6); together 24 > the tenant's 8 + 12.
    const answers = (await Promise.all(contoso.map((c) => burst(c, 8)))).flat();
    const refused = limited(answers);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const r of refused) expect(r.body.detail).toMatch(/Your organisation has sent too many requests/);
    expect(Number(refused[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = await burst(nestor, 5);
    expect(other.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
