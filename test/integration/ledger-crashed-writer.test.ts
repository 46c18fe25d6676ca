/**
 * A writer that crashed between its ledger entry (the commit point) and the account (the head's
 * cache) leaves the account behind its ledger. A reader rolls it forward: at once on an instance
 * that never read that account version, and on one that had just found it complete within the
 * orphan window (30 s), after which it looks again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { ManualClock } from "../../api/src/shared/clock.js";
import { placeEntry } from "../../api/src/ledger/entries.js";
import type { App } from "../../api/src/app.js";

describe("an entry whose writer crashed before moving the account", () => {
  let world: TestWorld;
  let clock: ManualClock;
  let a: App;
  beforeAll(async () => {
    world = await startWorld();
    clock = new ManualClock();
    a = await world.app({ clock });
  });
  afterAll(() => world.close());

  it("is in the balance a reader answers: at once on a fresh instance, within the orphan window on one that had read the account", async () => {
    const megan = await ApiClient.signIn(a.url, "megan@contoso.example");
    const before = (await megan.get("/api/v1/account")).body.balanceMicros as number;
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(before); // the version is now known complete on a

    // The crashed writer's entry: created, the account never replaced.
    const account = await a.services.ledger.readAccount(CONTOSO_TENANT_ID);
    const orphan = placeEntry(
      account.head,
      { kind: "adjustment", amountMicros: usd(10), ref: `crashed-writer:${Date.now()}`, postedBy: "test" },
      { tenantId: CONTOSO_TENANT_ID, currency: account.currency, at: clock.now().toISOString(), thresholdMicros: account.autoRecharge.thresholdMicros },
    );
    await a.world.store.containers.ledger.items.create(orphan);

    // A second instance never saw this version: it rolls the account forward on its first read.
    const b = await world.app({ clock });
    const onB = new ApiClient(b.url, megan.token);
    expect((await onB.get("/api/v1/account")).body.balanceMicros).toBe(before + usd(10));
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(before + usd(10)); // b moved the account: a new version for a too
    expect((await a.services.ledger.readAccount(CONTOSO_TENANT_ID)).head.seq).toBe(orphan.seq);

    // Again, with no other instance to help: a trusts its recent check at most the orphan window.
    const next = await a.services.ledger.readAccount(CONTOSO_TENANT_ID);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(before + usd(10));
    const second = placeEntry(
      next.head,
      { kind: "adjustment", amountMicros: usd(5), ref: `crashed-writer-2:${Date.now()}`, postedBy: "test" },
      { tenantId: CONTOSO_TENANT_ID, currency: next.currency, at: clock.now().toISOString(), thresholdMicros: next.autoRecharge.thresholdMicros },
    );
    await a.world.store.containers.ledger.items.create(second);
    clock.advance(30_001);
    expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(before + usd(15));
  });
});
