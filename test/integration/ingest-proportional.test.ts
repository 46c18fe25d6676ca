/**
 * Issue 21 item 1: a 1,000-row batch costs the same store operations whether its tenant has 2,000
 * or 20,000 licensed users (the license check reads the batch's users, not the tenant's licenses).
 * Counted by the embedded store (STORE_OP_COUNTS=1: point reads, writes, queries and their bytes),
 * two tenants seeded by the demo seed's bulk license path, the same batch shape posted to each
 * through POST /api/v1/usage/records.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectoryRole, type DemoTenant, type PstnCallLogRow } from "@cc/common";
import { storeOps, type StoreOps } from "../../api/src/local/store/local-server.js";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";

const SMALL = 2_000;
const LARGE = 20_000;
const BATCH = 1_000;

function tenant(n: number, users: number): DemoTenant {
  const prefix = `eeeeeeee-${String(n).padStart(4, "0")}-4000-8000`;
  const list: DemoTenant["users"] = [
    {
      id: `${prefix}-000000000000`,
      upn: `billing@t${n}.example`,
      displayName: "Billing Admin",
      roles: [DirectoryRole.BillingAdministrator],
      licensed: false,
      callingPlan: "none",
      usageLocation: "US",
    },
  ];
  for (let i = 1; i <= users; i++)
    list.push({
      id: `${prefix}-${i.toString(16).padStart(12, "0")}`,
      upn: `user${i}@t${n}.example`,
      displayName: `User ${i}`,
      roles: [],
      licensed: true,
      callingPlan: "none",
      usageLocation: "US",
    });
  return {
    tenantId: `eeeeeeee-${String(n).padStart(4, "0")}-4000-8000-000000000021`,
    name: `t${n}`,
    displayName: `Tenant ${n}`,
    region: "US",
    billingCountry: "US",
    currency: "USD",
    users: list,
  };
}

/** Batch b of a tenant: 1,000 calls by 1,000 distinct licensed callers, two hours ago, the same shape for every tenant. */
function batch(t: DemoTenant, b: number): PstnCallLogRow[] {
  const at = Date.now() - 2 * 3_600_000 + b * 60_000;
  return Array.from({ length: BATCH }, (_, i) => {
    const user = t.users[1 + ((b * BATCH + i) % SMALL)];
    return {
      id: randomUUID(),
      callId: randomUUID(),
      userId: user.id,
      userPrincipalName: user.upn,
      userDisplayName: user.displayName,
      startDateTime: new Date(at + i * 1000).toISOString(),
      endDateTime: new Date(at + i * 1000 + 120_000).toISOString(),
      duration: 120,
      callType: "user_out",
      calleeNumber: `+1206555${String(i).padStart(4, "0")}`,
      callerNumber: "+14255550100",
      inventoryType: "Subscriber",
      currency: "USD",
      usageCountryCode: "US",
      tenantCountryCode: "US",
      destinationContext: "Domestic",
    } as PstnCallLogRow;
  });
}

const minus = (b: StoreOps, a: StoreOps) => ({
  reads: b.reads - a.reads,
  writes: b.writes - a.writes,
  queries: b.queries - a.queries,
  queryBytes: b.queryBytes - a.queryBytes,
  writeKB: Math.round((b.writeBytes - a.writeBytes) / 1024),
});

describe("ingestion work is proportional to the batch, not to the tenant's licensed users", () => {
  const small = tenant(1, SMALL);
  const large = tenant(2, LARGE);
  let world: TestWorld;
  let app: App;
  const measured = new Map<string, { ops: ReturnType<typeof minus>; ms: number }[]>();

  beforeAll(async () => {
    process.env.STORE_OP_COUNTS = "1"; // read when the embedded store starts
    world = await startWorld({ tenants: [small, large] });
    app = await world.app();
    for (const t of [small, large]) {
      await app.services.ledger.post(t.tenantId, () => ({ kind: "funding", amountMicros: usd(1_000_000), ref: `proportional-${t.name}`, postedBy: "test" }));
      const admin = await ApiClient.signIn(app.url, t.users[0].upn);
      const runs: { ops: ReturnType<typeof minus>; ms: number }[] = [];
      for (let b = 0; b < 3; b++) {
        const rows = batch(t, b);
        const before = { ...storeOps };
        const t0 = performance.now();
        const res = await admin.postMoney("/api/v1/usage/records", { records: rows });
        const ms = performance.now() - t0;
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
        expect(res.body.accepted).toBe(BATCH);
        runs.push({ ops: minus({ ...storeOps }, before), ms });
      }
      measured.set(t.name, runs);
    }
    console.log(JSON.stringify(Object.fromEntries(measured)));
  }, 240_000);
  afterAll(async () => {
    delete process.env.STORE_OP_COUNTS;
    await world?.close();
  });

  it("seeded both tenants' licenses", async () => {
    expect((await app.services.licenses.licensedIds(small.tenantId)).size).toBe(SMALL);
    expect((await app.services.licenses.licensedIds(large.tenantId)).size).toBe(LARGE);
  });

  it("counts the same store operations per batch for 2,000 and 20,000 licensed users", () => {
    const a = measured.get(small.name)!;
    const b = measured.get(large.name)!;
    for (let i = 0; i < a.length; i++) {
      // Reads, writes and queries within 2% (and a couple of operations) of each other; what queries return too.
      for (const key of ["reads", "writes", "queries"] as const)
        expect(Math.abs(b[i].ops[key] - a[i].ops[key]), `batch ${i}: ${key} ${a[i].ops[key]} vs ${b[i].ops[key]}`).toBeLessThanOrEqual(Math.max(2, a[i].ops[key] * 0.02));
      expect(b[i].ops.queryBytes, `batch ${i}: query bytes`).toBeLessThanOrEqual(a[i].ops.queryBytes * 1.1 + 4096);
      // Bounded by the batch: about one point read and one write per row, no read of every license.
      expect(b[i].ops.reads, `batch ${i}: point reads`).toBeLessThan(BATCH + 100);
      expect(b[i].ops.reads).toBeGreaterThan(0);
    }
  });
});
