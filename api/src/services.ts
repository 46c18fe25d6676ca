/**
 * What wiring.ts builds: every use case, store and job of one app instance. The app keeps it for the
 * jobs, the bot and the tests; each route is handed only the members it calls (app.ts).
 */
import type { Clock } from "./shared/clock.js";
import type { Directory } from "./directory/directory.js";
import type { LedgerWriter } from "./ledger/ledger-writer.js";
import type { IdempotencyService } from "./store/idempotency.js";
import type { Outbox } from "./notifications/outbox.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { PaymentMethods } from "./funding/payment-methods.js";
import type { Funding } from "./funding/add-funds.js";
import type { AutoRecharge } from "./funding/auto-recharge/index.js";
import type { Accounts } from "./accounts/accounts.js";
import type { SetTimeZone } from "./accounts/time-zone.js";
import type { NotificationSettingsView } from "./notifications/settings-view.js";
import type { Forecasts } from "./accounts/forecast.js";
import type { Guard } from "./guard/guard.js";
import type { Licenses } from "./licenses/licenses.js";
import type { Rates } from "./usage/rates.js";
import type { Usage } from "./usage/usage.js";
import type { UsageExport } from "./usage/export.js";
import type { GraphPoller } from "./usage/graph-poller.js";
import type { Installations } from "./notifications/installations.js";
import type { ChargeRecovery } from "./reconciliation/recover-charges.js";
import type { NotificationSettingsStore } from "./notifications/settings.js";
import type { Recipients } from "./notifications/recipients.js";
import type { GraphRoleMembers } from "./directory/role-members.js";
import type { Notifier } from "./notifications/notifier.js";
import type { GroupMembersReader } from "./directory/group-members.js";
import type { DepartmentSpend } from "./usage/departments.js";
import type { UnreachedEvents } from "./notifications/unreached.js";
import type { CardActions } from "./notifications/card-actions.js";
import type { Jobs } from "./jobs.js";

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
  /** PUT /api/v1/account/time-zone. */
  setTimeZone: SetTimeZone;
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
  /** The settings as the tab reads them: with what each low-balance threshold means today. */
  notificationSettingsView: NotificationSettingsView;
  recipients: Recipients;
  roleMembers: GraphRoleMembers;
  /** Proactive cards through the Bot Connector connection built before it (composeApp). */
  notifier: Notifier;
  /** Urgent events no admin was told about (the overview's warning). */
  unreachedEvents: UnreachedEvents;
  cardActions: CardActions;
  jobs: Jobs;
}
