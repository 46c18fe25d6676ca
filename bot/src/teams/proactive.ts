/**
 * The proactive side of the Bot Connector through the botbuilder CloudAdapter: continue a stored
 * conversation, open a 1:1 conversation with a user, update a sent card. SDK errors become
 * ConnectorError (HTTP status, Teams error code, Retry-After) for the notifier's retry rules.
 * The SDK's own HTTP pipeline already waits out a 429's Retry-After a few times per call.
 */
import { CardFactory, CloudAdapter, MessageFactory, TurnContext, type ConversationParameters, type ConversationReference } from "botbuilder";
import { ConnectorError, type BotConfig, type ConversationRef, type ConversationTarget, type ProactiveMessage, type ProactiveMessenger } from "../types.js";

const TEAMS_AUDIENCE = "https://api.botframework.com";

export function createProactiveMessenger(adapter: CloudAdapter, config: BotConfig): ProactiveMessenger {
  const activity = (message: ProactiveMessage) => {
    const a = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
    a.summary = message.summary;
    return a;
  };
  // The stored reference as Teams gave it: continueConversationAsync turns it into the activity's
  // from (the bot), recipient (the user) and conversation (id, type, tenant); nothing is added here.
  const withContext = async (target: ConversationTarget, logic: (context: TurnContext) => Promise<void>) => {
    const failure = { error: undefined as unknown };
    try {
      await adapter.continueConversationAsync(config.appId, target.reference as Partial<ConversationReference>, capture(logic, failure));
    } catch (error) {
      throw toConnectorError(error);
    }
    if (failure.error !== undefined) throw toConnectorError(failure.error);
  };

  return {
    async send(target, message) {
      let activityId = "";
      await withContext(target, async (context) => {
        activityId = (await context.sendActivity(activity(message)))?.id ?? "";
      });
      return { activityId };
    },

    async createPersonal(via, tenantId, memberId, message) {
      const parameters = { isGroup: false, bot: via.bot, members: [{ id: memberId, name: "" }], tenantId, channelData: { tenant: { id: tenantId } } } as ConversationParameters;
      let reference: ConversationRef | undefined;
      let activityId = "";
      const failure = { error: undefined as unknown };
      try {
        await adapter.createConversationAsync(
          config.appId,
          "msteams",
          via.serviceUrl,
          TEAMS_AUDIENCE,
          parameters,
          capture(async (context) => {
            // What botbuilder derives for the new conversation is what later sends continue.
            reference = TurnContext.getConversationReference(context.activity) as ConversationRef;
            activityId = (await context.sendActivity(activity(message)))?.id ?? "";
          }, failure),
        );
      } catch (error) {
        throw toConnectorError(error);
      }
      if (failure.error !== undefined) throw toConnectorError(failure.error);
      if (!reference) throw new ConnectorError(undefined, "no_conversation", "the Bot Connector created no conversation");
      return { reference, activityId };
    },

    async update(target, activityId, message) {
      // updateActivity applies the conversation of the continued reference, as for a send.
      await withContext(target, async (context) => {
        await context.updateActivity({ ...activity(message), id: activityId });
      });
    },
  };
}

/**
 * The adapter hands an error thrown inside a turn to its onTurnError (which logs it) instead of
 * throwing it to the caller: a proactive send's 403 or 429 would look like a success. Keep the
 * error and throw it after the turn.
 */
function capture(logic: (context: TurnContext) => Promise<void>, failure: { error: unknown }): (context: TurnContext) => Promise<void> {
  return async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure.error = error ?? new Error("proactive send failed");
    }
  };
}

function toConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string; parsedBody?: { error?: { code?: string } } };
  };
  const status = typeof e?.statusCode === "number" ? e.statusCode : undefined;
  let code = e?.response?.parsedBody?.error?.code ?? "";
  if (!code && e?.response?.bodyAsText) {
    try {
      code = (JSON.parse(e.response.bodyAsText) as { error?: { code?: string } }).error?.code ?? "";
    } catch {
      code = "";
    }
  }
  const retryAfter = e?.response?.headers?.get?.("retry-after");
  const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
  return new ConnectorError(
    status,
    code || (status === undefined ? String(e?.code ?? "network_error") : `http_${status}`),
    e?.message ?? String(error),
    Number.isFinite(seconds) ? seconds * 1000 : undefined,
  );
}
