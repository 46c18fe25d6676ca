/** Wires the use cases over one store. No I/O happens here. */
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { World } from "../world.js";
import { GraphDirectory } from "../directory/graph-directory.js";
import type { Directory } from "../directory/directory.js";
import type { LedgerEntry } from "../domain/ledger.js";
import type { AccountDoc } from "../domain/account.js";
import { LedgerWriter } from "./ledger-writer.js";
import { IdempotencyService } from "./idempotency.js";
import { Outbox } from "./outbox.js";
import { AuditLog } from "./audit.js";
import { PaymentMethods } from "./payment-methods.js";
import { Funding } from "./funding.js";
import { AutoRecharge } from "./auto-recharge.js";
import { Accounts } from "./accounts.js";
import { Licenses } from "./licenses.js";
import { Rates } from "./rates.js";
import { Usage } from "./usage.js";
import type { Clock } from "./clock.js";
import { ChargeRecovery } from "../reconciliation/recover-charges.js";

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
  /** Credits charges that succeeded but were never credited (reconciliation job). */
  chargeRecovery: ChargeRecovery;
}

export function createServices(world: World, config: Config, clock: Clock, logger: Logger): Services {
  const { store, processor } = world;
  const directory = new GraphDirectory(world.graph);
  const ledger = new LedgerWriter(store, clock);
  const audit = new AuditLog(store, clock);
  const outbox = new Outbox(store, directory, clock);
  const idempotency = new IdempotencyService(store, clock);
  let autoRecharge: AutoRecharge | undefined;
  const paymentMethods = new PaymentMethods(store, processor, ledger, audit, clock, (tenantId) => autoRecharge?.kick(tenantId));
  autoRecharge = new AutoRecharge(store, ledger, paymentMethods, processor, outbox, audit, clock, config.MAX_CHARGE_MICROS, (err, tenantId) =>
    logger.error({ err, tenantId }, "auto-recharge failed; the retry job will pick it up"),
  );
  const funding = new Funding(ledger, paymentMethods, processor, outbox, audit, config.MAX_CHARGE_MICROS);
  const accounts = new Accounts(store, ledger, paymentMethods, clock);
  const licenses = new Licenses(store, directory, audit, clock);
  const rates = Rates.load();
  const usage = new Usage(store, ledger, directory, licenses, rates, clock);

  const recharge = autoRecharge;
  ledger.onPosted((account, entries) => recharge.onPosted(account, entries));
  ledger.onPosted((account, entries) => balanceEvents(outbox, account, entries));
  ledger.onPosted((account, entries) => audit.ledgerEntries(account, entries));

  const chargeRecovery = new ChargeRecovery(processor, ledger, audit, clock);
  return { clock, directory, ledger, idempotency, outbox, audit, paymentMethods, funding, autoRecharge: recharge, accounts, licenses, rates, usage, chargeRecovery };
}

/** balance_low when a debit crosses the threshold with auto-recharge off; balance_depleted when it reaches zero. */
async function balanceEvents(outbox: Outbox, account: AccountDoc, entries: LedgerEntry[]): Promise<void> {
  for (const entry of entries) {
    const facts = { currency: entry.currency, balanceAfterMicros: entry.balanceAfterMicros, thresholdMicros: account.autoRecharge.thresholdMicros, entryId: entry.id };
    if (entry.crossing !== undefined && !account.autoRecharge.enabled) await outbox.emit(account.tenantId, "balance_low", entry.id, facts);
    if (entry.depleted) await outbox.emit(account.tenantId, "balance_depleted", entry.id, facts);
  }
}
