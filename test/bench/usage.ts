/**
 * Usage ingestion figures for `npm run bench`: rated-and-posted call records per second through
 * the ingestion service (rate, record once, one ledger debit per batch, pools, day rollups, batch
 * document done) for one hot tenant and spread over the bench tenants, next to the store's raw point-write
 * rate measured in the same run, and the invariant at the end: per tenant, the charges of the
 * records charged to credits equal the usage debits ingestion posted to the ledger.
 *
 * Batches are what Graph pages and the API carry: 100 records, time-ordered, so a batch's calls
 * fall on one day; 32 batches in flight. Every bench tenant's caller is on callingPlan "none" and
 * licensed, so every call is charged to credits and posts money.
 */
import { randomUUID } from "node:crypto";
import type { PstnCallLogRow } from "@cc/common";
import type { App } from "../../api/src/app.js";
import type { TestWorld } from "../support/world.js";
import type { DemoTenant } from "@cc/common";
import { bulkRead, queryAll } from "../../api/src/store/cosmos.js";
import { monthPartition } from "../../api/src/store/containers.js";
import { entryId, type LedgerEntry } from "../../api/src/ledger/entries.js";
import { USAGE_POSTED_BY } from "../../api/src/usage/ingest.js";
import { mapLimit } from "../../api/src/shared/map-limit.js";
import type { RatedCallDoc } from "../../api/src/usage/rated-call.js";

export interface UsageBenchContext {
  app: App;
  world: TestWorld;
  spread: DemoTenant[];
  seconds: number;
  rawPerSecond: number;
  /** Raw bulk creates per second: the write path ingestion itself uses. */
  rawBulkPerSecond: number;
  line(label: string, value: string): void;
  usd(units: number): number;
}

const BATCH = 100;
const CONCURRENCY = 32;
const DAY_MS = 86_400_000;
const JUNE = Date.parse("2025-06-01T00:00:00Z");
const US_AREA_CODES = ["206", "212", "312", "415", "425", "512", "617", "702"];

/** A batch of one tenant's outbound domestic calls on one day of June 2025 (credits at 0.019/min). */
function batchOf(tenant: DemoTenant, size: number): PstnCallLogRow[] {
  const caller = tenant.users.find((u) => u.callingPlan === "none" && u.licensed) ?? tenant.users[tenant.users.length - 1];
  const day = JUNE + Math.floor(Math.random() * 30) * DAY_MS;
  return Array.from({ length: size }, () => {
    const start = day + 8 * 3_600_000 + Math.floor(Math.random() * 10 * 3_600_000);
    const duration = 20 + Math.floor(Math.random() * 600);
    return {
      id: randomUUID(),
      callId: randomUUID(),
      userId: caller.id,
      userPrincipalName: caller.upn,
      userDisplayName: caller.displayName,
      startDateTime: new Date(start).toISOString(),
      endDateTime: new Date(start + duration * 1000).toISOString(),
      duration,
      callType: "user_out",
      calleeNumber: `+1${US_AREA_CODES[Math.floor(Math.random() * US_AREA_CODES.length)]}5${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
      callerNumber: "+14255550100",
      inventoryType: "Subscriber",
      currency: "USD",
      usageCountryCode: "US",
      tenantCountryCode: "US",
      destinationContext: "Domestic",
    };
  });
}

/** Ingest batches for `seconds` with CONCURRENCY in flight; records per second that were accepted and posted. */
/** The start of each row sent, by usage id: its record's month partition. */
const startOf = new Map<string, string>();

async function measure(
  app: App,
  seconds: number,
  tenantFor: (i: number) => DemoTenant,
  touched: Map<string, string[]>,
): Promise<{ perSecond: number; records: number; batches: number; chargedMicros: number }> {
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  let next = 0;
  let records = 0;
  let batches = 0;
  let chargedMicros = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const tenant = tenantFor(next++);
        const rows = batchOf(tenant, BATCH);
        touched.set(tenant.tenantId, [...(touched.get(tenant.tenantId) ?? []), ...rows.map((r) => r.id)]);
        for (const r of rows) startOf.set(r.id, r.startDateTime);
        const result = await app.services.usage.ingest(tenant.tenantId, rows, `bench:${randomUUID()}`);
        if (result.rejected.length > 0) throw new Error(`bench rows rejected: ${JSON.stringify(result.rejected[0])}`);
        records += result.accepted;
        chargedMicros += result.chargedMicros;
        batches++;
      }
    }),
  );
  return { perSecond: records / ((Date.now() - started) / 1000), records, batches, chargedMicros };
}

export async function benchUsage(ctx: UsageBenchContext): Promise<void> {
  const { app, spread, seconds, rawPerSecond, rawBulkPerSecond, line, usd } = ctx;
  if (spread.length === 0) return;
  const { ledger, directory } = app.services;

  // Fund every bench tenant through the ledger directly (the card path has its own figure above).
  const fundingStarted = Date.now();
  await mapLimit(spread, CONCURRENCY, async (t) => {
    await ledger.post(t.tenantId, () => ({ kind: "funding", amountMicros: usd(1_000_000), ref: `bench-funding:${t.tenantId}`, postedBy: "bench" }));
  });
  line(`usage: funded ${spread.length} bench tenants`, `${((Date.now() - fundingStarted) / 1000).toFixed(1)} s`);

  /** Per tenant, the ids of every row sent. */
  const touched = new Map<string, string[]>();
  const ratio = (perSecond: number) => `(ratio to raw point writes ${(perSecond / rawPerSecond).toFixed(2)}, to raw bulk creates ${(perSecond / rawBulkPerSecond).toFixed(2)})`;

  // (a) one hot tenant: every batch debits the same account and shares its day rollups.
  const hotTenant = spread[0];
  await directory.users(hotTenant.tenantId); // a warm directory cache, as in steady state
  const hot = await measure(app, seconds, () => hotTenant, touched);
  line("usage: rated+posted records/s, one hot tenant", `${hot.perSecond.toFixed(0)}  ${ratio(hot.perSecond)}  [${hot.batches} batches of ${BATCH}]`);

  // (b) spread: batch i goes to tenant i mod n.
  await mapLimit(spread, CONCURRENCY, async (t) => void (await directory.users(t.tenantId)));
  const wide = await measure(app, seconds, (i) => spread[i % spread.length], touched);
  line(`usage: rated+posted records/s, spread over ${spread.length} tenants`, `${wide.perSecond.toFixed(0)}  ${ratio(wide.perSecond)}  [${wide.batches} batches of ${BATCH}]`);
  line("usage: raw point writes/s (same run, for reference)", rawPerSecond.toFixed(0));

  // Invariant, per tenant touched: sum of credits charges on the records == -(sum of ingestion's usage debits).
  // Read by id, not by query: the local store's queries scan the whole container and take tens of
  // seconds once it holds tens of thousands of records. Every row sent must have a record (all ids
  // are new); the ledger entries of a tenant are ids 1..head.seq.
  const { usage: usageContainer, ledger: ledgerContainer, rollups } = app.world.store.containers;
  const charged = new Map<string, number>();
  const debited = new Map<string, number>();
  let records = 0;
  let missing = 0;
  let debits = 0;
  await mapLimit([...touched], 8, async ([tenantId, ids]) => {
    // Usage is partitioned by tenant and the month of the call's start.
    const docs = await bulkRead<RatedCallDoc>(usageContainer, (id) => monthPartition(tenantId, startOf.get(id)!), ids);
    missing += docs.filter((d) => !d).length;
    records += docs.filter((d) => d).length;
    charged.set(
      tenantId,
      docs.reduce((s, d) => s + (d?.chargedTo === "credits" ? d.chargeMicros : 0), 0),
    );
    const seq = (await ledger.current(tenantId)).head.seq;
    const entries = await bulkRead<LedgerEntry>(
      ledgerContainer,
      tenantId,
      Array.from({ length: seq }, (_, i) => entryId(i + 1)),
    );
    const usageDebits = entries.filter((e) => e?.kind === "usage" && e.postedBy === USAGE_POSTED_BY);
    debits += usageDebits.length;
    debited.set(
      tenantId,
      usageDebits.reduce((s, e) => s - e!.amountMicros, 0),
    );
  });
  // Unfinished work: batches still open (a record is posted iff its batch document is done). The rollups container is small.
  const unposted = await queryAll<number>(rollups, undefined, "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'batch' AND c.state = 'open'");
  const broken = [...touched.keys()].filter((t) => (charged.get(t) ?? 0) !== (debited.get(t) ?? 0));
  const totalCharged = [...touched.keys()].reduce((s, t) => s + (charged.get(t) ?? 0), 0);
  const expected = hot.chargedMicros + wide.chargedMicros;
  const ok = broken.length === 0 && missing === 0 && totalCharged === expected && (unposted[0] ?? 0) === 0;
  line(
    `invariant: per tenant, credits charges == usage debits (${touched.size} tenants)`,
    `${ok ? "ok" : "BROKEN"} (charged ${totalCharged} micros over ${records} records, ${debits} debits; ${missing} missing; ${unposted[0] ?? 0} batches left open${broken.length ? `; mismatched: ${broken.slice(0, 3).join(", ")}` : ""}${totalCharged !== expected ? `; ingest reported ${expected}` : ""})`,
  );
  if (!ok) process.exitCode = 1;
}
