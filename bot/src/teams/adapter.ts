/**
 * The only module that knows the Bot Framework SDK (botbuilder CloudAdapter) and Teams AI
 * (`Application`). Everything else speaks BotTurn/BotRoutes, so moving to the new Teams SDK
 * rewrites this file and nothing else.
 */
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MemoryStorage,
  TurnContext,
  type Activity,
  type ConversationParameters,
  type Request,
  type Response,
} from "botbuilder";
import { Application, TurnState } from "@microsoft/teams-ai";
import type { BotConfig, BotLogger, ConversationRef, InstallationInfo, ProactiveMessenger } from "../types.js";
import { createProactiveMessenger } from "./proactive.js";

/** One incoming activity, as the route handlers see it. */
export interface BotTurn {
  /** Entra tenant of the conversation (conversation.tenantId or channelData.tenant.id). */
  tenantId: string | null;
  conversationId: string;
  /** "personal", "channel" or "groupChat". */
  conversationType: string;
  /** Entra object id of the user who sent the activity ("" when Teams did not say). */
  userId: string;
  /** The activity's locale ("fr-FR"), null when absent. */
  locale: string | null;
  /** Message text with the bot's @mention removed. */
  text: string;
  /** The conversation as an installation (null without a tenant). */
  installation: InstallationInfo | null;
  sendText(text: string): Promise<void>;
  sendCard(card: Record<string, unknown>): Promise<void>;
  /** Send to the sender in their 1:1 chat with the bot (money details asked in a shared place). */
  sendPrivately(card: Record<string, unknown>, text: string): Promise<void>;
}

export interface BotCommandRoute {
  pattern: RegExp;
  handle(turn: BotTurn, args: string): Promise<void>;
}

export interface BotRoutes {
  /** Every activity, before its route: keep the installation (newest serviceUrl). */
  seen(turn: BotTurn): Promise<void>;
  /** The bot was installed or added to a conversation (greets). */
  installed(turn: BotTurn): Promise<void>;
  /** An installation was added or upgraded without a membersAdded event (no greeting). */
  installationUpdated(turn: BotTurn): Promise<void>;
  /** Uninstalled, or the team deleted. */
  uninstalled(turn: BotTurn): Promise<void>;
  /** Chat commands in the order they are tried. */
  commands: BotCommandRoute[];
  /** Anything else said to the bot. */
  fallback(turn: BotTurn): Promise<void>;
  /** Card verbs (Action.Execute, or Action.Submit with data.verb) and what answers each: a card or a sentence. */
  cardVerbs: string[];
  cardAction(turn: BotTurn, verb: string, data: Record<string, unknown>): Promise<Record<string, unknown> | string>;
}

export interface TeamsHost {
  handle(req: unknown, res: unknown): Promise<void>;
}

/**
 * The bot's connection to the Bot Connector: one adapter with the bot's credentials, built before
 * anything that sends with it. The notifier sends through its messenger; the bot's routes are put
 * on it afterwards (`host`), so neither has to be attached to the other later.
 */
export interface BotConnection {
  /** The proactive door for the notifier (same adapter, same credentials). */
  messenger: ProactiveMessenger;
  /** The bot's routes on this connection: what answers /api/messages. */
  host(routes: BotRoutes): TeamsHost;
}

export function connectTeams(config: BotConfig, logger: BotLogger): BotConnection {
  // Empty appId and password disable auth both ways, as with the Bot Framework Emulator:
  // incoming requests need no token, outgoing calls to the serviceUrl carry none.
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppTenantId: config.appTenantId ?? "",
    MicrosoftAppType: config.appType,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type, conversationId: context.activity.conversation?.id }, "bot turn failed");
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity("Sorry, something went wrong. Please try again in a moment.").catch(() => undefined);
    }
  };
  return { messenger: createProactiveMessenger(adapter, config), host: (routes) => createTeamsHost(adapter, config, routes) };
}

/** teams-ai's routes, one line per activity kind, card verb and command; the catch-all last. */
function createTeamsHost(adapter: CloudAdapter, config: BotConfig, routes: BotRoutes): TeamsHost {
  const app = new Application<TurnState>({
    storage: new MemoryStorage(),
    botAppId: config.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  const turn = (context: TurnContext): BotTurn => toBotTurn(context, config);

  // Every activity first: the serviceUrl can change, the newest one is kept.
  app.turn("beforeTurn", async (context) => {
    const kind = context.activity.type;
    const uninstalling =
      (kind === ActivityTypes.InstallationUpdate && String(context.activity.action ?? "").startsWith("remove")) ||
      (kind === ActivityTypes.ConversationUpdate && (context.activity.channelData as { eventType?: string } | undefined)?.eventType === "teamDeleted");
    if (!uninstalling) await routes.seen(turn(context));
    return true;
  });

  // Routes match in order: the first that fits handles the activity.
  app.conversationUpdate("membersAdded", async (context) => {
    const botId = context.activity.recipient?.id;
    const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
    if (botWasAdded) await routes.installed(turn(context));
  });
  app.conversationUpdate("teamRestored", async (context) => routes.installationUpdated(turn(context)));
  app.conversationUpdate("teamDeleted", async (context) => routes.uninstalled(turn(context)));
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? "");
    if (action.startsWith("add")) await routes.installationUpdated(turn(context));
    if (action.startsWith("remove")) await routes.uninstalled(turn(context));
  });
  for (const verb of routes.cardVerbs) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => (await routes.cardAction(turn(context), verb, (data ?? {}) as Record<string, unknown>)) as string);
    app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
      const answer = await routes.cardAction(turn(context), verb, (data ?? {}) as Record<string, unknown>);
      if (typeof answer === "string") await context.sendActivity(answer);
      else await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(answer)] });
    });
  }
  // Any other Action.Execute verb (a stale or forged card): answered in words, not a bare 501.
  app.adaptiveCards.actionExecute(/^/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? "");
    return (await routes.cardAction(turn(context), verb, (data ?? {}) as Record<string, unknown>)) as string;
  });
  for (const command of routes.commands) {
    app.message(command.pattern, async (context) => {
      const text = (context.activity.text ?? "").trim();
      await command.handle(turn(context), command.pattern.exec(text)?.[1]?.trim() ?? "");
    });
  }
  app.activity(ActivityTypes.Message, async (context) => routes.fallback(turn(context)));

  return {
    async handle(req, res) {
      await adapter.process(req as Request, res as Response, async (context) => {
        await app.run(context);
      });
    },
  };
}

function toBotTurn(context: TurnContext, config: BotConfig): BotTurn {
  const activity: Partial<Activity> = context.activity;
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string; name?: string }; channel?: { id?: string; name?: string } };
  const tenantId = activity.conversation?.tenantId ?? channelData.tenant?.id ?? null;
  const conversationType = activity.conversation?.conversationType ?? "personal";
  const userId = activity.from?.aadObjectId ?? "";
  const conversationId = activity.conversation?.id ?? "";
  const scope = conversationType === "channel" ? "channel" : conversationType === "groupChat" ? "groupChat" : "personal";
  // The whole reference Teams gave, kept as it is. One exception, Teams' own rule: a channel
  // message's conversation id names its thread (";messageid=…"), and a post to the channel (not a
  // reply in that thread) goes to the channel's conversation, which is channelData.channel.id.
  const given = TurnContext.getConversationReference(activity) as ConversationRef;
  const reference: ConversationRef = scope === "channel" && channelData.channel?.id ? { ...given, conversation: { ...given.conversation, id: channelData.channel.id } } : given;
  const installation: InstallationInfo | null =
    tenantId && conversationId && activity.serviceUrl
      ? {
          tenantId,
          scope,
          // A channel is reached by its channel id; a message's conversation id adds ";messageid=…" (its thread).
          conversationId: scope === "channel" && channelData.channel?.id ? channelData.channel.id : conversationId,
          serviceUrl: activity.serviceUrl,
          ...(scope === "personal" && userId ? { userId } : {}),
          ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
          ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
          ...(channelData.channel?.name || channelData.team?.name ? { name: channelData.channel?.name ?? channelData.team?.name } : {}),
          locale: activity.locale ?? null,
          reference,
        }
      : null;
  const cardActivity = (card: Record<string, unknown>) => ({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
  return {
    tenantId,
    conversationId,
    conversationType,
    userId,
    locale: activity.locale ?? null,
    text: (activity.text ?? "").trim(),
    installation,
    async sendText(text) {
      await context.sendActivity(text);
    },
    async sendCard(card) {
      await context.sendActivity(cardActivity(card));
    },
    async sendPrivately(card, text) {
      const adapter = context.adapter as CloudAdapter;
      const parameters = {
        isGroup: false,
        bot: activity.recipient,
        members: [activity.from],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as unknown as ConversationParameters;
      await adapter.createConversationAsync(
        config.appId,
        activity.channelId ?? "msteams",
        activity.serviceUrl ?? "",
        "https://api.botframework.com",
        parameters,
        async (privateContext) => {
          await privateContext.sendActivity(cardActivity(card));
        },
      );
      await context.sendActivity(text);
    },
  };
}
