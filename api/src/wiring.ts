/** Wires the use cases over one store. No I/O happens here. */
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { World } from "./world.js";
import { GraphDirectory } from "./directory/graph-directory.js";
import type { Directory } from "./directory/directory.js";
import { PostingEffects } from "./ledger/posting-effects.js";
import { LedgerWriter } from "./ledger/ledger-writer.js";
import { IdempotencyService } from "./store/idempotency.js";
import { Outbox } from "./notifications/outbox.js";
import { AuditLog } from "./audit/audit-log.js";
import { PaymentMethods } from "./funding/payment-methods.js";
import { Funding } from "./funding/add-funds.js";
import { AutoRecharge } from "./funding/auto-recharge.js";
import { Accounts } from "./accounts/accounts.js";
import { Licenses } from "./licenses/licenses.js";
import { Rates } from "./usage/rates.js";
import { Usage } from "./usage/usage.js";
import type { Clock } from "./shared/clock.js";

export interface Services {
  clock: Clock;
  directory: Directory;
  ledger: LedgerWriter;
  idempotency: IdempotencyService;
  outbox: Outbox;
  audit: AuditLog;
  paymentMethods: PaymentMethods;
  funding: Funding;
  autoRecharge: AutoRecharge;
  accounts: Accounts;
  licenses: Licenses;
  rates: Rates;
  usage: Usage;
}

export function createServices(world: World, config: Config, clock: Clock, logger: Logger): Services {
  const { store, processor } = world;
  const directory = new GraphDirectory(world.graph);
  const ledger = new LedgerWriter(store, clock);
  const audit = new AuditLog(store, clock);
  const outbox = new Outbox(store, directory, clock);
  const idempotency = new IdempotencyService(store, clock);
  const autoRecharge = new AutoRecharge(store, ledger, processor, outbox, audit, clock, config.MAX_CHARGE_MICROS, (err, tenantId) =>
    logger.error({ err, tenantId }, "auto-recharge failed; the retry job will pick it up"),
  );
  const paymentMethods = new PaymentMethods(store, processor, ledger, audit, clock, (tenantId) => autoRecharge.kick(tenantId));
  const funding = new Funding(ledger, paymentMethods, processor, config.MAX_CHARGE_MICROS);
  const accounts = new Accounts(store, ledger, paymentMethods, clock);
  const licenses = new Licenses(store, directory, audit, clock);
  const rates = Rates.load();
  const usage = new Usage(store, ledger, directory, licenses, rates, clock);
  const effects = new PostingEffects(audit, outbox, (tenantId) => autoRecharge.kick(tenantId));
  ledger.onPosted((account, entries) => effects.apply(account, entries));

  return { clock, directory, ledger, idempotency, outbox, audit, paymentMethods, funding, autoRecharge, accounts, licenses, rates, usage };
}
