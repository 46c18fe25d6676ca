/**
 * Issue 21: a day with 20,000 distinct callers keeps every rollup document well under Cosmos DB's
 * 2 MB limit (the day document holds no per-user entry; the per-user totals are sharded), and the
 * readers still see every user's exact totals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";
import { openStore, type Store } from "../../api/src/store/cosmos.js";
import { dayDeltas, UsageRollups, USER_SHARDS, type DayRollupDoc } from "../../api/src/usage/rollups.js";
import { countUsers } from "../../api/src/usage/impact-rules.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import type { RatedCallDoc } from "../../api/src/usage/rated-call.js";

const TENANT = "21212121-2121-4121-8121-212121212121";
const DAY = "2026-03-02";
const CALLERS = 20_000;

function record(i: number, batch: string): RatedCallDoc {
  const userId = `${String(i).padStart(8, "0")}-aaaa-4bbb-8ccc-${String(i).padStart(12, "0")}`;
  return {
    id: `${batch}-${i}`,
    tenantId: TENANT,
    currency: "USD",
    graphCurrency: "USD",
    chargeMicros: 19_000 * (1 + (i % 3)),
    wouldChargeMicros: 0,
    billedMinutes: 1 + (i % 3),
    chargedTo: "credits",
    ratedAt: `${DAY}T23:00:00Z`,
    flags: [],
    destinationCountry: i % 4 === 0 ? "FR" : "US",
    perMinuteMicros: 19_000,
    connectionFeeMicros: 0,
    poolUse: null,
    day: DAY,
    sortKey: "",
    batchRef: batch,
    ledgerRef: batch,
    batchKey: null,
    userId,
    userPrincipalName: `user${i}@contoso-enterprise.example`,
    userDisplayName: `User Number ${i}`,
    startDateTime: `${DAY}T${String(i % 24).padStart(2, "0")}:15:00Z`,
    callType: "user_out",
    calleeNumber: "+12065550100",
  } as unknown as RatedCallDoc;
}

describe("rollups of a 20,000-caller day", () => {
  let cosmos: LocalCosmos;
  let store: Store;
  let rollups: UsageRollups;

  beforeAll(async () => {
    cosmos = await startLocalCosmos(0);
    store = await openStore({ endpoint: cosmos.endpoint, database: "rollup-size", local: true });
    rollups = new UsageRollups(store.containers.rollups, new ManualClock(new Date(`${DAY}T23:30:00Z`)));
    // Two batches of the same 20,000 callers, as 20 ingestions of 1,000 rows would each touch a part of them.
    for (const batch of ["b1", "b2"]) {
      const records = Array.from({ length: CALLERS }, (_, i) => record(i, batch));
      await rollups.apply(
        TENANT,
        batch,
        dayDeltas(
          records,
          (c) => c,
          () => "US",
        ),
      );
    }
    await rollups.apply(
      TENANT,
      "b1",
      dayDeltas(
        [record(0, "b1")],
        (c) => c,
        () => "US",
      ),
    ); // a re-apply counts nothing
  }, 120_000);
  afterAll(async () => {
    await store?.client.dispose();
    await cosmos?.close();
  });

  it("keeps every document well under 2 MB, the day document small whatever the callers", async () => {
    const { resources } = await store.containers.rollups.items.readAll().fetchAll();
    const sizes = resources.map((d) => Buffer.byteLength(JSON.stringify(d)));
    expect(resources.length).toBe(1 + USER_SHARDS);
    expect(Math.max(...sizes)).toBeLessThan(400 * 1024);
    const day = resources.find((d) => d.id === `day:${DAY}`) as DayRollupDoc;
    expect(Buffer.byteLength(JSON.stringify(day))).toBeLessThan(8 * 1024);
    expect(day.byUser).toBeUndefined();
    expect(day.calls).toBe(2 * CALLERS);
    expect(Object.keys(day.byHour ?? {})).toHaveLength(24);
    expect(day.byHour?.["05"]?.calls).toBe(2 * Math.ceil((CALLERS - 5) / 24));
    // 1 in 4 called France from the US: international; the rest beyond the plan.
    expect(day.impact?.international?.calls).toBe(2 * (CALLERS / 4));
    const estimate = countUsers(day.impact!.international!.users);
    expect(Math.abs(estimate - CALLERS / 4) / (CALLERS / 4)).toBeLessThan(0.15);
    expect(countUsers(day.impact!.beyondPlan!.users)).toBeGreaterThan(CALLERS * 0.6);
  });

  it("keeps each user's exact totals in the shards", async () => {
    const shards = await rollups.usersOfDay(TENANT, DAY);
    const all = Object.assign({}, ...shards) as Record<string, { calls: number; chargeMicros: number }>;
    expect(Object.keys(all)).toHaveLength(CALLERS);
    const someone = record(4_242, "b1");
    expect(all[someone.userId!]).toMatchObject({ calls: 2, chargeMicros: 2 * someone.chargeMicros });
    expect(await rollups.userDay(TENANT, DAY, someone.userId!)).toMatchObject({ calls: 2, upn: someone.userPrincipalName });
  });
});
