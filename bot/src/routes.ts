/**
 * What the bot does, free of any SDK: each route is a few lines that call a dependency and
 * answer with text or a card. No money rules here; numbers come from deps.getAccountSummary.
 */
import { renderBalanceCard } from "./cards/index.js";
import type { BotRoutes, BotTurn } from "./teams/adapter.js";
import type { BotDeps } from "./types.js";

export const GREETING =
  "Hi! I'm Communications Credits. I tell admins here when an auto-recharge succeeds or fails and when the balance runs low or out. " +
  "Type **balance** to see the current balance, or **help** for what I can do.";

export const NOT_AN_ADMIN = "Only admins in the billing or Teams admin roles can see the Communications Credits balance.";

export const HELP_TEXT =
  "I understand:\n\n- **balance**: the organisation's Communications Credits balance and auto-recharge settings\n- **help**: this message\n\n" +
  "Manage funds, auto-recharge and licenses in the Credits tab.";

export function createRoutes(deps: BotDeps): BotRoutes {
  async function remember(turn: BotTurn): Promise<boolean> {
    if (!turn.tenantId || !turn.conversationId) {
      deps.logger.warn({ conversationId: turn.conversationId }, "install without a tenant id: conversation reference not saved");
      return false;
    }
    await deps.saveConversationReference(turn.tenantId, turn.conversationId, turn.reference);
    deps.logger.info({ tenantId: turn.tenantId, conversationId: turn.conversationId, scope: turn.conversationType }, "conversation reference saved");
    return true;
  }

  return {
    async installed(turn) {
      await remember(turn);
      await turn.sendText(GREETING);
    },

    async installationUpdated(turn) {
      await remember(turn);
    },

    async balance(turn) {
      if (!turn.tenantId) {
        await turn.sendText("I can't tell which organisation this conversation belongs to, so I can't show a balance here.");
        return;
      }
      let account;
      try {
        account = await deps.getAccountSummary(turn.tenantId, turn.userId);
      } catch (err) {
        deps.logger.error({ err, tenantId: turn.tenantId }, "balance lookup failed");
        await turn.sendText("I couldn't read the balance just now. Please try again in a moment.");
        return;
      }
      if (!account) {
        await turn.sendText(NOT_AN_ADMIN);
        return;
      }
      await turn.sendCard(renderBalanceCard(account));
    },

    async help(turn) {
      await turn.sendText(HELP_TEXT);
    },
  };
}
