/** The bot's contract with its host (the API server wires it up; see index.ts). */
import type { AccountView, NotificationKind } from "@cc/common";

export interface BotConfig {
  appId: string;
  appPassword: string;
  appTenantId?: string;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
}

export interface BotLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

export type Locale = "en" | "fr";

/** A conversation the bot is in, as Teams described it on install or with any activity. */
export interface InstallationInfo {
  tenantId: string;
  scope: "personal" | "channel" | "groupChat";
  conversationId: string;
  serviceUrl: string;
  /** Personal scope: the user's Entra object id (the installation's key). */
  userId?: string;
  teamId?: string;
  channelId?: string;
  /** Team or channel name, when Teams gave it. */
  name?: string;
  /** The activity's locale ("fr-FR"), when Teams gave it. */
  locale: string | null;
  /** Opaque conversation reference for proactive messages. */
  reference: unknown;
}

/** What the caller may do, as the API's role checks decide (the bot has no role rules). */
export interface Caller {
  userId: string;
  upn: string;
  displayName: string;
  can: { read: boolean; moveMoney: boolean; manageNotifications: boolean };
}

/** A card button or chat command that changes something, run by the API. */
export interface ActionRequest {
  tenantId: string;
  userId: string;
  verb: string;
  data: Record<string, unknown>;
  /**
   * The bot's key for this request. The API derives card money keys itself, in their own namespace
   * (event + verb for a notification's buttons, its own offer id for a confirmation card).
   */
  idempotencyKey: string;
  locale: Locale;
}

export interface ActionAnswer {
  ok: boolean;
  /** The sentence to show the person who acted (in their language). */
  message: string;
  /** The updated card to answer an Action.Execute with, when there is one. */
  card?: Record<string, unknown>;
}

export interface UsageLine {
  label: string;
  calls: number;
  minutes: number;
  chargeMicros: number;
}

export interface UsagePeriod {
  period: "7d" | "30d" | "month";
  from: string;
  to: string;
  currency: string;
  totals: Omit<UsageLine, "label">;
  destinations: UsageLine[];
  callTypes: UsageLine[];
}

export interface BotDeps {
  /**
   * The account as the API computes it, for a user of the tenant; the bot holds no money logic and
   * no role rules: the host answers `null` when that user may not see the account.
   */
  getAccountSummary(tenantId: string, userId: string): Promise<AccountView | null>;
  /** Who the caller is and what the API lets them do; null when the directory does not know them. */
  caller(tenantId: string, userId: string): Promise<Caller | null>;
  usage(tenantId: string, userId: string, period: UsagePeriod["period"]): Promise<UsagePeriod | null>;
  /** Upsert on install and with every activity (the newest serviceUrl wins). */
  saveInstallation(info: InstallationInfo): Promise<void>;
  /** Uninstalled, or the team deleted. */
  removeInstallation(info: InstallationInfo): Promise<void>;
  /** Whether this conversation is an admin channel of the tenant (money details may be posted there). */
  isAdminChannel(tenantId: string, conversationId: string): Promise<boolean>;
  /** Run a card action or command verb with the API's role checks and idempotency. */
  act(request: ActionRequest): Promise<ActionAnswer>;
  logger: BotLogger;
}

/** A message the notifier sends: a card and the words for clients that show no card. */
export interface ProactiveMessage {
  card: Record<string, unknown>;
  summary: string;
}

export interface ConversationTarget {
  serviceUrl: string;
  conversationId: string;
  tenantId: string;
}

/** Why a Bot Connector call failed, as the notifier needs it (status, Teams error code, Retry-After). */
export class ConnectorError extends Error {
  constructor(readonly status: number | undefined, readonly code: string, message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = "ConnectorError";
  }
}

/**
 * The one door to the Bot Connector for proactive messages (implemented in teams/proactive.ts).
 * Only the notifier uses it; it knows throttling, dedupe and installation clean-up.
 */
export interface ProactiveMessenger {
  send(target: ConversationTarget, message: ProactiveMessage): Promise<{ activityId: string }>;
  /** Open the 1:1 conversation with a user (the app must be installed for them) and send. */
  createPersonal(serviceUrl: string, tenantId: string, userId: string, message: ProactiveMessage): Promise<{ conversationId: string; activityId: string }>;
  update(target: ConversationTarget, activityId: string, message: ProactiveMessage): Promise<void>;
}

export type { NotificationKind };
