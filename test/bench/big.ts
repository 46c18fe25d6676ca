/**
 * `npm run bench:big`: one enterprise tenant on the embedded store, as a large customer uses it.
 * BIG_USERS licensed users (default 20,000) on callingPlan "none" and BIG_CALLS calls (default
 * 400,000) over the last 30 days, posted through POST /api/v1/usage/records in 1,000-row batches
 * (BIG_CONCURRENCY in flight, default 2) to the app in a child process on its own data directory.
 * Small for CI: `BIG_USERS=2000 BIG_CALLS=20000 npm run bench:big`.
 *
 * Printed: ingestion rows/s over the batches after 0, 100k and the last batches; the child's RSS
 * and the data directory's size; at 10k, 100k and BIG_CALLS records the p50/p95 of the overview
 * reads (summary by day, forecast, recommendation, impact), records page 1 and page 50, CSV and
 * XLSX export time and the child's peak RSS meanwhile; store operations (STORE_OP_COUNTS=1) of one
 * 1,000-row batch, one summary read, one funding and one notification (the funding's funds_added
 * event delivered to the notified admins); restart to /api/health after kill -9; the largest document
 * in the store (read from its snapshot); GET /api/v1/account p99 at 200 req/s beside a trivial
 * server's floor.
 */
import "../../api/src/warnings.js";
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { DirectoryRole, type DemoTenant, type PstnCallLogRow } from "@cc/common";
import { createApp } from "../../api/src/app.js";
import { loadConfig } from "../../api/src/config.js";
import { startLocalGraph } from "../../api/src/local/directory/local-graph-server.js";
import { ApiClient, usd } from "../support/http.js";
import { startChildApp, type ChildApp } from "../support/child-app.js";
import type { LoadPlan, LoadResult } from "./open-load.js";

const USERS = Number(process.env.BIG_USERS ?? 20_000);
const CALLS = Number(process.env.BIG_CALLS ?? 400_000);
const CONCURRENCY = Number(process.env.BIG_CONCURRENCY ?? 2);
const SAMPLES = Number(process.env.BIG_SAMPLES ?? 20);
const BATCH = 1_000;
const DAY_MS = 86_400_000;
const TENANT = "dddddddd-0000-4000-8000-000000000021";
const ADMIN = "billing@enterprise.example";

const line = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function bigTenant(): DemoTenant {
  const users: DemoTenant["users"] = [
    {
      id: "dddddddd-1111-4000-8000-000000000000",
      upn: ADMIN,
      displayName: "Billing Admin",
      roles: [DirectoryRole.BillingAdministrator],
      licensed: false,
      callingPlan: "none",
      usageLocation: "US",
    },
  ];
  for (let i = 1; i <= USERS; i++) {
    const hex = i.toString(16).padStart(12, "0");
    users.push({
      id: `dddddddd-2222-4000-8000-${hex}`,
      upn: `user${i}@enterprise.example`,
      displayName: `User ${i}`,
      roles: [],
      licensed: true,
      callingPlan: "none",
      usageLocation: i % 10 === 0 ? "GB" : "US",
    });
  }
  return { tenantId: TENANT, name: "enterprise", displayName: "Enterprise", region: "US", billingCountry: "US", currency: "USD", users };
}

const DESTINATIONS = ["+1206555", "+1212555", "+1312555", "+1415555", "+1617555", "+4420794", "+3314567", "+4930123"];

/** Call k of CALLS: time-ordered over the 30 days before `end`, a random caller and destination. */
function row(k: number, tenant: DemoTenant, start: number, span: number): PstnCallLogRow {
  const user = tenant.users[1 + Math.floor(Math.random() * USERS)];
  const at = start + Math.floor((k / CALLS) * span);
  const duration = 20 + Math.floor(Math.random() * 600);
  return {
    id: randomUUID(),
    callId: randomUUID(),
    userId: user.id,
    userPrincipalName: user.upn,
    userDisplayName: user.displayName,
    startDateTime: new Date(at).toISOString(),
    endDateTime: new Date(at + duration * 1000).toISOString(),
    duration,
    callType: "user_out",
    calleeNumber: `${DESTINATIONS[k % DESTINATIONS.length]}${String(k % 10_000).padStart(4, "0")}`,
    callerNumber: "+14255550100",
    inventoryType: "Subscriber",
    currency: "USD",
    usageCountryCode: "US",
    tenantCountryCode: "US",
    destinationContext: "Domestic",
  } as PstnCallLogRow;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** User plus system CPU time of a process so far (/proc, clock ticks of 10 ms). */
async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) total += (await stat(join(dir, f)).catch(() => ({ size: 0 }))).size;
  return total;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(samples: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function ok(res: Promise<Response>): Promise<Response> {
  const r = await res;
  if (r.status !== 200) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
  return r;
}

/** The child's store operations so far (it prints them on SIGUSR2). */
async function storeOps(child: ChildApp): Promise<Record<string, number>> {
  const before = child.output().length;
  child.process.kill("SIGUSR2");
  for (let i = 0; i < 100; i++) {
    const found = /\{"storeOps":(\{[^}]*\})\}/.exec(child.output().slice(before));
    if (found) return JSON.parse(found[1]) as Record<string, number>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the child did not print its store operations");
}
const diff = (a: Record<string, number>, b: Record<string, number>) =>
  `point reads ${b.reads - a.reads} (${((b.readBytes - a.readBytes) / 1024).toFixed(0)} KB), writes ${b.writes - a.writes} (${((b.writeBytes - a.writeBytes) / 1024).toFixed(0)} KB), queries ${b.queries - a.queries} (${((b.queryBytes - a.queryBytes) / 1024).toFixed(0)} KB)`;

async function main(): Promise<void> {
  const tenant = bigTenant();
  const dataDir = await mkdtemp(join(tmpdir(), "credits-big-"));
  const graph = await startLocalGraph({ tenants: [tenant] });
  const caFile = join(dataDir, "..", `big-graph-ca-${process.pid}.pem`);
  await writeFile(caFile, graph.ca);
  let child: ChildApp | undefined;
  try {
    // Seed in this process (account, licenses in bulk, funds), then hand the data directory to the app.
    let t = performance.now();
    const seedConfig = loadConfig({
      APP_ENV: "local",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      GRAPH_BASE_URL: graph.url,
      JOBS_INTERVAL_MS: "0",
      LOG_LEVEL: "silent",
      SNAPSHOT_INTERVAL_MS: "0",
    });
    const seeder = await createApp(seedConfig, { graphCa: graph.ca, tenants: [tenant], logger: pino({ level: "silent" }) });
    await seeder.services.ledger.post(TENANT, () => ({ kind: "funding", amountMicros: usd(100_000_000), ref: "bench-big-funding", postedBy: "bench" }));
    // Signed with the dev key in the store: the app started on the same data directory accepts it.
    const admin = await ApiClient.signIn(seeder.url, ADMIN);
    await seeder.close();
    line(`seed: ${USERS} licensed users`, ms(performance.now() - t));

    const env = { DATA_DIR: dataDir, GRAPH_BASE_URL: graph.url, NODE_EXTRA_CA_CERTS: caFile, SEED_DEMO: "false", LOG_LEVEL: "info", STORE_OP_COUNTS: "1" };
    child = await startChildApp(env, { timeoutMs: 300_000 });
    const headers = { authorization: `Bearer ${admin.token}` };
    const get = (path: string) => ok(fetch(`${child!.url}${path}`, { headers })).then((r) => r.arrayBuffer());

    const end = Date.now() - 2 * 3_600_000; // no call in the last hour: the spike check is not part of this figure
    const span = 30 * DAY_MS - 3 * 3_600_000;
    const start = end - span;
    const batches = Math.ceil(CALLS / BATCH);
    let posted = 0;
    const batchTimes: number[] = [];
    const post = async (b: number) => {
      const rows = Array.from({ length: Math.min(BATCH, CALLS - b * BATCH) }, (_, i) => row(b * BATCH + i, tenant, start, span));
      const t0 = performance.now();
      const r = await fetch(`${child!.url}/api/v1/usage/records`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify({ records: rows }),
      });
      const body = (await r.json()) as { accepted?: number; rejected?: unknown[] };
      if (r.status !== 200 || body.accepted !== rows.length) throw new Error(`batch ${b}: ${r.status} ${JSON.stringify(body).slice(0, 500)}`);
      batchTimes[b] = performance.now() - t0;
      posted += rows.length;
    };

    const checkpoints = [10_000, 100_000, CALLS].filter((c, i, all) => c <= CALLS && all.indexOf(c) === i);
    const rateWindows = new Map<number, { from: number; t: number }>();
    let next = 0;
    let lastPrint = performance.now();
    const ingestTo = async (target: number) => {
      const upTo = Math.ceil(target / BATCH);
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < upTo) {
            const b = next++;
            if (b === 0 || b === 100 || b === batches - 10) rateWindows.set(b, { from: posted, t: performance.now() });
            await post(b);
            for (const [at, w] of rateWindows) {
              if (b === at + 9) {
                line(
                  `ingestion: rows/s over 10 batches from ${(at * BATCH).toLocaleString("en-US")} records`,
                  `${(((posted - w.from) / (performance.now() - w.t)) * 1000).toFixed(0)} rows/s`,
                );
                rateWindows.delete(at);
              }
            }
            if (performance.now() - lastPrint > 30_000) {
              lastPrint = performance.now();
              console.log(`  … ${posted.toLocaleString("en-US")} records, child RSS ${mb(await rssOf(child!.process.pid!))}`);
            }
          }
        }),
      );
    };

    // One 1,000-row batch's store operations, measured alone.
    {
      const a = await storeOps(child);
      await ingestTo(BATCH);
      line("store ops: one 1,000-row batch (the first)", diff(a, await storeOps(child)));
    }
    const tIngest = performance.now();
    for (const checkpoint of checkpoints) {
      await ingestTo(checkpoint);
      const rss = await rssOf(child.process.pid!);
      line(
        `at ${checkpoint.toLocaleString("en-US")} records: child RSS, data directory`,
        `${mb(rss)}, ${mb(await dirSize(dataDir))} (ingested so far at ${((posted / (performance.now() - tIngest)) * 1000).toFixed(0)} rows/s)`,
      );
      {
        const a = await storeOps(child);
        await get("/api/v1/usage/summary?groupBy=day");
        line(`  store ops: one summary read`, diff(a, await storeOps(child)));
      }
      for (const [what, path] of [
        ["summary (by day)", "/api/v1/usage/summary?groupBy=day"],
        ["summary (by destination)", "/api/v1/usage/summary?groupBy=destination"],
        ["forecast", "/api/v1/account/forecast"],
        ["recommendation", "/api/v1/account/recommendation"],
        ["impact", "/api/v1/account/impact"],
        ["records page 1 (50)", "/api/v1/usage/records?limit=50"],
      ] as const) {
        const { p50, p95 } = await timed(SAMPLES, () => get(path));
        line(`  ${what}`, `p50 ${ms(p50)}, p95 ${ms(p95)}`);
      }
      let cursor: string | null = null;
      for (let page = 1; page < 50; page++) {
        const r = (await (await ok(fetch(`${child.url}/api/v1/usage/records?limit=50${cursor ? `&cursor=${cursor}` : ""}`, { headers }))).json()) as { next: string | null };
        cursor = r.next;
        if (!cursor) break;
      }
      if (cursor) {
        const { p50, p95 } = await timed(SAMPLES, () => get(`/api/v1/usage/records?limit=50&cursor=${cursor}`));
        line("  records page 50 (50)", `p50 ${ms(p50)}, p95 ${ms(p95)}`);
      }
      for (const format of ["csv", "xlsx"]) {
        const idle = await rssOf(child.process.pid!);
        let peak = idle;
        const sampler = setInterval(() => void rssOf(child!.process.pid!).then((r) => (peak = Math.max(peak, r))), 50);
        const t0 = performance.now();
        const bytes = (await get(`/api/v1/usage/export?format=${format}`)).byteLength;
        clearInterval(sampler);
        line(`  export ${format.toUpperCase()} of the 30 days`, `${ms(performance.now() - t0)}, ${mb(bytes)}; RSS idle ${mb(idle)}, peak ${mb(peak)} (+${mb(peak - idle)})`);
      }
    }

    // Restart after kill -9.
    await child.kill("SIGKILL");
    t = performance.now();
    child = await startChildApp(env, { timeoutMs: 600_000 });
    line(`restart to /api/health after kill -9 at ${posted.toLocaleString("en-US")} records`, ms(performance.now() - t));
    const summary = await new ApiClient(child.url, admin.token).get("/api/v1/usage/summary?groupBy=day");
    line("  calls in the summary after the restart", `${summary.body.totals.calls} of ${posted}`);

    // One funding's store operations (card payment, ledger entry, its funds_added event), alone, and
    // then one notification's: the delivery of that funds_added event to the tenant's notified admins
    // (the writing instance starts it at once; it runs on after the answer). Split at the answer:
    // the delivery's first operations may overlap the answer's last, so the split is approximate,
    // the sum exact.
    {
      const client = new ApiClient(child.url, admin.token);
      const added = await client.post("/api/v1/payment-methods", { token: "tok_visa" });
      if (added.status !== 201) throw new Error(`payment method: ${added.status} ${JSON.stringify(added.body)}`);
      await new Promise((r) => setTimeout(r, 1_000));
      const mailsBefore = graph.mails(TENANT).length;
      const logBefore = child.output().length;
      const a = await storeOps(child);
      const funded = await fetch(`${child.url}/api/v1/account/funds`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify({ amountMicros: usd(100) }),
      });
      if (funded.status >= 300) throw new Error(`funding: ${funded.status} ${await funded.text()}`);
      await funded.arrayBuffer();
      const b = await storeOps(child);
      line("store ops: one funding (POST /api/v1/account/funds, to its answer)", diff(a, b));
      // The delivery is done when the store has been quiet for a second (it retries nothing here).
      let c = b;
      for (let quiet = 0; quiet < 2;) {
        await new Promise((r) => setTimeout(r, 500));
        const now = await storeOps(child);
        quiet = now.reads + now.writes + now.queries === c.reads + c.writes + c.queries ? quiet + 1 : 0;
        c = now;
      }
      const notifications = (await (await ok(fetch(`${child.url}/api/v1/notifications`, { headers }))).json()) as {
        items: { kind: string; recipients?: { channel?: string | null; status: string }[] }[];
      };
      const event = notifications.items.find((n) => n.kind === "funds_added");
      const reached = (event?.recipients ?? []).map((r) => `${r.channel ?? "teams_chat"} ${r.status}`).join(", ") || "no recipient line";
      line(
        "store ops: one notification (funds_added delivered, after the answer)",
        `${diff(b, c)}; recipients: ${reached}; e-mails sent ${graph.mails(TENANT).length - mailsBefore}`,
      );
      // What the app said went wrong meanwhile (pino levels 40 warn, 50 error), if anything.
      for (const said of child
        .output()
        .slice(logBefore)
        .split("\n")
        .filter((l) => /"level":(40|50)/.test(l))
        .slice(0, 3))
        console.log(`  app: ${said.slice(0, 400)}`);
    }

    // The largest document, from a snapshot taken at a clean stop.
    await child.kill("SIGTERM");
    child = undefined;
    let largest = { size: 0, id: "" };
    let count = 0;
    const lines = createInterface({ input: createReadStream(join(dataDir, "cosmos-snapshot.json"), { encoding: "utf8" }), crlfDelay: Infinity });
    for await (const l of lines) {
      count++;
      if (l.length > largest.size) largest = { size: l.length, id: (/"id":"([^"]*)"/.exec(l) ?? [])[1] ?? "?" };
    }
    line(`largest document of ${count - 1} (snapshot line)`, `${(largest.size / 1024).toFixed(1)} KB (${largest.id})`);
  } finally {
    await child?.kill("SIGKILL");
    await graph.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(caFile, { force: true });
  }
}

/**
 * 30 s: 6,000 answers, so the p99 is the 60th slowest and one pause of the machine (tens of ms,
 * met once in several runs of 10 s) is counted for what it is, not as the whole tail.
 */
const ACCOUNT_LOAD_SECONDS = 30;

/** GET /api/v1/account p99 at 200 req/s on the app, beside a trivial server's floor (open-load.ts). */
async function accountLoad(): Promise<void> {
  const floorServer = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => floorServer.listen(0, "127.0.0.1", () => r()));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as { port: number }).port}`;
  const dataDir = await mkdtemp(join(tmpdir(), "credits-big-account-"));
  let child: ChildApp | undefined;
  try {
    // BENCH_PROFILE_DIR=dir: the app writes a CPU profile of the load there when it stops (open it in Chrome DevTools).
    const nodeArgs = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    child = await startChildApp({ DATA_DIR: dataDir }, { nodeArgs });
    // Four admins of two organisations, 50 requests a second each: within every caller's and
    // organisation's budget (50/s a user, 200/s an organisation), so the figure is the account
    // read's own, not that of 429 answers (one caller at 200/s is refused three times in four).
    const admins = await Promise.all(
      ["megan@contoso.example", "adele@contoso.example", "lee@contoso.example", "nestor@fabrikam.example"].map((upn) => ApiClient.signIn(child!.url, upn)),
    );
    const run = (urls: string[]) =>
      new Promise<LoadResult>((resolve, reject) => {
        const generator = fork(fileURLToPath(new URL("./open-load.ts", import.meta.url)), { execArgv: ["--import", "tsx"], stdio: "inherit" });
        generator.once("message", (r) => resolve(r as LoadResult));
        generator.once("exit", (code) => reject(new Error(`the load generator exited (${code})`)));
        generator.send({
          urls,
          rate: 200,
          seconds: ACCOUNT_LOAD_SECONDS,
          warmupSeconds: 2,
          tokens: admins.map((a) => a.token ?? ""),
          request: { method: "GET", path: "/api/v1/account" },
        } satisfies LoadPlan);
      });
    const floor = await run([floorUrl]);
    // The app's CPU time over the load (warm-up included): a count that other work on the machine disturbs far less than latency.
    const cpuBefore = await cpuMsOf(child.process.pid!);
    const app = await run([child.url]);
    const cpuMs = (await cpuMsOf(child.process.pid!)) - cpuBefore;
    line(
      `GET /api/v1/account at 200 req/s, ${ACCOUNT_LOAD_SECONDS} s (one instance)`,
      `p50 ${app.all.p50.toFixed(1)} ms, p99 ${app.all.p99.toFixed(1)} ms, max ${app.all.max.toFixed(0)} ms; trivial server floor p50 ${floor.all.p50.toFixed(1)} ms, p99 ${floor.all.p99.toFixed(1)} ms, max ${floor.all.max.toFixed(0)} ms; answers ${JSON.stringify(app.statuses)}, ${app.failures} without one; app CPU ${(cpuMs / (app.sent * 1.2)).toFixed(2)} ms a request`,
    );
    // A clean stop, so a profile is written.
    if (process.env.BENCH_PROFILE_DIR) await child.kill("SIGTERM");
  } finally {
    await child?.kill("SIGKILL");
    floorServer.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

console.log(`bench:big — ${USERS.toLocaleString("en-US")} users, ${CALLS.toLocaleString("en-US")} calls over 30 days, ${CONCURRENCY} batches of ${BATCH} in flight`);
if (process.env.BENCH_ONLY !== "account") await main();
if (process.env.BENCH_ONLY !== "ingest") await accountLoad();
process.exit(0);
