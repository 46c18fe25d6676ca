/**
 * Issue 21, item 3: usage records and audit records are partitioned by tenant and month (`pk` =
 * `<tenantId>|<yyyy-mm>`), so no tenant's history fills one 20 GB logical partition. A tenant's
 * records of two months live in two logical partitions (a point read finds each in its own month's
 * partition only; a query of one partition sees that month only, on the embedded store too), a
 * record sent again in a later month is still charged once, the records pages and export span the
 * months, and no query of one tenant returns another tenant's documents. The embedded store's data
 * from before the change (records without `pk`) starts and is migrated.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { queryAll, queryMonths, readDoc } from "../../api/src/store/cosmos.js";
import { monthPartition, monthsBetween } from "../../api/src/store/containers.js";
import { startLocalCosmos } from "../../api/src/local/store/local-server.js";
import { openStore } from "../../api/src/store/cosmos.js";
import { allRecords, call, USAGE_TENANTS, WOODGROVE } from "./usage-fixtures.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { RECOVER_AFTER_MS } from "../../api/src/usage/ingest.js";
import { batchDocId, type BatchDoc } from "../../api/src/usage/batches.js";

const lee = "lee@contoso.example";
const RECORDS_OF = "SELECT * FROM c WHERE c.tenantId = @tenantId";

describe("usage partitioned by tenant and month", () => {
  let world: TestWorld;
  let app: App;
  let adele: ApiClient;
  const march = call({ upn: lee, to: "+4930123456", seconds: 60, start: "2025-03-31T23:59:00Z", id: "part-march" });
  const april = call({ upn: lee, to: "+4930123456", seconds: 120, start: "2025-04-01T00:00:30Z", id: "part-april" });
  const woodgrove = call({ upn: "jonas@woodgrove.example", to: "+4930123456", seconds: 60, start: "2025-03-15T10:00:00Z", id: "part-woodgrove" });

  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    app = await world.app();
    adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    expect(await app.services.usage.ingest(CONTOSO_TENANT_ID, [march, april], "part-1")).toMatchObject({ accepted: 2, rejected: [] });
    expect(await app.services.usage.ingest(WOODGROVE.tenantId, [woodgrove], "part-w")).toMatchObject({ accepted: 1, rejected: [] });
  });
  afterAll(() => world.close());

  it("puts a tenant's records of two months in two logical partitions", async () => {
    const usage = app.world.store.containers.usage;
    const marchPk = monthPartition(CONTOSO_TENANT_ID, "2025-03");
    const aprilPk = monthPartition(CONTOSO_TENANT_ID, "2025-04");
    expect(marchPk).toBe(`${CONTOSO_TENANT_ID}|2025-03`);
    // Each record is in its month's partition, and not in the other's (point reads by id + partition key).
    expect((await readDoc(usage, marchPk, "part-march"))?.pk).toBe(marchPk);
    expect((await readDoc(usage, aprilPk, "part-april"))?.pk).toBe(aprilPk);
    expect(await readDoc(usage, aprilPk, "part-march")).toBeUndefined();
    expect(await readDoc(usage, marchPk, "part-april")).toBeUndefined();
    // Nor in the tenant-wide key of before.
    expect(await readDoc(usage, CONTOSO_TENANT_ID, "part-march")).toBeUndefined();
    // A query of one month's partition sees that month only (the embedded store honours the partition key as Azure does).
    expect((await queryAll<{ id: string }>(usage, CONTOSO_TENANT_ID, RECORDS_OF, {}, "2025-03")).map((d) => d.id)).toEqual(["part-march"]);
    expect((await queryAll<{ id: string }>(usage, CONTOSO_TENANT_ID, RECORDS_OF, {}, "2025-04")).map((d) => d.id)).toEqual(["part-april"]);
    // A query across months runs once per month partition.
    expect((await queryMonths<{ id: string }>(usage, CONTOSO_TENANT_ID, monthsBetween("2025-02-10", "2025-05-01"), RECORDS_OF)).map((d) => d.id)).toEqual([
      "part-march",
      "part-april",
    ]);
    // A tenant query of a month-partitioned container without its month is refused, not sent cross-partition.
    await expect(queryAll(usage, CONTOSO_TENANT_ID, RECORDS_OF)).rejects.toThrow(/month partition/);
  });

  it("never returns another tenant's documents, even for the same month", async () => {
    const usage = app.world.store.containers.usage;
    const contoso = await queryAll<{ id: string; tenantId: string }>(usage, CONTOSO_TENANT_ID, RECORDS_OF, {}, "2025-03");
    const wood = await queryAll<{ id: string; tenantId: string }>(usage, WOODGROVE.tenantId, RECORDS_OF, {}, "2025-03");
    expect(contoso.map((d) => d.id)).toEqual(["part-march"]);
    expect(wood.map((d) => d.id)).toEqual(["part-woodgrove"]);
    expect(new Set([...contoso.map((d) => d.tenantId)])).toEqual(new Set([CONTOSO_TENANT_ID]));
    // The partition alone scopes too: contoso's filter sent to woodgrove's partition finds nothing.
    const { resources } = await usage.items
      .query({ query: RECORDS_OF, parameters: [{ name: "@tenantId", value: CONTOSO_TENANT_ID }] }, { partitionKey: monthPartition(WOODGROVE.tenantId, "2025-03") })
      .fetchAll();
    expect(resources).toEqual([]);
    // And through the API: contoso's pages hold contoso's records only.
    const items = await allRecords(adele, "2025-03-01", "2025-05-01");
    expect(items.map((r) => r.id)).toEqual(["part-april", "part-march"]);
    expect(items.every((r) => r.tenantId === CONTOSO_TENANT_ID && !("pk" in r))).toBe(true);
  });

  it("charges a record sent again once, whatever month it is sent in", async () => {
    // The same rows again (a retry, a Graph window overlap): the partition is the call's month, so the create conflicts.
    const again = await app.services.usage.ingest(CONTOSO_TENANT_ID, [march, april], "part-2");
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, chargedMicros: 0 });
    const ids = (await queryMonths<{ id: string }>(app.world.store.containers.usage, CONTOSO_TENANT_ID, ["2025-03", "2025-04"], RECORDS_OF)).map((d) => d.id);
    expect(ids.sort()).toEqual(["part-april", "part-march"]);
  });

  it("writes audit records into the tenant's month of the record", async () => {
    await app.services.audit.recordOnce(CONTOSO_TENANT_ID, "part-audit", { id: "test" }, "test.partition", "2025-02-14T08:00:00.000Z", null, { x: 1 });
    const audit = app.world.store.containers.audit;
    expect((await readDoc(audit, monthPartition(CONTOSO_TENANT_ID, "2025-02"), "part-audit"))?.action).toBe("test.partition");
    expect(await readDoc(audit, monthPartition(CONTOSO_TENANT_ID, "2025-03"), "part-audit")).toBeUndefined();
    // Recorded again later (the same cause): its partition is the cause's month, so it is still one record.
    await app.services.audit.recordOnce(CONTOSO_TENANT_ID, "part-audit", { id: "test" }, "test.partition", "2025-02-14T08:00:00.000Z", null, { x: 2 });
    expect((await readDoc<{ id: string; tenantId: string; after: unknown }>(audit, monthPartition(CONTOSO_TENANT_ID, "2025-02"), "part-audit"))?.after).toEqual({ x: 1 });
  });
});

describe("recovering a crashed batch whose calls span two months", () => {
  let world: TestWorld;
  let app: App;
  let clock: ManualClock;
  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    clock = new ManualClock(new Date("2026-02-10T12:00:00Z"));
    app = await world.app({ clock });
  });
  afterAll(() => world.close());

  const crash = async (ids: [string, string]) => {
    const rows = [
      call({ upn: lee, to: "+4930123456", seconds: 60, start: "2026-01-31T23:30:00Z", id: ids[0] }),
      call({ upn: lee, to: "+4930123456", seconds: 60, start: "2026-02-01T00:30:00Z", id: ids[1] }),
    ];
    const ingestor = app.services.usage.ingestor;
    ingestor.failPoint = "after-create";
    await expect(ingestor.ingest(CONTOSO_TENANT_ID, rows, ids.join("+"))).rejects.toThrow(/after-create/);
    ingestor.failPoint = undefined;
    const batches = await app.world.store.containers.rollups.items
      .query<BatchDoc>({ query: "SELECT * FROM c WHERE c.type = 'batch' AND c.state = 'open'" }, { partitionKey: CONTOSO_TENANT_ID })
      .fetchAll();
    expect(batches.resources).toHaveLength(1);
    return batches.resources[0];
  };

  it("finds the batch's records in both month partitions (the months are on its batch document)", async () => {
    const batch = await crash(["span-jan", "span-feb"]);
    expect(batch.months).toEqual(["2026-01", "2026-02"]);
    clock.advance(RECOVER_AFTER_MS + 1000);
    expect(await app.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(2);
    expect((await app.services.usage.ingestor.batches.read(CONTOSO_TENANT_ID, batch.ref))?.memberCount).toBe(2);
  });

  it("finds them too for a batch opened before batches named their months (the retention window)", async () => {
    const batch = await crash(["legacy-jan", "legacy-feb"]);
    const { months, ...legacy } = batch;
    expect(months).toHaveLength(2);
    await app.world.store.containers.rollups.item(batchDocId(batch.ref), CONTOSO_TENANT_ID).replace(legacy);
    clock.advance(RECOVER_AFTER_MS + 1000);
    expect(await app.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(2);
    expect((await app.services.usage.ingestor.batches.read(CONTOSO_TENANT_ID, batch.ref))?.memberCount).toBe(2);
  });
});

describe("the embedded store's data from before usage was partitioned by month", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-partitions-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("starts, and puts each old record in its month's partition", async () => {
    const old = (id: string, start: string) => ({ id, tenantId: CONTOSO_TENANT_ID, startDateTime: start, day: start.slice(0, 10), sortKey: `${start}|${id}`, _ts: 1_700_000_000 });
    // A snapshot (format 3) and a journal segment as the version before wrote them: no `pk`, a delete keyed by tenant.
    const snapshot = [
      JSON.stringify({ format: 3, journalFrom: 1, database: "partitions-test" }),
      JSON.stringify({ c: "usage", d: old("snap-jan", "2025-01-20T10:00:00.000Z") }),
      JSON.stringify({ c: "usage", d: old("snap-gone", "2025-01-21T10:00:00.000Z") }),
      JSON.stringify({ c: "audit", d: { id: "audit-old", tenantId: CONTOSO_TENANT_ID, action: "x", at: "2024-12-31T23:00:00.000Z" } }),
      JSON.stringify({ c: "ledger", d: { id: "0000000001", tenantId: CONTOSO_TENANT_ID, ref: "funding:1", seq: 1 } }),
    ];
    await writeFile(join(dataDir, "cosmos-snapshot.json"), snapshot.join("\n") + "\n");
    const journal = [
      JSON.stringify({ db: "partitions-test", coll: "usage", put: old("journal-feb", "2025-02-02T10:00:00.000Z") }),
      JSON.stringify({ db: "partitions-test", coll: "usage", del: "snap-gone", pk: CONTOSO_TENANT_ID }),
    ];
    await writeFile(join(dataDir, "cosmos-journal.1.log"), journal.join("\n") + "\n");

    const cosmos = await startLocalCosmos(0, { dataDir });
    const store = await openStore({ endpoint: cosmos.endpoint, database: "partitions-test", local: true });
    try {
      const recovered = await cosmos.journal!.recover(store);
      expect(recovered).toMatchObject({ documents: 4, replayed: 2 });
      const usage = store.containers.usage;
      expect((await readDoc(usage, monthPartition(CONTOSO_TENANT_ID, "2025-01"), "snap-jan"))?.pk).toBe(`${CONTOSO_TENANT_ID}|2025-01`);
      expect((await readDoc(usage, monthPartition(CONTOSO_TENANT_ID, "2025-02"), "journal-feb"))?.pk).toBe(`${CONTOSO_TENANT_ID}|2025-02`);
      expect(await readDoc(usage, monthPartition(CONTOSO_TENANT_ID, "2025-01"), "snap-gone")).toBeUndefined();
      expect((await queryAll<{ id: string }>(usage, CONTOSO_TENANT_ID, RECORDS_OF, {}, "2025-01")).map((d) => d.id)).toEqual(["snap-jan"]);
      expect((await readDoc(store.containers.audit, monthPartition(CONTOSO_TENANT_ID, "2024-12"), "audit-old"))?.action).toBe("x");
      expect(await readDoc(store.containers.ledger, CONTOSO_TENANT_ID, "0000000001")).toBeDefined();
    } finally {
      await cosmos.close();
      await store.client.dispose();
    }
  }, 60_000);
});
