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
  type Request,
  type Response,
} from "botbuilder";
import { Application, TurnState } from "@microsoft/teams-ai";
import type { BotConfig, BotLogger } from "../types.js";

/** One incoming activity, as the route handlers see it. */
export interface BotTurn {
  /** Entra tenant of the conversation (conversation.tenantId or channelData.tenant.id). */
  tenantId: string | null;
  conversationId: string;
  /** "personal", "channel" or "groupChat". */
  conversationType: string;
  /** Entra object id of the user who sent the activity ("" when Teams did not say). */
  userId: string;
  /** Message text with the bot's @mention removed. */
  text: string;
  /** Opaque conversation reference for proactive messages later. */
  reference: unknown;
  sendText(text: string): Promise<void>;
  sendCard(card: Record<string, unknown>): Promise<void>;
}

export interface BotRoutes {
  /** The bot was installed or added to a conversation (greets). */
  installed(turn: BotTurn): Promise<void>;
  /** An installation was added or upgraded without a membersAdded event (no greeting). */
  installationUpdated(turn: BotTurn): Promise<void>;
  balance(turn: BotTurn): Promise<void>;
  help(turn: BotTurn): Promise<void>;
}

export interface TeamsHost {
  handle(req: unknown, res: unknown): Promise<void>;
}

export function createTeamsHost(config: BotConfig, routes: BotRoutes, logger: BotLogger): TeamsHost {
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

  const app = new Application<TurnState>({
    storage: new MemoryStorage(),
    botAppId: config.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  const turn = (context: TurnContext): BotTurn => toBotTurn(context);

  // Routes match in order: the first that fits handles the activity.
  app.conversationUpdate("membersAdded", async (context) => {
    const botId = context.activity.recipient?.id;
    const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
    if (botWasAdded) await routes.installed(turn(context));
  });
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? "");
    if (action.startsWith("add")) await routes.installationUpdated(turn(context));
  });
  app.message(/^\s*balance\b/i, async (context) => routes.balance(turn(context)));
  app.message(/^\s*help\b/i, async (context) => routes.help(turn(context)));
  app.activity(ActivityTypes.Message, async (context) => routes.help(turn(context)));

  return {
    async handle(req, res) {
      await adapter.process(req as Request, res as Response, async (context) => {
        await app.run(context);
      });
    },
  };
}

function toBotTurn(context: TurnContext): BotTurn {
  const activity: Partial<Activity> = context.activity;
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string } };
  return {
    tenantId: activity.conversation?.tenantId ?? channelData.tenant?.id ?? null,
    conversationId: activity.conversation?.id ?? "",
    conversationType: activity.conversation?.conversationType ?? "personal",
    userId: activity.from?.aadObjectId ?? "",
    text: (activity.text ?? "").trim(),
    reference: TurnContext.getConversationReference(activity),
    async sendText(text) {
      await context.sendActivity(text);
    },
    async sendCard(card) {
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
    },
  };
}
