/**
 * The composition root: the world, the Bot Connector connection, every use case and job, the bot,
 * sign-in and what each route calls are built here, in dependency order, with nothing attached
 * afterwards (composeApp). app.ts builds the HTTP server from what this returns.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pino, type Logger } from "pino";
import { DEMO_TENANTS } from "@cc/common";
import { connectBot, createBot, type TeamsHost } from "@cc/bot";
import type { Config } from "./config.js";
import { openWorld, type World, type WorldOverrides } from "./world.js";
import type { LocalGraphOutbox } from "./local-world.js";
import { systemClock } from "./shared/clock.js";
import type { DevTokenIssuer } from "./auth/tokens.js";
import { signIn } from "./auth/sign-in.js";
import type { Authorizer } from "./http/router.js";
import { MIN_PURCHASE_MICROS } from "./accounts/account.js";
import { firstFrameDrawer, type FirstFrameDrawer } from "./http/routes/first-frame.js";
import { GraphDirectory } from "./directory/graph-directory.js";
import { PostingEffects } from "./ledger/posting-effects.js";
import { LedgerWriter } from "./ledger/ledger-writer.js";
import { IdempotencyService } from "./store/idempotency.js";
import { Outbox } from "./notifications/outbox.js";
import { AuditLog } from "./audit/audit-log.js";
import { PaymentMethods } from "./funding/payment-methods.js";
import { Funding } from "./funding/add-funds.js";
import {
  configureAutoRecharge,
  rechargeHistory,
  RechargeRunner,
  resumeAutoRecharge,
  retryDueRecharges,
  retryRechargeNow,
  type AutoRecharge,
} from "./funding/auto-recharge/index.js";
import { Accounts } from "./accounts/accounts.js";
import { setTimeZone } from "./accounts/time-zone.js";
import { Forecasts } from "./accounts/forecast.js";
import { Guard } from "./guard/guard.js";
import { Licenses } from "./licenses/licenses.js";
import { Rates } from "./usage/rates.js";
import { Usage } from "./usage/usage.js";
import { UsageRollups } from "./usage/rollups.js";
import type { Clock } from "./shared/clock.js";
import { UsageExport } from "./usage/export.js";
import { GraphPoller } from "./usage/graph-poller.js";
import { Installations } from "./notifications/installations.js";
import { ChargeRecovery } from "./reconciliation/recover-charges.js";
import { DEMO_SENDER_MAILBOX as LOCAL_SENDER_MAILBOX, type DemoTenant, type PaymentLimits } from "@cc/common";
import type { ProactiveMessenger } from "@cc/bot";
import { GraphRoleMembers } from "./directory/role-members.js";
import { NotificationSettingsStore } from "./notifications/settings.js";
import { NotificationSettingsView } from "./notifications/settings-view.js";
import { Recipients } from "./notifications/recipients.js";
import { Notifier } from "./notifications/notifier.js";
import { GraphMail } from "./notifications/graph-mail.js";
import { GraphActivityFeed } from "./notifications/graph-activity-feed.js";
import { CardActions } from "./notifications/card-actions.js";
import { UnreachedEvents } from "./notifications/unreached.js";
import { CardOffers } from "./notifications/card-offers.js";
import { scheduledJobs } from "./jobs.js";
import { botDependencies } from "./bot-dependencies.js";
import type { Services } from "./services.js";

export type { Jobs, JobsReport } from "./jobs.js";
export type { Services } from "./services.js";
import { HeldAlerts } from "./notifications/held-alerts.js";
import { DepartmentSpend } from "./usage/departments.js";
import { GraphGroupMembers } from "./directory/group-members.js";

/** The ledger, the outbox and who is told, cards, funds, auto-recharge, accounts and licenses: what moves money and records it. */
function moneyServices(world: World, config: Config, clock: Clock, logger: Logger) {
  const { store, processor } = world;
  const directory = new GraphDirectory(world.graph);
  const ledger = new LedgerWriter(store, clock, (err) => logger.error({ err }, "effects of a rolled-forward ledger entry failed; a replay of its cause makes them"));
  const audit = new AuditLog(store, clock);
  const roleMembers = new GraphRoleMembers(world.graph);
  const notificationSettings = new NotificationSettingsStore(store, audit);
  const recipients = new Recipients(roleMembers, notificationSettings);
  const outbox = new Outbox(store, recipients, clock);
  const idempotency = new IdempotencyService(store, clock);
  // Balance alerts a recharge under way will resolve wait for it; the runner settles them when it ends.
  const heldAlerts = new HeldAlerts(store, outbox, clock);
  const rechargeRunner = new RechargeRunner(
    store,
    ledger,
    processor,
    outbox,
    audit,
    clock,
    config.MAX_CHARGE_MICROS,
    (err, tenantId) => logger.error({ err, tenantId }, "auto-recharge failed; the retry job will pick it up"),
    heldAlerts,
  );
  const autoRecharge: AutoRecharge = {
    configure: configureAutoRecharge({ ledger, audit, runner: rechargeRunner, maxChargeMicros: config.MAX_CHARGE_MICROS }),
    resume: resumeAutoRecharge({ ledger, audit, clock, runner: rechargeRunner }),
    retryNow: retryRechargeNow({ ledger, audit, clock, runner: rechargeRunner }),
    retryDue: retryDueRecharges({ store, clock, runner: rechargeRunner }),
    history: rechargeHistory({ store }),
    kick: (tenantId) => rechargeRunner.kick(tenantId),
    settle: () => rechargeRunner.settle(),
  };
  const paymentMethods = new PaymentMethods(store, processor, ledger, audit, clock, (tenantId) => autoRecharge.kick(tenantId));
  const funding = new Funding(ledger, paymentMethods, processor, config.MAX_CHARGE_MICROS, clock);
  const accounts = new Accounts(store, ledger, paymentMethods, clock);
  const licenses = new Licenses(store, directory, audit, clock);
  const chargeRecovery = new ChargeRecovery(store, processor, ledger, audit, clock);
  return {
    directory,
    ledger,
    audit,
    roleMembers,
    notificationSettings,
    recipients,
    outbox,
    idempotency,
    autoRecharge,
    paymentMethods,
    funding,
    accounts,
    setTimeZone: setTimeZone({ ledger, audit }),
    notificationSettingsView: new NotificationSettingsView(notificationSettings, ledger),
    licenses,
    chargeRecovery,
  };
}
type MoneyServices = ReturnType<typeof moneyServices>;

/** Rating, ingestion and reports, the guard and the budgets over the day rollups, runway; and what a posting sets off. */
function usageServices(world: World, config: Config, clock: Clock, logger: Logger, money: MoneyServices) {
  const { store } = world;
  const { directory, ledger, audit, outbox, licenses, paymentMethods, autoRecharge, notificationSettings } = money;
  const rates = Rates.load();
  // The day rollups first: the guard and the forecasts read them, the usage capability writes them.
  const rollups = new UsageRollups(store.containers.rollups, clock);
  const forecasts = new Forecasts(store, ledger, rollups, paymentMethods, outbox, clock, config.MAX_CHARGE_MICROS);
  const groups = new GraphGroupMembers(world.graph);
  const guard = new Guard(store, ledger, rollups, outbox, audit, clock, (code) => rates.countryName(code), groups);
  const departments = new DepartmentSpend(store, directory, ledger, outbox, audit, clock);
  const usage = new Usage(store, ledger, directory, licenses, rates, clock, {
    rollups,
    departments,
    // The guard's rules first, then the department's budget (a call charged to credits).
    callGuard: async (tenantId, userId, call) => (await guard.checkCall(tenantId, userId, call)) ?? (await departments.checkCall(tenantId, userId, call.chargesCredits)),
    afterIngest: (tenantId) => guard.watchSpikes(tenantId).catch((err) => logger.error({ err, tenantId }, "spend-spike detector failed")),
  });
  const effects = new PostingEffects(audit, outbox, (tenantId) => autoRecharge.kick(tenantId), {
    thresholds: async (tenantId) => (await notificationSettings.get(tenantId)).lowBalanceThresholds ?? [],
    maxChargeMicros: config.MAX_CHARGE_MICROS,
  });
  ledger.onPosted((account, entries) => effects.apply(account, entries));
  const usageExport = new UsageExport(store, rates, clock);
  const graphPoller = new GraphPoller(store, world.graph, usage, clock, logger);
  return { rates, forecasts, groups, guard, departments, usage, usageExport, graphPoller };
}

/** Teams first; e-mail (from the sender mailbox) and the activity feed reach whom Teams cannot, and say when nobody was told. */
function notificationServices(world: World, config: Config, clock: Clock, logger: Logger, messenger: ProactiveMessenger, money: MoneyServices) {
  const { store } = world;
  const { outbox, recipients, roleMembers, notificationSettings } = money;
  const installations = new Installations(store, clock, logger);
  const unreachedEvents = new UnreachedEvents(store);
  const senderMailbox = config.NOTIFY_SENDER_MAILBOX ?? (config.APP_ENV === "local" ? LOCAL_SENDER_MAILBOX : undefined);
  const reach = { mail: new GraphMail(world.graph), feed: new GraphActivityFeed(world.graph), settings: notificationSettings, unreached: unreachedEvents };
  // Without a conversation in the tenant yet: Teams' endpoint and the bot's Teams account (28:<app id>), or the local connector's.
  const localConnector = world.local.botConnector;
  const notifier = new Notifier(
    store,
    outbox,
    recipients,
    installations,
    roleMembers,
    messenger,
    clock,
    logger,
    {
      defaultNewChat: localConnector ? { serviceUrl: localConnector.url, bot: localConnector.bot } : { serviceUrl: config.BOT_SERVICE_URL, bot: { id: `28:${config.BOT_ID}` } },
      catalogAppId: config.TEAMS_APP_ID,
      tabUrl: `https://teams.microsoft.com/l/entity/${config.TEAMS_APP_ID}/credits`,
      senderMailbox,
    },
    reach,
  );
  // The outbox nudges the notifier in-process: a card leaves as soon as its event is written; the timer is the safety net.
  outbox.onEmitted((event) => notifier.nudge(event));
  return { installations, unreachedEvents, notifier };
}

/** The card buttons, with the use cases each one runs. */
function cardActionsOf(world: World, clock: Clock, money: MoneyServices, guard: Guard, notifier: Notifier): CardActions {
  const { directory, outbox, idempotency, autoRecharge, funding, accounts, notificationSettings } = money;
  return new CardActions(
    directory,
    outbox,
    notifier,
    idempotency,
    {
      retryRecharge: autoRecharge.retryNow,
      resumeAutoRecharge: autoRecharge.resume,
      configureAutoRecharge: autoRecharge.configure,
      addFunds: (...args) => funding.addFunds(...args),
      viewAccount: (tenantId) => accounts.view(tenantId),
      restrictToDomestic: (...args) => guard.restrictToDomestic(...args),
      blockDestination: (...args) => guard.blockDestination(...args),
      addChannel: (...args) => notificationSettings.addChannel(...args),
      removeChannel: (...args) => notificationSettings.removeChannel(...args),
    },
    clock,
    new CardOffers(world.store, clock),
  );
}

/**
 * Every use case and job, in dependency order, over one world and the bot's Bot Connector
 * messenger (built first, so nothing is attached after construction): the money, then usage over
 * it, the notifier, the card buttons over all three, the jobs last.
 */
export function createServices(world: World, config: Config, clock: Clock, logger: Logger, messenger: ProactiveMessenger): Services {
  const money = moneyServices(world, config, clock, logger);
  const usage = usageServices(world, config, clock, logger, money);
  const notifications = notificationServices(world, config, clock, logger, messenger, money);
  const cardActions = cardActionsOf(world, clock, money, usage.guard, notifications.notifier);
  const { notifier } = notifications;
  const jobs = scheduledJobs(
    config,
    logger,
    {
      rechargesRetried: () => money.autoRecharge.retryDue(),
      expiriesPosted: () => money.accounts.applyExpiryEverywhere(),
      usageRecordsRecovered: () => usage.usage.ingestor.recoverStaleEverywhere(),
      chargesRecovered: () => money.chargeRecovery.run(),
      expiringCardsWarned: () => usage.forecasts.warnExpiringCards(),
      notificationsDelivered: () => notifier.runNow(),
    },
    {
      deliver: () => notifier.runNow(),
      poll: () => usage.graphPoller.pollAll(),
      stop: () => notifier.stop(),
    },
  );
  return { clock, ...money, ...usage, ...notifications, cardActions, jobs };
}

export interface AppOptions extends WorldOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Tenants seeded into a fresh store (default: the demo directory). */
  tenants?: DemoTenant[];
}

/** Everything the HTTP server is built from (app.ts). */
export interface Composition {
  config: Config;
  logger: Logger;
  world: World;
  services: Services;
  tenants: readonly DemoTenant[];
  auth: Authorizer;
  /** Dev sign-in (AUTH_MODE=dev, APP_ENV=local only). */
  devTokens?: DevTokenIssuer;
  /** What answers /api/messages. */
  bot: TeamsHost;
  paymentLimits: PaymentLimits;
  tabDist: string;
  firstFrame: FirstFrameDrawer;
  /** A local Graph started by someone else (tests), for the dev routes' outbox view. */
  localGraph?: LocalGraphOutbox;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The whole app but its HTTP server, in dependency order: the world (and its journal restored),
 * the Bot Connector connection (so the notifier has its messenger when it is built), the use cases
 * and jobs, the seeded tenants, sign-in, the bot over the use cases, the first frame's drawer.
 */
export async function composeApp(config: Config, options: AppOptions = {}): Promise<Composition> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL, redact: ["req.headers.authorization", "*.token", "*.card"] });
  const clock = options.clock ?? systemClock;
  const world = await openWorld(config, options);
  const journal = world.local.cosmos?.journal;
  if (journal) {
    const recovered = await journal.recover(world.store);
    if (recovered.documents + recovered.replayed > 0) logger.info({ ...recovered, dataDir: config.DATA_DIR }, "restored the local store (snapshot and journal)");
  }
  const connection = connectBot({ appId: config.BOT_ID, appPassword: config.BOT_PASSWORD, appTenantId: config.BOT_TENANT_ID, appType: config.BOT_TYPE }, logger);
  const services = createServices(world, config, clock, logger, connection.messenger);
  const tenants = options.tenants ?? DEMO_TENANTS;
  if (config.SEED_DEMO) await seedTenants(services, tenants);

  const { auth, devTokens } = await signIn(config, world.store.containers.state, services.directory);

  const bot = createBot(connection, botDependencies(services, logger));
  // The local world: demo admins already have the app, in chats held by the local Bot Connector.
  if (config.SEED_DEMO) await world.local.seedInstallations?.(services.installations, tenants);

  const tabDist = config.TAB_DIST ?? resolve(here, "../../tab/dist");
  return {
    config,
    logger,
    world,
    services,
    tenants,
    auth,
    devTokens,
    bot,
    paymentLimits: { minPaymentMicros: MIN_PURCHASE_MICROS, maxPaymentMicros: config.MAX_CHARGE_MICROS },
    tabDist,
    firstFrame: firstFrameDrawer(resolve(tabDist, "../dist-server/render.js"), logger),
    localGraph: options.localGraph,
  };
}

/** Create the demo tenants' accounts (and their licensed users) when the store has none. */
export async function seedTenants(services: Services, tenants: readonly DemoTenant[]): Promise<void> {
  for (const tenant of tenants) {
    const created = await services.accounts.ensure(tenant);
    if (created)
      await services.licenses.seed(
        tenant.tenantId,
        tenant.users.filter((u) => u.licensed).map((u) => u.id),
      );
  }
}
