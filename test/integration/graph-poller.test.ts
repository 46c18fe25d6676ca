/**
 * The Graph poller against a local Graph-compatible HTTPS endpoint that pages (3 rows a page):
 * it follows @odata.nextLink, charges every call once, resumes from its watermark with an overlap
 * (re-read calls come back as duplicates charged 0), and two instances polling at once charge once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID, DEMO_TENANTS, FABRIKAM_TENANT_ID, type PstnCallLogRow } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { startLocalGraph, LOCAL_GRAPH_TOKEN_PREFIX, type LocalGraph } from "../../api/src/local/directory/local-graph-server.js";
import { graphClientFactory } from "../../api/src/directory/graph-directory.js";
import { GraphPoller, POLLER_STATE_ID, type PollerStateDoc } from "../../api/src/usage/graph-poller.js";
import { systemClock, ManualClock } from "../../api/src/shared/clock.js";
import { readDoc } from "../../api/src/store/cosmos.js";
import { call } from "./usage-fixtures.js";

const diego = "diego@contoso.example";
/** As Graph serves it: plain JSON. */
const graphRow = (row: PstnCallLogRow): Record<string, unknown> => ({ ...row });
/** diego (domestic plan, licensed) to an Indian mobile: international, credits, 5 min × 0.10 = 0.50. */
const india = (start: string) => graphRow(call({ upn: diego, to: "+919812345678", seconds: 300, start }));
/** A caller on the US toll-free bridge: 125 s = 3 min × 0.02 = 0.06, always credits. */
const tollFree = (start: string) => graphRow(call({ callType: "conf_in", to: "+18005550100", seconds: 125, start, inventoryType: "Toll free", from: "+12065550199" }));

describe("Graph poller", () => {
  let world: TestWorld;
  let app: App;
  let graph: LocalGraph;
  let poller: (options?: ConstructorParameters<typeof GraphPoller>[5]) => GraphPoller;

  const pstnRequests = () => graph.requests().filter((r) => r.includes("getPstnCalls"));
  const usageDebits = async (tenantId: string) => {
    const { resources } = await app.world.store.containers.ledger.items
      .query<number>({ query: "SELECT VALUE c.amountMicros FROM c WHERE c.tenantId = @t AND c.kind = 'usage'", parameters: [{ name: "@t", value: tenantId }] })
      .fetchAll();
    return -resources.reduce((a, b) => a + b, 0);
  };
  const usageCount = async (tenantId: string) => {
    const { resources } = await app.world.store.containers.usage.items
      .query<number>({ query: "SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: tenantId }] })
      .fetchAll();
    return resources[0];
  };
  const watermark = () => readDoc<PollerStateDoc>(app.world.store.containers.state, CONTOSO_TENANT_ID, POLLER_STATE_ID);

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    // A second local Graph that pages every 3 rows; the app's own directory stays on the world's.
    graph = await startLocalGraph({ tenants: DEMO_TENANTS, pageSize: 3 });
    const clients = graphClientFactory({ baseUrl: graph.url, ca: graph.ca, tokenFor: async (tenantId) => `${LOCAL_GRAPH_TOKEN_PREFIX}${tenantId}` });
    poller = (options = {}) => new GraphPoller(app.world.store, clients, app.services.usage, systemClock, undefined, options);
  });
  afterAll(async () => {
    await graph?.close();
    await world?.close();
  });

  it("pages through three pages and charges every call once", async () => {
    const rows = [
      ...["09:00", "09:30", "10:00", "11:00", "14:00"].map((t) => india(`2025-03-10T${t}:00Z`)),
      ...["12:00", "15:00"].map((t) => tollFree(`2025-03-10T${t}:00Z`)),
      tollFree("2025-03-10T23:10:00Z"),
    ];
    graph.addPstnCalls(CONTOSO_TENANT_ID, rows);
    // Not yet published for March 2nd: before the first window (until − 7 days).
    graph.addPstnCalls(CONTOSO_TENANT_ID, [india("2025-03-02T10:00:00Z")]);

    const result = await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-03-11T00:00:00Z"));
    expect(result).toMatchObject({
      status: "polled",
      from: "2025-03-04T00:00:00.000Z",
      to: "2025-03-11T00:00:00.000Z",
      windows: 1,
      pages: 3,
      rows: 8,
      accepted: 8,
      duplicates: 0,
      rejected: 0,
      chargedMicros: 5 * 500_000 + 3 * 60_000,
      watermark: "2025-03-11T00:00:00.000Z",
    });
    expect(await usageDebits(CONTOSO_TENANT_ID)).toBe(2_680_000);
    expect(await usageCount(CONTOSO_TENANT_ID)).toBe(8);

    // The first request names the window; the next two are the @odata.nextLink pages.
    const requests = pstnRequests();
    expect(requests).toHaveLength(3);
    expect(decodeURIComponent(requests[0])).toContain("getPstnCalls(fromDateTime=2025-03-04T00:00:00.000Z,toDateTime=2025-03-11T00:00:00.000Z)");
    expect(decodeURIComponent(requests[1])).toContain("$skiptoken=3");
    expect(decodeURIComponent(requests[2])).toContain("$skiptoken=6");

    const state = await watermark();
    expect(state).toMatchObject({ lastToDateTime: "2025-03-11T00:00:00.000Z", leaseOwner: null, leaseUntil: null });
    // The batch key names the Graph window and page, for tracing.
    const { resources } = await app.world.store.containers.usage.items
      .query<string>({ query: "SELECT VALUE c.batchKey FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: CONTOSO_TENANT_ID }] })
      .fetchAll();
    expect(new Set(resources)).toEqual(new Set([1, 2, 3].map((p) => `graph:2025-03-04T00:00:00.000Z:2025-03-11T00:00:00.000Z:${p}`)));
  });

  it("resumes from the watermark, re-reading an hour back: late calls are picked up, re-read ones charge nothing", async () => {
    const before = await usageDebits(CONTOSO_TENANT_ID);
    const requestsBefore = pstnRequests().length;
    const fresh = [india("2025-03-11T10:00:00Z"), india("2025-03-11T16:00:00Z"), tollFree("2025-03-11T17:00:00Z")];
    // Published late, but within the overlap: picked up.
    const late = tollFree("2025-03-10T23:30:00Z");
    // Published later than the overlap reaches back: the poller does not see it (documented limit).
    const tooLate = india("2025-03-10T12:00:00Z");
    graph.addPstnCalls(CONTOSO_TENANT_ID, [...fresh, late, tooLate]);

    const result = await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-03-12T00:00:00Z"));
    // Window [23:00 on the 10th, the 12th): the 23:10 call of the first poll again, the late one, the three new ones.
    expect(result).toMatchObject({
      status: "polled",
      from: "2025-03-10T23:00:00.000Z",
      to: "2025-03-12T00:00:00.000Z",
      pages: 2,
      rows: 5,
      accepted: 4,
      duplicates: 1,
      chargedMicros: 2 * 500_000 + 2 * 60_000,
      watermark: "2025-03-12T00:00:00.000Z",
    });
    expect(await usageDebits(CONTOSO_TENANT_ID)).toBe(before + 1_120_000);
    expect(await usageCount(CONTOSO_TENANT_ID)).toBe(12);
    const requests = pstnRequests().slice(requestsBefore);
    expect(decodeURIComponent(requests[0])).toContain("getPstnCalls(fromDateTime=2025-03-10T23:00:00.000Z,toDateTime=2025-03-12T00:00:00.000Z)");
    expect(requests).toHaveLength(2);

    // Nothing newer than the watermark: no Graph call at all.
    const again = await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-03-12T00:00:00Z"));
    expect(again).toMatchObject({ status: "up_to_date", pages: 0, watermark: "2025-03-12T00:00:00.000Z" });
    expect(pstnRequests().length).toBe(requestsBefore + 2);
  });

  it("splits a long gap into windows of at most 7 days and advances the watermark after each", async () => {
    const requestsBefore = pstnRequests().length;
    graph.addPstnCalls(CONTOSO_TENANT_ID, [india("2025-03-20T10:00:00Z"), india("2025-03-28T10:00:00Z")]);
    const result = await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-03-29T00:00:00Z"));
    // [11th 23:00, 18th 23:00), [18th 23:00, 25th 23:00), [25th 23:00, 29th).
    expect(result).toMatchObject({ status: "polled", windows: 3, pages: 3, accepted: 2, chargedMicros: 1_000_000, watermark: "2025-03-29T00:00:00.000Z" });
    const windows = pstnRequests().slice(requestsBefore).map(decodeURIComponent);
    expect(windows[0]).toContain("fromDateTime=2025-03-11T23:00:00.000Z,toDateTime=2025-03-18T23:00:00.000Z");
    expect(windows[1]).toContain("fromDateTime=2025-03-18T23:00:00.000Z,toDateTime=2025-03-25T23:00:00.000Z");
    expect(windows[2]).toContain("fromDateTime=2025-03-25T23:00:00.000Z,toDateTime=2025-03-29T00:00:00.000Z");
  });

  it("two instances polling at once: one holds the lease, every call is charged once", async () => {
    const before = await usageDebits(CONTOSO_TENANT_ID);
    const count = await usageCount(CONTOSO_TENANT_ID);
    graph.addPstnCalls(
      CONTOSO_TENANT_ID,
      ["09", "10", "11", "13", "14", "15", "16"].map((h) => india(`2025-03-29T${h}:00:00Z`)),
    );
    const until = new Date("2025-03-30T00:00:00Z");
    const [a, b] = await Promise.all([poller().pollTenant(CONTOSO_TENANT_ID, until), poller().pollTenant(CONTOSO_TENANT_ID, until)]);
    expect([a.status, b.status].sort()).toEqual(["busy", "polled"]);
    expect(a.accepted + b.accepted).toBe(7);
    expect(await usageDebits(CONTOSO_TENANT_ID)).toBe(before + 7 * 500_000);
    expect(await usageCount(CONTOSO_TENANT_ID)).toBe(count + 7);
    expect((await watermark())?.lastToDateTime).toBe("2025-03-30T00:00:00.000Z");
  });

  it("two instances reading the same window (their leases lapse at once) still charge each call once", async () => {
    const before = await usageDebits(CONTOSO_TENANT_ID);
    const count = await usageCount(CONTOSO_TENANT_ID);
    graph.addPstnCalls(
      CONTOSO_TENANT_ID,
      ["08", "09", "10", "11", "12", "13", "14", "15", "16", "17"].map((h) => india(`2025-03-30T${h}:00:00Z`)),
    );
    const until = new Date("2025-03-31T00:00:00Z");
    // A lease of 0 ms is no lease: both read Graph and ingest the same pages concurrently.
    const results = await Promise.all([poller({ leaseMs: 0 }).pollTenant(CONTOSO_TENANT_ID, until), poller({ leaseMs: 0 }).pollTenant(CONTOSO_TENANT_ID, until)]);
    expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(10);
    expect(results.reduce((s, r) => s + r.chargedMicros, 0)).toBe(10 * 500_000);
    expect(await usageDebits(CONTOSO_TENANT_ID)).toBe(before + 10 * 500_000);
    expect(await usageCount(CONTOSO_TENANT_ID)).toBe(count + 10);
    expect((await watermark())?.lastToDateTime).toBe("2025-03-31T00:00:00.000Z");
  });

  it("a stale lease of a crashed instance expires", async () => {
    const state = app.world.store.containers.state;
    const doc = (await watermark())!;
    await state.item(POLLER_STATE_ID, CONTOSO_TENANT_ID).replace({ ...doc, leaseOwner: "crashed", leaseUntil: new Date(Date.now() + 60_000).toISOString() });
    expect((await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-04-01T00:00:00Z"))).status).toBe("busy");
    await state.item(POLLER_STATE_ID, CONTOSO_TENANT_ID).replace({ ...doc, leaseOwner: "crashed", leaseUntil: new Date(Date.now() - 1).toISOString() });
    expect(await poller().pollTenant(CONTOSO_TENANT_ID, new Date("2025-04-01T00:00:00Z"))).toMatchObject({ status: "polled", watermark: "2025-04-01T00:00:00.000Z" });
  });

  it("pollAll polls every tenant with an account", async () => {
    const clients = graphClientFactory({ baseUrl: graph.url, ca: graph.ca, tokenFor: async (tenantId) => `${LOCAL_GRAPH_TOKEN_PREFIX}${tenantId}` });
    const clock = new ManualClock(new Date("2025-04-01T00:00:00Z"));
    const results = await new GraphPoller(app.world.store, clients, app.services.usage, clock).pollAll();
    const byTenant = new Map(results.map((r) => [r.tenantId, r]));
    expect(byTenant.get(CONTOSO_TENANT_ID)?.status).toBe("up_to_date");
    expect(byTenant.get(FABRIKAM_TENANT_ID)).toMatchObject({ status: "polled", from: "2025-03-25T00:00:00.000Z", accepted: 0 });
  });

  it("POST /api/dev/graph/poll polls the caller's tenant through the app's own Graph client", async () => {
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    // Start fabrikam afresh (the pollAll test left its watermark in 2025): the first poll reads the last 7 days.
    await app.world.store.containers.state.item(POLLER_STATE_ID, FABRIKAM_TENANT_ID).delete();
    const recent = new Date(Date.now() - 2 * 3_600_000).toISOString();
    // fabrikam's only user has no license: a toll-free call needs none.
    world.graph.addPstnCalls(FABRIKAM_TENANT_ID, [tollFree(recent)]);
    const res = await nestor.post("/api/dev/graph/poll", {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: FABRIKAM_TENANT_ID, status: "polled", pages: 1, accepted: 1, chargedMicros: 60_000 });
    expect((await nestor.post("/api/dev/graph/poll", { until: "yesterday" })).status).toBe(400);
    const lynne = await ApiClient.signIn(app.url, "lynne@contoso.example");
    expect((await lynne.post("/api/dev/graph/poll", {})).status).toBe(403);
    expect((await new ApiClient(app.url).post("/api/dev/graph/poll", {})).status).toBe(401);
  });
});
