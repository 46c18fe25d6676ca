/**
 * `npm run bench`: throughput of the ledger next to the same store's raw point writes, measured in
 * one run on this machine, and their ratio. Figures go in the issue notes; no test asserts timings.
 */
import "../../api/src/warnings.js"; // restify's spdy: the one DEP0111 the app drops too
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon from "autocannon";
import { DEMO_TENANTS, DirectoryRole, type DemoTenant } from "@cc/common";
import { startWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { benchUsage } from "./usage.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchTab } from "./tab.js";
import { benchNotify } from "./notify.js";
import { benchNoisyNeighbour, benchStopWithBacklog } from "./hardening.js";
import { benchPlayground } from "./playground.js";
import { bulkCreate } from "../../api/src/store/cosmos.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 32;

/** Run `task` with `concurrency` workers for `seconds`; operations per second. */
export async function rate(seconds: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<{ perSecond: number; count: number }> {
  const until = Date.now() + seconds * 1000;
  let count = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) await task(count++);
    }),
  );
  return { perSecond: count / ((Date.now() - started) / 1000), count };
}

function spreadTenants(n: number): DemoTenant[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = i.toString(16).padStart(12, "0");
    return {
      tenantId: `bbbbbbbb-0000-4000-8000-${hex}`,
      name: `bench${i}`,
      displayName: `Bench ${i}`,
      region: "US",
      billingCountry: "US",
      currency: "USD",
      users: [
        {
          id: `bbbbbbbb-1111-4000-8000-${hex}`,
          upn: `admin${i}@bench.example`,
          displayName: `Admin ${i}`,
          roles: [DirectoryRole.BillingAdministrator],
          licensed: true,
          callingPlan: "domestic",
          usageLocation: "US",
        },
        { id: `bbbbbbbb-2222-4000-8000-${hex}`, upn: `caller${i}@bench.example`, displayName: `Caller ${i}`, roles: [], licensed: true, callingPlan: "none", usageLocation: "US" },
      ],
    };
  });
}

const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

/**
 * The write-ahead journal's cost: posted debits/s on a store that journals to disk (fsync before
 * every answer, grouped) and on the same store with the journal switched off, alternated in one run.
 */
async function benchJournal(spread: DemoTenant[]): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "credits-bench-journal-"));
  const accounts = spread.slice(0, 100);
  const world = await startWorld({ tenants: [...DEMO_TENANTS, ...accounts], dataDir });
  try {
    const app = await world.app();
    const journal = world.cosmos.journal!;
    await journal.recover(app.world.store);
    const { ledger } = app.services;
    await Promise.all(
      accounts.map((t) => ledger.post(t.tenantId, () => ({ kind: "funding", amountMicros: usd(1_000_000), ref: `bench-journal-funding:${t.tenantId}`, postedBy: "bench" }))),
    );
    const debit = (i: number) =>
      ledger.post(accounts[i % accounts.length].tenantId, () => ({ kind: "usage", amountMicros: -10_000, ref: `bench:${randomUUID()}`, postedBy: "bench" }));
    const figures = { on: [] as number[], off: [] as number[] };
    const half = Math.max(1, SECONDS / 2);
    await rate(half, CONCURRENCY, debit); // warm-up (JIT, sockets), not counted
    // Alternated in short rounds, so a neighbour's load on this shared machine hits both alike.
    for (const mode of ["off", "on", "on", "off", "off", "on"] as const) {
      journal.setEnabled(mode === "on");
      figures[mode].push((await rate(half, CONCURRENCY, debit)).perSecond);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const on = mean(figures.on);
    const off = mean(figures.off);
    const { syncs, records } = journal.stats();
    line("journal: rounds, debits/s without / with", `${figures.off.map((x) => x.toFixed(0)).join(", ")} / ${figures.on.map((x) => x.toFixed(0)).join(", ")}`);
    line(`journal: posted debits/s over ${accounts.length} accounts, no journal`, off.toFixed(0));
    line(`journal: posted debits/s over ${accounts.length} accounts, journaled`, `${on.toFixed(0)}  (overhead ${((1 - on / off) * 100).toFixed(1)}%, target < 25%)`);
    line("journal: writes per fsync (group commit)", `${(records / Math.max(1, syncs)).toFixed(1)}  (${records} writes, ${syncs} fsyncs)`);
  } finally {
    await world.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `BENCH_ONLY=notify npm run bench`: the notification figures alone, on a fresh world of
 * BENCH_TENANTS (default 60) spread tenants next to the demo tenants, after their fundings' cards
 * were delivered (as in the full run). About a minute; the full run's figure is the one to report.
 */
async function notifyOnly(): Promise<void> {
  const spread = spreadTenants(Number(process.env.BENCH_TENANTS ?? 60));
  const world = await startWorld({ tenants: [...DEMO_TENANTS, ...spread] });
  const app = await world.app();
  await Promise.all(
    spread.map((t) =>
      app.services.ledger.post(t.tenantId, () => ({ kind: "funding", amountMicros: usd(1_000_000), ref: `bench-ledger-funding:${t.tenantId}`, postedBy: "bench" })),
    ),
  );
  await app.settle();
  // One process holds the store, the directory, the connector and the app: its event-loop delay says how loaded it was.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  await benchNotify({ app, spread, line, usd });
  loop.disable();
  line("notify: event-loop delay meanwhile (load of this process)", `median ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
  await world.close();
  await benchPlayground({ line });
}

/** `BENCH_ONLY=hardening`: the noisy-neighbour figure and the stop with a backlog (test/bench/hardening.ts), about a minute. */
async function hardening(): Promise<void> {
  await benchNoisyNeighbour(line);
  await benchStopWithBacklog(line);
}

async function main() {
  if (process.env.BENCH_ONLY === "notify") return notifyOnly();
  if (process.env.BENCH_ONLY === "hardening") return hardening();
  if (process.env.BENCH_ONLY === "playground") return benchPlayground({ line });
  const spread = spreadTenants(Number(process.env.BENCH_TENANTS ?? 1000));
  console.log(`bench: ${SECONDS}s per figure, ${CONCURRENCY} concurrent workers, local Cosmos-compatible server, 2-core machine`);
  // The tab first, on its own fresh world: what a newcomer's first open costs, on an idle server.
  const tabWorld = await startWorld();
  await benchTab({ url: (await tabWorld.app()).url, line });
  await tabWorld.close();
  await benchJournal(spread);
  if (process.env.BENCH_ONLY === "journal") return;
  const world = await startWorld({ tenants: [...DEMO_TENANTS, ...spread] });
  // Throughput figures, not the request budgets: one signed-in user drives the HTTP figure and the tab.
  const app = await world.app({
    config: { RATE_LIMIT_USER_PER_SECOND: 1_000_000, RATE_LIMIT_USER_BURST: 1_000_000, RATE_LIMIT_TENANT_PER_SECOND: 1_000_000, RATE_LIMIT_TENANT_BURST: 1_000_000 },
  });
  const { ledger } = app.services;
  const contoso = DEMO_TENANTS[0].tenantId;

  // 1. The store's raw point writes (creates of small documents), as the baseline.
  // A container partitioned by tenant that indexes nothing (audit is partitioned by tenant and month).
  const scratch = app.world.store.containers.state;
  const raw = await rate(SECONDS, CONCURRENCY, (i) => scratch.items.create({ id: randomUUID(), tenantId: spread[i % spread.length].tenantId, n: i }));
  line("store: raw point writes/s", raw.perSecond.toFixed(0));
  // Usage ingestion writes its records with the bulk API: its own baseline, for an honest comparison.
  let bulkDocs = 0;
  const bulkStarted = Date.now();
  const bulkUntil = bulkStarted + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < bulkUntil) {
        const tenantId = spread[bulkDocs % spread.length].tenantId;
        await bulkCreate(
          scratch,
          Array.from({ length: 100 }, () => ({ id: randomUUID(), tenantId, n: bulkDocs })),
        );
        bulkDocs += 100;
      }
    }),
  );
  const rawBulk = bulkDocs / ((Date.now() - bulkStarted) / 1000);
  line("store: raw bulk creates/s (100 per request, 4 in flight)", rawBulk.toFixed(0));

  // 2. Ledger debits for one hot account (serialised by its seq) and spread over many accounts.
  const hot = await rate(SECONDS, CONCURRENCY, () => ledger.post(contoso, () => ({ kind: "usage", amountMicros: -10_000, ref: `bench:${randomUUID()}`, postedBy: "bench" })));
  line("ledger: posted debits/s, one hot account", `${hot.perSecond.toFixed(0)}  (ratio to raw writes ${(hot.perSecond / raw.perSecond).toFixed(2)})`);
  // Fund the spread accounts first: a debit that crosses the threshold (here: the first one below
  // zero) also writes an outbox event and reads the directory; steady-state debits do not.
  await Promise.all(
    spread.map((t) => ledger.post(t.tenantId, () => ({ kind: "funding", amountMicros: usd(1_000_000), ref: `bench-ledger-funding:${t.tenantId}`, postedBy: "bench" }))),
  );
  // Each funding wrote a funds_added event: let the notifier deliver those cards before measuring debits.
  await app.settle();
  const wide = await rate(SECONDS, CONCURRENCY, (i) =>
    ledger.post(spread[i % spread.length].tenantId, () => ({ kind: "usage", amountMicros: -10_000, ref: `bench:${randomUUID()}`, postedBy: "bench" })),
  );
  line(`ledger: posted debits/s, spread over ${spread.length} accounts`, `${wide.perSecond.toFixed(0)}  (ratio to raw writes ${(wide.perSecond / raw.perSecond).toFixed(2)})`);

  // 3. The same over HTTP, Idempotency-Key and all (autocannon against the real server).
  const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
  const token = megan.token ?? "";
  const http = await autocannon({
    url: `${app.url}/api/dev/debit`,
    connections: CONCURRENCY,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
          body: JSON.stringify({ amountMicros: 10_000 }),
        }),
      },
    ],
  });
  line("http: POST /api/dev/debit per second (one account)", `${http.requests.average.toFixed(0)}  (non-2xx: ${http.non2xx}, p99 ${http.latency.p99} ms)`);

  // Invariant: the account's balance is the sum of its entries (once requests autocannon left in flight are done).
  const ledgerSum = async () => {
    const { resources } = await app.world.store.containers.ledger.items
      .query<{ amountMicros: number }>({ query: "SELECT c.amountMicros FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: contoso }] })
      .fetchAll();
    return { count: resources.length, sum: resources.reduce((s, e) => s + e.amountMicros, 0) };
  };
  let settled = await ledgerSum();
  for (let previous = -1; previous !== settled.count;) {
    previous = settled.count;
    await new Promise((r) => setTimeout(r, 500));
    settled = await ledgerSum();
  }
  const balance = (await ledger.current(contoso)).head.balanceMicros;
  line("invariant: contoso balance == sum of its ledger entries", `${balance === settled.sum ? "ok" : "BROKEN"} (${settled.count} entries, balance ${balance})`);

  await benchUsage({ app, world, spread, seconds: SECONDS, rawPerSecond: raw.perSecond, rawBulkPerSecond: rawBulk, line, usd });
  await benchNotify({ app, spread, line, usd });

  await world.close();
  // The same crossing, seen where an admin sees it: the card drawn in Microsoft's local Teams client (its own fresh world).
  await benchPlayground({ line });

  // 4. The HTTP load figure: two instances (child processes) on one store, fixed 200 requests/s.
  // Its store runs in a fresh process of its own: this one's heap, grown by the figures above, would
  // charge its garbage collections to the store's answers (in production the store is Cosmos DB).
  const loadRun = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./http-load.ts", import.meta.url))], { stdio: "inherit" });
  // 5. Issue 17's figures: one tenant's flood beside a quiet one, and stopping with a notification backlog.
  await hardening();
  if (balance !== settled.sum || loadRun.status !== 0) process.exit(1);
}

await main();
