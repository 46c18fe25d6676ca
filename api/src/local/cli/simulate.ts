/**
 * `npm run simulate -- --tenant contoso --days 60 [--url http://localhost:3978] [--seed 1] [--calls-per-user 5]`
 *
 * Generates realistic PSTN call records for a demo tenant (api/src/simulator) over the last
 * `days` days up to now and posts them to the RUNNING app (POST /api/v1/usage/records) in batches
 * of 1,000, signed in as the tenant's first Billing or Global Administrator. Each batch's
 * Idempotency-Key is a hash of its usage ids, and the calls of a day depend only on the seed, the
 * tenant and the date, so running it again is harmless: nothing is charged twice.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import type { DirectoryUserView } from "@cc/common";
import { say, simulateCharged } from "./words.js";
import { simulateCalls } from "../simulator/index.js";
import { CliError, DEFAULT_URL, demoTenant, DevClient, runCli } from "./dev-client.js";

const BATCH = 1000;
const DAY_MS = 86_400_000;

interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; errors: { path: string; message: string }[] }[];
  chargedMicros: number;
  balanceMicros: number;
  currency: string;
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      tenant: { type: "string", default: "contoso" },
      days: { type: "string", default: "30" },
      url: { type: "string", default: DEFAULT_URL },
      seed: { type: "string", default: "1" },
      "calls-per-user": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(say("cli.simulate.usage"));
    return;
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 400) throw new CliError(say("cli.simulate.badDays"));
  const callsPerUserPerDay = values["calls-per-user"] === undefined ? undefined : Number(values["calls-per-user"]);
  if (callsPerUserPerDay !== undefined && !(callsPerUserPerDay >= 0 && callsPerUserPerDay <= 200)) throw new CliError(say("cli.simulate.badCallsPerUser"));

  const tenant = demoTenant(values.tenant);
  const client = await DevClient.signIn(values.url, tenant);
  // The directory as the app sees it (licenses and plans may have changed since the seed).
  const directory = await client.get<{ items: DirectoryUserView[] } | DirectoryUserView[]>("/api/v1/users");
  const users = directory.status === 200 ? (Array.isArray(directory.body) ? directory.body : directory.body.items) : tenant.users;

  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * DAY_MS);
  const rows = simulateCalls({ tenant: { tenantId: tenant.tenantId, region: tenant.region, users }, days, from, seed: values.seed, callsPerUserPerDay })
    // Calls that have not ended yet have no record yet.
    .filter((r) => Date.parse(r.endDateTime) <= now.getTime());
  console.log(
    say("cli.simulate.start", {
      calls: rows.length,
      tenant: tenant.displayName,
      users: users.length,
      from: from.toISOString().slice(0, 10),
      seed: String(values.seed),
      upn: client.upn,
    }),
  );

  const totals = { accepted: 0, duplicates: 0, rejected: 0, chargedMicros: 0, replayed: 0 };
  let last: IngestAnswer | undefined;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const key = `simulate-${createHash("sha256")
      .update(batch.map((r) => r.id).join("\n"))
      .digest("hex")
      .slice(0, 40)}`;
    const res = await postWithRetry(client, batch, key);
    if (res.status !== 200) throw new CliError(say("cli.simulate.batchRefused", { batch: i / BATCH + 1, status: res.status, body: JSON.stringify(res.body) }));
    const body = res.body;
    if (res.headers.get("idempotent-replayed") === "true") {
      // Posted before with this key: nothing happened now.
      totals.replayed++;
      totals.duplicates += batch.length - body.rejected.length;
    } else {
      totals.accepted += body.accepted;
      totals.duplicates += body.duplicates;
      totals.chargedMicros += body.chargedMicros;
    }
    totals.rejected += body.rejected.length;
    for (const r of body.rejected.slice(0, 3))
      console.warn(say("cli.simulate.rejectedRow", { row: i + r.index, errors: r.errors.map((e) => `${e.path}: ${e.message}`).join("; ") }));
    last = body;
    process.stdout.write(`\r${say("cli.simulate.progress", { posted: Math.min(i + BATCH, rows.length), total: rows.length })}`);
  }
  if (rows.length > 0) process.stdout.write("\n");
  const account = await client.get<{ balanceMicros: number; currency: string }>("/api/v1/account");
  const currency = last?.currency ?? account.body.currency ?? tenant.currency;
  console.log(say("cli.simulate.totals", { accepted: totals.accepted, duplicates: totals.duplicates, replayed: totals.replayed, rejected: totals.rejected }));
  console.log(simulateCharged({ chargedMicros: totals.chargedMicros, balanceMicros: account.body.balanceMicros, currency }));
});

/** The same key on every try: a batch whose answer was lost is not charged twice. */
async function postWithRetry(client: DevClient, records: unknown[], key: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client.post<IngestAnswer>("/api/v1/usage/records", { records }, { "idempotency-key": key });
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? attempt) * 1000));
        continue;
      }
      return res;
    } catch (err) {
      if (attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
}
