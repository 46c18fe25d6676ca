/**
 * The HTTP load figure of `npm run bench`: two app instances (two child processes running
 * api/src/index.ts, as two App Service instances) on one store, clients at a fixed
 * 200 requests per second (autocannon `overallRate`, connections spread over both instances) for
 * BENCH_HTTP_SECONDS (default 10): first GET /api/v1/account, then POST /api/v1/account/funds.
 * Requests rotate over BENCH_HTTP_TENANTS tenants' billing admins (default 40), as many
 * organisations' tabs would. Prints p50/p99 and the errors (429s apart: they are answers).
 *
 * Targets (issue 7): GET account p99 < 20 ms at 200 req/s with two instances; zero non-429 errors.
 * Run it alone with `npx tsx test/bench/http-load.ts`.
 */
import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { DirectoryRole, type DemoTenant } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";

const RATE = 200;

function loadTenants(n: number): DemoTenant[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = i.toString(16).padStart(12, "0");
    return {
      tenantId: `cccccccc-0000-4000-8000-${hex}`,
      name: `load${i}`,
      displayName: `Load ${i}`,
      region: "US",
      billingCountry: "US",
      currency: "USD",
      users: [{ id: `cccccccc-1111-4000-8000-${hex}`, upn: `billing${i}@load.example`, displayName: `Billing ${i}`, roles: [DirectoryRole.BillingAdministrator], licensed: false, callingPlan: "none", usageLocation: "US" }],
    };
  });
}

type Line = (label: string, value: string) => void;

/** An app instance in its own process on the world's store, processor and directory; its URL once up. */
async function startInstance(world: TestWorld, database: string, caFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "api/src/index.ts"], {
    env: {
      ...process.env,
      APP_ENV: "local",
      NODE_ENV: "development",
      PORT: "0",
      HOST: "127.0.0.1",
      COSMOS_ENDPOINT: world.cosmos.endpoint,
      COSMOS_DATABASE: database,
      PROCESSOR_URL: world.sandbox.url,
      GRAPH_BASE_URL: world.graph.url,
      NODE_EXTRA_CA_CERTS: caFile,
      SEED_DEMO: "false",
      JOBS_INTERVAL_MS: "0",
      LOG_LEVEL: "info", // index.ts says "is up on" at info; per-request lines are production's cost too
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  let up = false;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      if (up) return; // keep draining the request log, keep nothing
      output += c.toString();
      const found = /is up on http:\/\/localhost:(\d+)/.exec(output);
      if (found) {
        up = true;
        resolve(`http://127.0.0.1:${found[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`an app instance exited (${code}): ${output}`)));
  });
  return { url, child };
}

export async function benchHttpLoad(line: Line, seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10), tenantCount = Number(process.env.BENCH_HTTP_TENANTS ?? 40)): Promise<{ getP99: number; nonRateLimitErrors: number }> {
  const tenants = loadTenants(tenantCount);
  const world = await startWorld({ tenants });
  const scratch = await mkdtemp(join(tmpdir(), "credits-bench-"));
  const children: ChildProcess[] = [];
  try {
    // This process seeds the load tenants and signs their admins in; the dev key is in the store, so both instances accept the tokens.
    const seeder = await world.app();
    const caFile = join(scratch, "graph-ca.pem");
    await writeFile(caFile, world.graph.ca);
    const [a, b] = await Promise.all([0, 1].map(() => startInstance(world, seeder.world.store.database.id, caFile)));
    children.push(a.child, b.child);
    const admins = await Promise.all(tenants.map((t) => ApiClient.signIn(seeder.url, t.users[0].upn)).map(async (c) => new ApiClient(a.url, (await c).token)));
    for (const admin of admins) {
      const added = await admin.post("/api/v1/payment-methods", { token: "tok_visa" });
      if (added.status !== 201) throw new Error(`payment method: ${added.status} ${JSON.stringify(added.body)}`);
    }
    const tokens = admins.map((c) => c.token ?? "");
    let turn = 0;
    const nextToken = () => tokens[turn++ % tokens.length];

    const run = (title: string, request: autocannon.Request) =>
      autocannon({
        title,
        url: [a.url, b.url] as unknown as string, // autocannon spreads connections over several urls
        connections: 40,
        overallRate: RATE,
        duration: seconds,
        requests: [request],
      });

    let nonRateLimitErrors = 0;
    const report = (what: string, r: autocannon.Result) => {
      const limited = r.statusCodeStats?.["429"]?.count ?? 0;
      const errors = r.errors + r.timeouts + r.non2xx - limited;
      nonRateLimitErrors += errors;
      line(`http: ${what} at ${RATE}/s, 2 instances, ${seconds}s`, `${r.requests.average.toFixed(0)}/s done, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; errors ${errors}, 429s ${limited}, total ${r.requests.total}`);
    };

    const reads = await run("GET account", {
      method: "GET",
      path: "/api/v1/account",
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${nextToken()}` } }),
    });
    report("GET /api/v1/account", reads);

    const funds = await run("POST funds", {
      method: "POST",
      path: "/api/v1/account/funds",
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, authorization: `Bearer ${nextToken()}`, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify({ amountMicros: usd(50) }),
      }),
    });
    report("POST /api/v1/account/funds", funds);
    return { getP99: reads.latency.p99, nonRateLimitErrors };
  } finally {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once("exit", r), c.kill("SIGTERM"))))));
    await world.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchHttpLoad((label, value) => console.log(`${label.padEnd(58)} ${value}`));
}
