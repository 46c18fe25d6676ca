/**
 * The composition root: every use case, job and the bot's dependencies are built here, over one
 * world (store, card processor, directory). app.ts builds the HTTP server from what this returns.
 */
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
import { Forecasts } from "./accounts/forecast.js";
import { Guard } from "./guard/guard.js";
import { Licenses } from "./licenses/licenses.js";
import { Rates } from "./usage/rates.js";
import { Usage } from "./usage/usage.js";
import type { Clock } from "./shared/clock.js";
import { UsageExport } from "./usage/export.js";
import { GraphPoller, GRAPH_POLL_EVERY_MS } from "./usage/graph-poller.js";
import { Installations } from "./notifications/installations.js";
import { ChargeRecovery } from "./reconciliation/recover-charges.js";
import { hasPermission, type DemoTenant } from "@cc/common";
import type { BotDeps, NewChatVia, ProactiveMessenger } from "@cc/bot";
import { GraphRoleMembers } from "./directory/role-members.js";
import { NotificationSettingsStore, canManageNotifications } from "./notifications/settings.js";
import { Recipients } from "./notifications/recipients.js";
import { Notifier } from "./notifications/notifier.js";
import { CardActions } from "./notifications/card-actions.js";
import { CardOffers } from "./notifications/card-offers.js";
import { HeldAlerts } from "./notifications/held-alerts.js";
import { DepartmentSpend } from "./usage/departments.js";
import { GraphGroupMembers, type GroupMembersReader } from "./directory/group-members.js";

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
  forecasts: Forecasts;
  guard: Guard;
  /** Entra groups and their transitive members (guard exceptions by group). */
  groups: GroupMembersReader;
  licenses: Licenses;
  rates: Rates;
  usage: Usage;
  /** Spend by department and department budgets. */
  departments: DepartmentSpend;
  usageExport: UsageExport;
  graphPoller: GraphPoller;
  installations: Installations;
  /** Credits charges that succeeded but were never credited (reconciliation job). */
  chargeRecovery: ChargeRecovery;
  notificationSettings: NotificationSettingsStore;
  recipients: Recipients;
  roleMembers: GraphRoleMembers;
  /** Set by attachMessenger once the bot (which owns the Bot Connector adapter) exists. */
  notifier: Notifier | null;
  cardActions: CardActions;
  attachMessenger(messenger: ProactiveMessenger, options: { defaultNewChat: NewChatVia; catalogAppId: string; tabUrl: string }): Notifier;
  jobs: Jobs;
}

/** The background jobs, in the order they run. */
export interface Jobs {
  /** Run every job once now (the timer, and POST /api/dev/jobs/run). */
  runNow(): Promise<JobsReport>;
  /** Start the timers (JOBS_INTERVAL_MS; 0 = never). */
  start(): void;
  stop(): void;
}

export interface JobsReport {
  rechargesRetried: number;
  expiriesPosted: number;
  usageRecordsRecovered: number;
  chargesRecovered: number;
  expiringCardsWarned: number;
  notificationsDelivered: number;
}

export function createServices(world: World, config: Config, clock: Clock, logger: Logger): Services {
  const { store, processor } = world;
  const directory = new GraphDirectory(world.graph);
  const ledger = new LedgerWriter(store, clock, (err) => logger.error({ err }, "effects of a rolled-forward ledger entry failed; a replay of its cause makes them"));
  const audit = new AuditLog(store, clock);
  const roleMembers = new GraphRoleMembers(world.graph);
  const notificationSettings = new NotificationSettingsStore(store, audit);
  const recipients = new Recipients(roleMembers, notificationSettings);
  const outbox = new Outbox(store, recipients, clock);
  const idempotency = new IdempotencyService(store, clock);
  const autoRecharge = new AutoRecharge(store, ledger, processor, outbox, audit, clock, config.MAX_CHARGE_MICROS, (err, tenantId) =>
    logger.error({ err, tenantId }, "auto-recharge failed; the retry job will pick it up"),
  );
  const paymentMethods = new PaymentMethods(store, processor, ledger, audit, clock, (tenantId) => autoRecharge.kick(tenantId));
  const funding = new Funding(ledger, paymentMethods, processor, config.MAX_CHARGE_MICROS, clock);
  const accounts = new Accounts(store, ledger, paymentMethods, clock);
  const licenses = new Licenses(store, directory, audit, clock);
  const rates = Rates.load();
  const usage = new Usage(store, ledger, directory, licenses, rates, clock);
  const forecasts = new Forecasts(store, ledger, usage.ingestor.rollups, paymentMethods, outbox, clock, config.MAX_CHARGE_MICROS);
  const groups = new GraphGroupMembers(world.graph);
  const guard = new Guard(store, ledger, usage.ingestor.rollups, outbox, audit, clock, (code) => rates.countryName(code), groups);
  const departments = new DepartmentSpend(store, directory, ledger, outbox, audit, clock);
  usage.departments = departments;
  usage.ingestor.onSettle = (tenantId, ref, members) => departments.tally(tenantId, ref, members);
  // The guard's rules first, then the department's budget (a call charged to credits).
  usage.callGuard = async (tenantId, userId, call) => (await guard.checkCall(tenantId, userId, call)) ?? (await departments.checkCall(tenantId, userId, call.chargesCredits));
  usage.afterIngest = (tenantId) => guard.watchSpikes(tenantId).catch((err) => logger.error({ err, tenantId }, "spend-spike detector failed"));
  autoRecharge.heldAlerts = new HeldAlerts(store, outbox, clock);
  const effects = new PostingEffects(audit, outbox, (tenantId) => autoRecharge.kick(tenantId), {
    thresholds: async (tenantId) => (await notificationSettings.get(tenantId)).lowBalanceThresholds ?? [],
    maxChargeMicros: config.MAX_CHARGE_MICROS,
  });
  ledger.onPosted((account, entries) => effects.apply(account, entries));

  const usageExport = new UsageExport(store, rates, clock);
  const graphPoller = new GraphPoller(store, world.graph, usage, clock, logger);
  const installations = new Installations(store, clock, logger);
  const chargeRecovery = new ChargeRecovery(store, processor, ledger, audit, clock);

  let notifier: Notifier | null = null;
  const attachMessenger: Services["attachMessenger"] = (messenger, options) => {
    notifier = new Notifier(store, outbox, recipients, installations, roleMembers, messenger, clock, logger, options);
    services.notifier = notifier;
    return notifier;
  };
  // The outbox nudges the notifier in-process: a card leaves as soon as its event is written; the timer is the safety net.
  outbox.onEmitted((event) => notifier?.nudge(event));
  const cardActions = new CardActions(directory, outbox, () => {
    if (!notifier) throw new Error("the notifier is not attached yet");
    return notifier;
  }, idempotency, funding, autoRecharge, accounts, notificationSettings, clock, guard, new CardOffers(store, clock));

  const runNow = async (): Promise<JobsReport> => ({
    rechargesRetried: await autoRecharge.retryDue(),
    expiriesPosted: await accounts.applyExpiryEverywhere(),
    usageRecordsRecovered: await usage.ingestor.recoverStaleEverywhere(),
    chargesRecovered: await chargeRecovery.run(),
    expiringCardsWarned: await forecasts.warnExpiringCards(),
    notificationsDelivered: notifier ? await notifier.runNow() : 0,
  });
  const timers: NodeJS.Timeout[] = [];
  const jobs: Jobs = {
    runNow,
    start() {
      if (config.JOBS_INTERVAL_MS <= 0) return;
      // Deliveries due again (throttled, transient failures) and events another instance wrote.
      timers.push(setInterval(() => void notifier?.runNow().catch((err) => logger.error({ err }, "notification round failed")), Math.min(config.JOBS_INTERVAL_MS, 5_000)));
      timers.push(setInterval(() => void runNow().catch((err) => logger.error({ err }, "background job failed")), config.JOBS_INTERVAL_MS));
      // Graph publishes call records late, so the poller runs less often than the other jobs.
      timers.push(setInterval(() => void graphPoller.pollAll().catch((err) => logger.error({ err }, "graph poller sweep failed")), Math.max(config.JOBS_INTERVAL_MS, GRAPH_POLL_EVERY_MS)));
      for (const t of timers) t.unref();
    },
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      notifier?.stop();
    },
  };

  const services: Services = { clock, directory, ledger, idempotency, outbox, audit, paymentMethods, funding, autoRecharge, accounts, forecasts, guard, groups, licenses, rates, usage, departments, usageExport, graphPoller, installations, chargeRecovery, notificationSettings, recipients, roleMembers, notifier, cardActions, attachMessenger, jobs };
  return services;
}

/** What the bot may ask of the API: the account for an admin who may read it, and where to reach people. */
export function botDependencies(services: Services, logger: Logger): BotDeps {
  return {
    getAccountSummary: async (tenantId, userId) => {
      const user = (await services.directory.users(tenantId)).find((u) => u.id === userId);
      return user && hasPermission(user.roles, "read") ? services.accounts.view(tenantId) : null;
    },
    caller: async (tenantId, userId) => {
      const user = (await services.directory.users(tenantId)).find((u) => u.id === userId);
      if (!user) return null;
      return { userId: user.id, upn: user.upn, displayName: user.displayName, can: { read: hasPermission(user.roles, "read"), moveMoney: hasPermission(user.roles, "billing"), manageNotifications: canManageNotifications(user.roles) } };
    },
    usage: async (tenantId, userId, period) => {
      const user = (await services.directory.users(tenantId)).find((u) => u.id === userId);
      if (!user || !hasPermission(user.roles, "read")) return null;
      // The same named period (usage/period-rules.ts) the tab asks for: the same instants, the same totals.
      const named = { period: period === "month" ? "this_month" : period };
      const [byDestination, byCallType] = await Promise.all([services.usage.summary(tenantId, named, "destination"), services.usage.summary(tenantId, named, "callType")]);
      // The card shows the period's calendar days in the tenant's zone (first and last, both included).
      const range = { from: byDestination.period?.firstDay ?? byDestination.from, to: byDestination.period?.lastDay ?? byDestination.to };
      const line = (g: { label: string; key: string; calls: number; minutes: number; chargeMicros: number }) => ({ label: g.label || g.key, calls: g.calls, minutes: g.minutes, chargeMicros: g.chargeMicros });
      return {
        period,
        ...range,
        currency: byDestination.currency,
        totals: { calls: byDestination.totals.calls, minutes: byDestination.totals.minutes, chargeMicros: byDestination.totals.chargeMicros },
        destinations: [...byDestination.groups].sort((a, b) => b.chargeMicros - a.chargeMicros).map(line),
        callTypes: byCallType.groups.map(line),
      };
    },
    saveInstallation: async (info) => {
      await services.installations.save(info);
    },
    removeInstallation: async (info) => {
      const removed = await services.installations.removeFor(info);
      logger.info({ tenantId: info.tenantId, scope: info.scope, removed }, "installation removed");
    },
    isAdminChannel: async (tenantId, conversationId) => (await services.notificationSettings.get(tenantId)).channels.some((c) => c.channelId === conversationId.split(";")[0]),
    act: (request) => services.cardActions.act(request),
    logger,
  };
}

/** Create the demo tenants' accounts (and their licensed users) when the store has none. */
export async function seedTenants(services: Services, tenants: readonly DemoTenant[]): Promise<void> {
  for (const tenant of tenants) {
    const created = await services.accounts.ensure(tenant);
    if (created) await services.licenses.seed(tenant.tenantId, tenant.users.filter((u) => u.licensed).map((u) => u.id));
  }
}

/**
 * Personal installations for the demo admins, in chats held by the local Bot Connector (created
 * once). The local connector plays Teams here, so these references are what it would have given:
 * its bot account, the user, a personal conversation of the tenant. A real client (Agents
 * Playground) replaces one with its own reference on its first activity, and that one is kept.
 * A seeded chat is moved to this start's connector when the one it points at is gone (a restart
 * listens on a new port), so the notifications waiting for it are delivered; a connector still
 * answering (another instance's, in tests) keeps its chats.
 */
export async function seedLocalInstallations(services: Services, tenants: readonly DemoTenant[], connector: { url: string; bot: { id: string; name: string } }): Promise<void> {
  const alive = new Map<string, Promise<boolean>>();
  const answers = (url: string) => {
    if (!alive.has(url)) alive.set(url, fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false));
    return alive.get(url)!;
  };
  for (const tenant of tenants) {
    for (const user of tenant.users.filter((u) => hasPermission(u.roles, "read"))) {
      const conversationId = `a:local-${user.id}`;
      const existing = await services.installations.personal(tenant.tenantId, user.id);
      if (existing && (existing.conversationId !== conversationId || existing.serviceUrl === connector.url || (await answers(existing.serviceUrl)))) continue;
      const locale = user.usageLocation === "FR" ? "fr-FR" : "en-US";
      await services.installations.save({
        tenantId: tenant.tenantId,
        scope: "personal",
        userId: user.id,
        conversationId,
        serviceUrl: connector.url,
        locale,
        reference: {
          channelId: "msteams",
          serviceUrl: connector.url,
          conversation: { id: conversationId, conversationType: "personal", tenantId: tenant.tenantId },
          bot: connector.bot,
          user: { id: `29:${user.id}`, name: user.displayName, aadObjectId: user.id },
          locale,
        },
      });
    }
  }
}
