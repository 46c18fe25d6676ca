/**
 * `npm run check-ledger [-- --tenant contoso|<tenant id>]`
 *
 * Reconciliation: one verdict per invariant (balance == sum of entries; every succeeded charge
 * credited once and no failed one; every rated usage record in one usage debit; no expired lot
 * spendable; every outbox event delivered or accounted for). Exits 1 on any breach.
 *
 * Against the configured store and processor (COSMOS_ENDPOINT, PROCESSOR_URL), or, by default, the
 * embedded ones' data in DATA_DIR, read without writing anything, so it may run beside the app.
 */
import { parseArgs } from "node:util";
import { DEMO_TENANTS } from "@cc/common";
import { loadConfig } from "../../config.js";
import { openStore } from "../../store/cosmos.js";
import { startLocalCosmos, type LocalCosmos } from "../store/local-server.js";
import { startSandboxProcessor, type SandboxProcessor } from "../payments/sandbox-server.js";
import { HttpCardProcessor } from "../../payments/http-processor.js";
import { checkLedger } from "../../reconciliation/check-ledger.js";
import { CliError, runCli } from "./dev-client.js";
import { say, verdictLines } from "./words.js";

runCli(async () => {
  const { values } = parseArgs({ options: { tenant: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(say("cli.checkLedger.usage"));
    return;
  }
  const tenantId = values.tenant === undefined ? undefined : (DEMO_TENANTS.find((t) => t.name === values.tenant)?.tenantId ?? values.tenant);
  if (tenantId !== undefined && !/^[0-9a-zA-Z-]{1,64}$/.test(tenantId)) throw new CliError(say("cli.checkLedger.badTenant", { tenant: String(values.tenant) }));

  // Like `npm start`: the embedded world's data unless the environment names real endpoints (APP_ENV=cloud).
  const config = loadConfig({ APP_ENV: "local", ...process.env });
  let cosmos: LocalCosmos | undefined;
  let sandbox: SandboxProcessor | undefined;
  try {
    // The charges before the ledger: beside a running app, every charge seen was made before the
    // ledger was read, so its credit is either there or still in flight (CHARGE_IN_FLIGHT_MS), and a
    // credit posted after the listing is not judged. The other order saw charges made after the
    // ledger was read, "never credited" (a false breach).
    const listedAt = new Date();
    if (!config.PROCESSOR_URL) sandbox = await startSandboxProcessor(0, { dataDir: config.DATA_DIR, readOnly: true });
    const processor = new HttpCardProcessor(config.PROCESSOR_URL ?? sandbox!.url, config.PROCESSOR_SECRET_KEY);
    const charges = { items: await processor.listCharges(), listedAt };
    if (!config.COSMOS_ENDPOINT) cosmos = await startLocalCosmos(0, { dataDir: config.DATA_DIR, readOnly: true });
    const endpoint = config.COSMOS_ENDPOINT ?? cosmos!.endpoint;
    const store = await openStore({ endpoint, key: config.COSMOS_KEY, database: config.COSMOS_DATABASE, local: endpoint.startsWith("http://") });
    // A consistent moment of the durable state, even while the app snapshots (journal.ts).
    if (cosmos) await cosmos.journal!.recover(store);

    const { tenants, verdicts } = await checkLedger(store, processor, { tenantId, charges });
    console.log(
      say("cli.checkLedger.scope", { accounts: tenants, where: config.COSMOS_ENDPOINT ? "endpoint" : "embedded", endpoint: config.COSMOS_ENDPOINT ?? "", dir: config.DATA_DIR }),
    );
    // The findings are codes and facts (api/src/reconciliation); their words are the catalog's, in the terminal's language.
    for (const v of verdicts) for (const line of verdictLines(v)) console.log(line);
    const breached = verdicts.filter((v) => !v.ok);
    console.log(
      breached.length === 0 ? say("cli.checkLedger.allHold") : say("cli.checkLedger.breached", { count: breached.length, invariants: breached.map((v) => v.invariant).join(", ") }),
    );
    if (breached.length > 0) process.exitCode = 1;
    store.client.dispose();
  } finally {
    await sandbox?.close();
    await cosmos?.close();
  }
});
