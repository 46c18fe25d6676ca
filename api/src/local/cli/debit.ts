/**
 * `npm run debit -- <amount> [--tenant contoso] [--url http://localhost:3978]`
 *
 * A usage debit of `amount` (in currency units, e.g. 12.50) on a demo tenant of the RUNNING app,
 * through the dev-only POST /api/dev/debit, signed in as the tenant's first Billing or Global
 * Administrator: the quickest way to watch auto-recharge, low balance and depletion happen.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { parseDecimalToMicros } from "@cc/common";
import { CliError, DEFAULT_URL, demoTenant, DevClient, runCli } from "./dev-client.js";
import { debitDone, say } from "./words.js";

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: "string", default: "contoso" },
      url: { type: "string", default: DEFAULT_URL },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(say("cli.debit.usage"));
    if (!values.help) process.exitCode = 1;
    return;
  }
  let amountMicros: number;
  try {
    amountMicros = parseDecimalToMicros(positionals[0]);
  } catch {
    throw new CliError(say("cli.debit.notAnAmount", { text: positionals[0] }));
  }
  if (amountMicros <= 0) throw new CliError(say("cli.debit.notPositive"));

  const tenant = demoTenant(values.tenant);
  const client = await DevClient.signIn(values.url, tenant);
  const res = await client.post<{ entryId: string; balanceMicros: number }>("/api/dev/debit", { amountMicros }, { "idempotency-key": randomUUID() });
  if (res.status !== 201 && res.status !== 200) throw new CliError(say("cli.debit.refused", { status: res.status, body: JSON.stringify(res.body) }));
  const account = await client.get<{ currency: string; status: string }>("/api/v1/account");
  const currency = account.body.currency ?? tenant.currency;
  console.log(debitDone({ amountMicros, balanceMicros: res.body.balanceMicros, currency, tenant: tenant.displayName, entryId: res.body.entryId, status: account.body.status }));
});
