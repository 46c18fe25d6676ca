/**
 * Calling policy for the voice admins (issue 22, item 5): the call guard is managed by Teams
 * Communications and Teams Administrators too (its money setting stays with Billing and Global),
 * with exceptions per user and per Entra group — group members read through the real Graph client
 * from the local directory (`/groups/{id}/transitiveMembers`, nested groups, paged) at call time —
 * and the Rates lookup says whether the guard would let a chosen user call a number.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";

const LEE = "a1f0c0de-0000-4000-8000-000000000003";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004";
const LYNNE = "a1f0c0de-0000-4000-8000-000000000005";
const FIELD_SALES = "c0c0a000-0000-4000-8000-000000000001"; // diego
const INTERNATIONAL_DESK = "c0c0a000-0000-4000-8000-000000000002"; // Field sales (nested) and lee
const INDIA = "+919812345678";

const base = { blockedCountries: ["IN"], blockedPrefixes: [], blockPremiumRate: true, domesticOnly: false, perUserDailyCapMicros: null, spikeFactor: 5 };

describe("calling policy for the voice admins", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient; // Billing Administrator
  let adele: ApiClient; // Teams Communications Administrator
  let diego: ApiClient; // no admin role
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    diego = await ApiClient.signIn(app.url, "diego@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
  });
  afterAll(() => world.close());

  const verdict = async (client: ApiClient, userId: string, number = INDIA) => {
    const res = await client.get(`/api/v1/rates?number=${encodeURIComponent(number)}&userId=${userId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.guard;
  };

  it("a Teams Communications Administrator manages the calling policy, but not its money setting", async () => {
    expect((await adele.get("/api/v1/me")).body.can).toMatchObject({ manageGuard: true, moveMoney: false });
    expect((await diego.get("/api/v1/me")).body.can?.manageGuard ?? false).toBe(false);
    const put = await adele.put("/api/v1/guard", base);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ blockedCountries: ["IN"], exceptions: [] });
    // The daily cap per user is money: Billing and Global only.
    const cap = await adele.put("/api/v1/guard", { ...base, perUserDailyCapMicros: usd(10) });
    expect(cap.status).toBe(403);
    expect(cap.body.detail).toMatch(/money setting/);
    expect((await megan.put("/api/v1/guard", { ...base, perUserDailyCapMicros: usd(10) })).status).toBe(200);
    // adele may keep the cap megan set while changing the rest.
    expect((await adele.put("/api/v1/guard", { ...base, perUserDailyCapMicros: usd(10), domesticOnly: false })).status).toBe(200);
    expect((await diego.put("/api/v1/guard", base)).status).toBe(403);
  });

  it("without an exception, the guard refuses India for everyone; the Rates lookup says so for a chosen user", async () => {
    expect(await verdict(adele, DIEGO)).toEqual({ userId: DIEGO, allowed: false, reason: "destination_blocked" });
    expect(await verdict(adele, LEE)).toEqual({ userId: LEE, allowed: false, reason: "destination_blocked" });
    expect((await adele.get(`/api/v1/rates?number=${encodeURIComponent(INDIA)}&userId=b2f0c0de-0000-4000-8000-000000000001`)).status).toBe(404); // fabrikam's nestor
  });

  it("an exception for one user lets that user call India, and nobody else", async () => {
    const put = await adele.put("/api/v1/guard", { ...base, perUserDailyCapMicros: usd(10), exceptions: [{ userId: LEE, displayName: "Lee Gu", blockedCountries: [] }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await verdict(adele, LEE)).toEqual({ userId: LEE, allowed: true, exception: "Lee Gu" });
    expect(await verdict(adele, DIEGO)).toMatchObject({ allowed: false, reason: "destination_blocked" });
    // The exception is what the call-time authorization uses too.
    const authorize = await megan.post("/api/v1/calls/authorize", { userId: LEE, callType: "user_out", number: INDIA });
    expect(authorize.body).toMatchObject({ allowed: true });
  });

  it("an exception for an Entra group applies to its members, nested groups included, read through Graph", async () => {
    const before = world.graph.requests().length;
    const put = await adele.put("/api/v1/guard", {
      ...base,
      perUserDailyCapMicros: usd(10),
      exceptions: [{ groupId: INTERNATIONAL_DESK, displayName: "International desk", blockedCountries: [] }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // diego is in Field sales, which is in International desk; lynne is in neither.
    expect(await verdict(adele, DIEGO)).toEqual({ userId: DIEGO, allowed: true, exception: "International desk" });
    expect(await verdict(adele, LEE)).toMatchObject({ allowed: true });
    expect(await verdict(adele, LYNNE)).toMatchObject({ allowed: false, reason: "destination_blocked" });
    const asked = world.graph
      .requests()
      .slice(before)
      .filter((r) => r.includes(`/groups/${INTERNATIONAL_DESK}/transitiveMembers`));
    // Paged (one member a page locally) on the first question, then answered from the short cache.
    expect(asked.some((r) => r.includes("skiptoken"))).toBe(true);
    const pages = asked.length;
    expect((await megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA })).body).toMatchObject({ allowed: true });
    expect(
      world.graph
        .requests()
        .slice(before)
        .filter((r) => r.includes("transitiveMembers")).length,
    ).toBe(pages);
  });

  it("a user's own exception wins over a group's; a group the directory no longer has matches nobody", async () => {
    const put = await adele.put("/api/v1/guard", {
      ...base,
      perUserDailyCapMicros: usd(10),
      exceptions: [
        { groupId: FIELD_SALES, displayName: "Field sales", blockedCountries: [] },
        { userId: DIEGO, displayName: "Diego Siciliani", domesticOnly: true },
        { groupId: "c0c0a000-0000-4000-8000-0000000000ff", displayName: "Deleted group", blockedCountries: [] },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await verdict(adele, DIEGO)).toEqual({ userId: DIEGO, allowed: false, reason: "domestic_only", exception: "Diego Siciliani" });
    expect(await verdict(adele, LYNNE)).toMatchObject({ allowed: false, reason: "destination_blocked" });
  });

  it("refuses an exception naming nobody, both a user and a group, or the same subject twice", async () => {
    const put = (exceptions: unknown[]) => adele.put("/api/v1/guard", { ...base, perUserDailyCapMicros: usd(10), exceptions });
    expect((await put([{ blockedCountries: [] }])).status).toBe(400);
    expect((await put([{ userId: LEE, groupId: FIELD_SALES }])).status).toBe(400);
    expect((await put([{ userId: LEE }, { userId: LEE, domesticOnly: true }])).status).toBe(400);
    expect((await put([{ userId: LEE, blockedCountries: ["India"] }])).status).toBe(400);
  });

  it("lists the tenant's Entra groups for the picker, to the guard's managers only", async () => {
    const res = await adele.get("/api/v1/groups");
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { displayName: string }) => g.displayName)).toEqual(["Field sales", "International desk"]);
    expect((await diego.get("/api/v1/groups")).status).toBe(403);
  });
});
