/**
 * Each usage id is charged once: the same batch twice (same key, another key), the same batch on
 * two API instances at once, and a crash at every step finished by a re-post or by recovery.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { RECOVER_AFTER_MS } from "../../api/src/usage/ingest.js";
import { allRecords, call, ledgerEntries, sumOf, USAGE_TENANTS } from "./usage-fixtures.js";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { monthPartition } from "../../api/src/store/containers.js";

/** n calls by diego (domestic plan) to an Indian mobile, 1 min each: 100,000 micros each. */
const indiaCalls = (n: number, day: string) =>
  Array.from({ length: n }, (_, i) =>
    call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start: `${day}T${String(8 + (i % 10)).padStart(2, "0")}:00:${String(i % 60).padStart(2, "0")}Z` }),
  );

describe("usage is charged once", () => {
  let world: TestWorld;
  let app1: App;
  let app2: App;
  let clock: ManualClock;
  let m1: ApiClient;
  let m2: ApiClient;
  const balance = async () => (await m1.get("/api/v1/account")).body.balanceMicros as number;
  const usageEntries = async () => (await ledgerEntries(m1)).filter((e) => e.kind === "usage");

  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    clock = new ManualClock(new Date());
    app1 = await world.app({ clock });
    app2 = await world.app({ clock });
    m1 = await ApiClient.signIn(app1.url, "megan@contoso.example");
    m2 = await ApiClient.signIn(app2.url, "megan@contoso.example");
    expect((await m1.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    expect((await m1.postMoney("/api/v1/account/funds", { amountMicros: usd(1000) })).status).toBe(201);
  });
  afterAll(() => world.close());

  it("replays the same key with the same answer, and charges nothing for the same rows under another key", async () => {
    const rows = indiaCalls(10, "2025-04-02");
    const before = await balance();
    const first = await m1.postMoney("/api/v1/usage/records", { records: rows }, "batch-a");
    // 10 × 1 min × 100,000 = 1,000,000
    expect(first.body).toMatchObject({ accepted: 10, duplicates: 0, chargedMicros: 1_000_000, balanceMicros: before - 1_000_000 });
    const replay = await m1.postMoney("/api/v1/usage/records", { records: rows }, "batch-a");
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const again = await m1.postMoney("/api/v1/usage/records", { records: rows }, "batch-b");
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 10, chargedMicros: 0, balanceMicros: before - 1_000_000 });
    // Overlapping batch: 5 old rows and 3 new ones → only the new are charged (3 × 100,000).
    const overlap = await m1.postMoney("/api/v1/usage/records", { records: [...rows.slice(5), ...indiaCalls(3, "2025-04-03")] });
    expect(overlap.body).toMatchObject({ accepted: 3, duplicates: 5, chargedMicros: 300_000 });
    // The same row twice in one batch is one call.
    const twice = indiaCalls(1, "2025-04-04");
    expect((await m1.postMoney("/api/v1/usage/records", { records: [twice[0], twice[0]] })).body).toMatchObject({ accepted: 1, duplicates: 1, chargedMicros: 100_000 });
    expect(await balance()).toBe(before - 1_400_000);
  });

  it("charges a batch posted concurrently on two instances once", async () => {
    const rows = indiaCalls(40, "2025-04-05");
    const before = await balance();
    const entriesBefore = (await usageEntries()).length;
    const answers = await Promise.all([
      m1.postMoney("/api/v1/usage/records", { records: rows }),
      m2.postMoney("/api/v1/usage/records", { records: rows }),
      m1.postMoney("/api/v1/usage/records", { records: rows }),
      m2.postMoney("/api/v1/usage/records", { records: [...rows].reverse() }),
    ]);
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    // Between them they created each record once and reported each charge once: 40 × 100,000.
    expect(answers.reduce((s, a) => s + a.body.accepted, 0)).toBe(40);
    expect(answers.reduce((s, a) => s + a.body.chargedMicros, 0)).toBe(4_000_000);
    await Promise.all([app1.settle(), app2.settle()]);
    expect(await balance()).toBe(before - 4_000_000);
    expect((await usageEntries()).length - entriesBefore).toBe(1);
    const records = await allRecords(m1, "2025-04-05", "2025-04-06");
    expect(records).toHaveLength(40);
    expect(records.every((r) => r.state === "posted")).toBe(true);
    const summary = (await m1.get("/api/v1/usage/summary?from=2025-04-05&to=2025-04-06")).body;
    expect(summary.totals).toEqual({ calls: 40, minutes: 40, chargeMicros: 4_000_000 });
  });

  for (const failPoint of ["after-create", "after-post", "after-settle"] as const) {
    it(`finishes a batch that crashed ${failPoint} when the same rows are posted again`, async () => {
      const day = { "after-create": "2025-04-10", "after-post": "2025-04-11", "after-settle": "2025-04-12" }[failPoint];
      const rows = indiaCalls(6, day);
      const before = await balance();
      app1.services.usage.ingestor.failPoint = failPoint;
      const crashed = await m1.postMoney("/api/v1/usage/records", { records: rows });
      app1.services.usage.ingestor.failPoint = undefined;
      expect(crashed.status).toBe(500);
      expect(
        (
          await allRecords(
            m1,
            day,
            day.replace(/\d\d$/, (d) => String(Number(d) + 1)),
          )
        ).every((r) => r.state === "rated"),
      ).toBe(true);

      const retry = await m2.postMoney("/api/v1/usage/records", { records: rows });
      expect(retry.body).toMatchObject({ accepted: 0, duplicates: 6, recovered: 6 });
      // 6 × 100,000 = 600,000, debited once whether or not the crashed try had posted it.
      expect(await balance()).toBe(before - 600_000);
      const records = await allRecords(
        m1,
        day,
        day.replace(/\d\d$/, (d) => String(Number(d) + 1)),
      );
      expect(records.every((r) => r.state === "posted")).toBe(true);
      const summary = (await m1.get(`/api/v1/usage/summary?from=${day}&to=${day}T23:59:59Z`)).body;
      expect(summary.totals).toEqual({ calls: 6, minutes: 6, chargeMicros: 600_000 });
    });
  }

  it("finishes a crashed batch from the records that exist once its owner is presumed dead", async () => {
    const day = "2025-04-20";
    const [a, b, c] = indiaCalls(3, day);
    const before = await balance();
    app1.services.usage.ingestor.failPoint = "after-create";
    expect((await m1.postMoney("/api/v1/usage/records", { records: [a, b] })).status).toBe(500);
    app1.services.usage.ingestor.failPoint = undefined;

    // While the owner may still be working, its records are left to it.
    const early = await m2.postMoney("/api/v1/usage/records", { records: [a, c] });
    expect(early.body).toMatchObject({ accepted: 1, duplicates: 1, recovered: 0, chargedMicros: 100_000 });
    expect(await balance()).toBe(before - 100_000);

    clock.advance(RECOVER_AFTER_MS + 1000);
    const late = await m2.postMoney("/api/v1/usage/records", { records: [a] });
    expect(late.body).toMatchObject({ accepted: 0, duplicates: 1, recovered: 1 });
    // a and b (the crashed batch) + c = 3 × 100,000.
    expect(await balance()).toBe(before - 300_000);
    const records = await allRecords(m1, day, "2025-04-21");
    expect(records.map((r) => r.state)).toEqual(["posted", "posted", "posted"]);
    expect((await m1.get(`/api/v1/usage/summary?from=${day}&to=2025-04-21`)).body.totals).toEqual({ calls: 3, minutes: 3, chargeMicros: 300_000 });
    expect(await app1.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(0);
  });

  it("recovers a batch that crashed after creating its records, from its batch document, and charges it once", async () => {
    const day = "2025-04-22";
    const rows = indiaCalls(4, day);
    const before = await balance();
    const entriesBefore = (await usageEntries()).length;
    app1.services.usage.ingestor.failPoint = "after-create";
    expect((await m1.postMoney("/api/v1/usage/records", { records: rows })).status).toBe(500);
    app1.services.usage.ingestor.failPoint = undefined;
    expect((await allRecords(m1, day, "2025-04-23")).map((r) => r.state)).toEqual(["rated", "rated", "rated", "rated"]);

    // Fresh: left to its owner.
    expect(await app2.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(0);
    expect(await balance()).toBe(before);

    clock.advance(RECOVER_AFTER_MS + 1000);
    expect(await app2.services.usage.ingestor.recoverStaleEverywhere()).toBe(4); // the background job's sweep
    // 4 × 100,000, once.
    expect(await balance()).toBe(before - 400_000);
    expect((await usageEntries()).length - entriesBefore).toBe(1);
    expect((await allRecords(m1, day, "2025-04-23")).every((r) => r.state === "posted")).toBe(true);
    expect((await m1.get(`/api/v1/usage/summary?from=${day}&to=2025-04-23`)).body.totals).toEqual({ calls: 4, minutes: 4, chargeMicros: 400_000 });

    // Recovered once: a second recovery and a re-post change nothing.
    expect(await app1.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(0);
    expect((await m2.postMoney("/api/v1/usage/records", { records: rows })).body).toMatchObject({ accepted: 0, duplicates: 4, chargedMicros: 0 });
    expect(await balance()).toBe(before - 400_000);
    expect((await usageEntries()).length - entriesBefore).toBe(1);
  });

  it("records what a crashed batch never created when its rows come again after it was recovered", async () => {
    const day = "2025-04-24";
    const [a, b] = indiaCalls(2, day);
    const before = await balance();
    app1.services.usage.ingestor.failPoint = "after-create";
    expect((await m1.postMoney("/api/v1/usage/records", { records: [a, b] })).status).toBe(500);
    app1.services.usage.ingestor.failPoint = undefined;
    // As if the crash had come before b's record was created.
    await app1.world.store.containers.usage.item(b.id, monthPartition(CONTOSO_TENANT_ID, b.startDateTime)).delete();

    clock.advance(RECOVER_AFTER_MS + 1000);
    expect(await app2.services.usage.ingestor.recoverStale(CONTOSO_TENANT_ID)).toBe(1);
    expect(await balance()).toBe(before - 100_000);

    // The same rows again: a is recorded (its batch is done), b is new and charged once.
    const again = await m2.postMoney("/api/v1/usage/records", { records: [a, b] });
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 1, chargedMicros: 100_000 });
    const once = await m1.postMoney("/api/v1/usage/records", { records: [a, b] });
    expect(once.body).toMatchObject({ accepted: 0, duplicates: 2, chargedMicros: 0 });
    expect(await balance()).toBe(before - 200_000);
    const records = await allRecords(m1, day, "2025-04-25");
    expect(records.map((r) => r.state)).toEqual(["posted", "posted"]);
    expect((await m1.get(`/api/v1/usage/summary?from=${day}&to=2025-04-25`)).body.totals).toEqual({ calls: 2, minutes: 2, chargeMicros: 200_000 });
  });

  it("keeps the ledger equal to the sum of credits charges", async () => {
    const records = await allRecords(m1, "2025-01-01", "2025-12-31");
    const debited = -sumOf(await usageEntries(), "amountMicros");
    expect(debited).toBe(
      sumOf(
        records.filter((r) => r.chargedTo === "credits"),
        "chargeMicros",
      ),
    );
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });
});
