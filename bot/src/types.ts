/** The bot's contract with its host (the API server wires it up; see index.ts). */
import type { AccountView, CatalogLocale, NotificationKind } from "@cc/common";

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

/** The reader's catalog locale: a language the product speaks, or the pseudo-locale a test renders with. */
export type Locale = CatalogLocale;

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
  /** The conversation reference as botbuilder derived it from Teams' activity; proactive sends use it as it is. */
  reference: ConversationRef;
}

/**
 * A conversation reference exactly as botbuilder's `TurnContext.getConversationReference` gives it
 * for an activity Teams sent (or for a conversation the bot created): the bot's own account in that
 * conversation, the user, the conversation with its type and tenant, the serviceUrl. Nothing in it
 * is made up by this app: Teams (and Agents Playground) refuse activities built from invented parts.
 */
export interface ConversationRef {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  locale?: string;
  activityId?: string;
}

/** Whether a stored reference is whole (saved by this version) rather than one from before full references. */
export function isWholeReference(reference: unknown): reference is ConversationRef {
  const r = reference as Partial<ConversationRef> | null | undefined;
  return (
    !!r &&
    typeof r.channelId === "string" &&
    typeof r.serviceUrl === "string" &&
    !!r.serviceUrl &&
    typeof r.conversation?.id === "string" &&
    !!r.conversation.id &&
    typeof r.bot?.id === "string" &&
    !!r.bot.id
  );
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
  /** What the API groups by: a destination key, or a Graph call type ("user_out"), which the card says in words. */
  key: string;
  label: string;
  calls: number;
  minutes: number;
  chargeMicros: number;
}

export interface UsagePeriod {
  period: "7d" | "30d" | "month";
  /** The period's first and last calendar day (yyyy-mm-dd, both included) in the tenant's time zone, as the API computed them. */
  from: string;
  to: string;
  currency: string;
  totals: Omit<UsageLine, "label" | "key">;
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

/** Where a proactive message goes: a stored conversation reference, used as it is. */
export interface ConversationTarget {
  tenantId: string;
  reference: ConversationRef;
}

/** How to open a 1:1 chat with someone the bot has no conversation with: the bot's account and endpoint Teams gave in this tenant. */
export interface NewChatVia {
  serviceUrl: string;
  bot: { id: string; name?: string };
}

/** Why a Bot Connector call failed, as the notifier needs it (status, Teams error code, Retry-After). */
export class ConnectorError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
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
  /**
   * Open the 1:1 conversation with a user (the app must be installed for them) and send.
   * `memberId`: the user's Entra object id. Answers the reference botbuilder derives for the
   * created conversation, to be stored as it is.
   */
  createPersonal(via: NewChatVia, tenantId: string, memberId: string, message: ProactiveMessage): Promise<{ reference: ConversationRef; activityId: string }>;
  update(target: ConversationTarget, activityId: string, message: ProactiveMessage): Promise<void>;
}

export type { NotificationKind };
