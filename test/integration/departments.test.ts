/**
 * Spend by department (issue 22, item 6): the usage report grouped by the users' Entra
 * `department` (read through Graph from the local directory), with totals, an export, and
 * monthly budgets told at 80 % and 100 % once a month, refusing calls charged to credits at 100 %
 * unless the budget only warns.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { call } from "./usage-fixtures.js";

const NOW = "2026-11-20T12:00:00.000Z";
const DIEGO = "a1f0c0de-0000-4000-8000-000000000004"; // Sales
const LEE = "a1f0c0de-0000-4000-8000-000000000003"; // Executive
const INDIA = "+919812345678"; // 100,000 micros a minute from credits for a domestic-plan user

describe("spend by department", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  let adele: ApiClient;
  const ingest = async (records: unknown[]) => {
    const res = await megan.postMoney("/api/v1/usage/records", { records });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const budgetEvents = async () =>
    ((await megan.get("/api/v1/notifications?limit=100")).body.items as { id: string; kind: string; data: Record<string, unknown> }[]).filter((n) => n.kind === "budget_threshold");

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app({ clock: new ManualClock(new Date(NOW)) });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(100) });
    await ingest([
      call({ upn: "diego@contoso.example", to: INDIA, seconds: 600, start: "2026-11-20T09:00:00Z" }), // Sales: 10 min, 1.00
      call({ upn: "lee@contoso.example", to: INDIA, seconds: 300, start: "2026-11-19T09:00:00Z" }), // Executive: 5 min, 0.50
      call({ callType: "conf_in", to: "+18005550100", seconds: 180, start: "2026-11-20T10:00:00Z", inventoryType: "Toll free" }), // no user: 3 min, 0.06
    ]);
  });
  afterAll(() => world.close());

  it("groups the report by the users' Entra department, with totals, in the reader's language", async () => {
    const res = await adele.get("/api/v1/usage/summary?period=this_month&groupBy=department");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.groups).toEqual([
      { key: "Sales", label: "Sales", calls: 1, minutes: 10, chargeMicros: 1_000_000 },
      { key: "Executive", label: "Executive", calls: 1, minutes: 5, chargeMicros: 500_000 },
      { key: "", label: "(no department)", calls: 1, minutes: 3, chargeMicros: 60_000 },
    ]);
    expect(res.body.totals).toEqual({ calls: 3, minutes: 18, chargeMicros: 1_560_000 });
    // The same totals as the report by day: nothing is lost between departments.
    expect((await adele.get("/api/v1/usage/summary?period=this_month&groupBy=day")).body.totals).toEqual(res.body.totals);
    const fr = await adele.send<{ groups: { label: string }[] }>("GET", "/api/v1/usage/summary?period=this_month&groupBy=department", undefined, { "accept-language": "fr-FR" });
    expect(fr.body.groups[2].label).toBe("(sans service)");
    // The department came from Graph, asked for by $select.
    expect(world.graph.requests().some((r) => r.startsWith("GET /v1.0/users") && decodeURIComponent(r).includes("department"))).toBe(true);
  });

  it("exports the department totals as CSV and XLSX through the report's file machinery", async () => {
    const csv = await fetch(`${app.url}/api/v1/usage/export?period=this_month&groupBy=department&format=csv`, { headers: { authorization: `Bearer ${adele.token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("spend-by-department-2026-11-01-2026-11-21.csv");
    expect((await csv.text()).replace(/^\uFEFF/, "").split("\r\n")).toEqual([
      "Department,Calls,Minutes,Charge,Currency",
      "Sales,1,10,1.00,USD",
      "Executive,1,5,0.50,USD",
      "(no department),1,3,0.06,USD",
      "",
    ]);
    const xlsx = await fetch(`${app.url}/api/v1/usage/export?period=this_month&groupBy=department&format=xlsx`, { headers: { authorization: `Bearer ${adele.token}` } });
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  });

  it("budgets are money: billing roles set them, other admins read them with this month's spend", async () => {
    const body = { departments: [{ department: "Sales", monthlyMicros: usd(1.2), mode: "block" }] };
    expect((await adele.put("/api/v1/budgets", body)).status).toBe(403);
    expect((await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: 0, mode: "block" }] })).status).toBe(400);
    expect((await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(1), mode: "stop" }] })).status).toBe(400);
    const put = await megan.put("/api/v1/budgets", body);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await adele.get("/api/v1/budgets")).body).toEqual({
      currency: "USD",
      month: "2026-11",
      departments: [{ department: "Sales", monthlyMicros: usd(1.2), mode: "block", spentMicros: usd(1) }],
    });
  });

  it("at 80 % the admins are told once; at 100 % once more, and a blocking budget refuses the department's calls charged to credits", async () => {
    // 1.00 of 1.20 is 83 %: told when the budget was set.
    let events = await budgetEvents();
    expect(events.map((e) => e.id)).toEqual(["budget_threshold:Sales:2026-11:80"]);
    expect((await megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA })).body).toMatchObject({ allowed: true });
    await ingest([call({ upn: "diego@contoso.example", to: INDIA, seconds: 180, start: "2026-11-20T11:00:00Z" })]); // 1.30 of 1.20
    events = await budgetEvents();
    expect(events.map((e) => e.id).sort()).toEqual(["budget_threshold:Sales:2026-11:100", "budget_threshold:Sales:2026-11:80"]);
    expect(events.find((e) => e.id.endsWith(":100"))!.data).toMatchObject({ department: "Sales", level: 100, spentMicros: usd(1.3), monthlyMicros: usd(1.2), mode: "block" });
    expect((await megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA })).body).toMatchObject({
      allowed: false,
      reason: "department_budget_reached",
    });
    // Another department, and a call the plan pays, are not the budget's business.
    expect((await megan.post("/api/v1/calls/authorize", { userId: LEE, callType: "user_out", number: INDIA })).body).toMatchObject({ allowed: true });
    expect((await megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: "+12065550100" })).body).toMatchObject({ allowed: true });
    // More spend the same month tells nobody again.
    await ingest([call({ upn: "diego@contoso.example", to: INDIA, seconds: 60, start: "2026-11-20T11:30:00Z" })]);
    expect(await budgetEvents()).toHaveLength(2);
  });

  it("a budget that only warns lets the calls through", async () => {
    await megan.put("/api/v1/budgets", { departments: [{ department: "Sales", monthlyMicros: usd(1.2), mode: "warn" }] });
    expect((await megan.post("/api/v1/calls/authorize", { userId: DIEGO, callType: "user_out", number: INDIA })).body).toMatchObject({ allowed: true });
    expect(await budgetEvents()).toHaveLength(2);
  });
});
