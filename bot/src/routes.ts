/**
 * What the bot does, free of any SDK: each route is a few lines that call a dependency and answer
 * with text or a card. No money rules and no role rules here: the API decides (deps.caller,
 * deps.act), numbers come from the API.
 */
import { parseDecimalToMicros, t, type MessageId } from "@cc/common";
import { randomUUID } from "node:crypto";
import { renderBalanceCard } from "./cards/balance-card.js";
import { renderUsageCard } from "./cards/usage-card.js";
import { localeOf } from "./cards/words.js";
import { BOT_COMMANDS, COMMAND_PATTERNS, commandWords, type CommandName } from "./commands.js";
import type { BotRoutes, BotTurn } from "./teams/adapter.js";
import type { BotDeps, Caller, Locale } from "./types.js";

/** A chat sentence in the reader's language, from the catalog (namespace "bot"). */
const say = (locale: Locale, id: MessageId) => t(locale, id);

/** Kept for callers of the earlier API. */
export const GREETING = t("en", "bot.greeting");
export const NOT_AN_ADMIN = t("en", "bot.notAnAdmin");

/** Card verbs the bot forwards to the API (deps.act), plus `refresh` (current card for a channel post). */
export const CARD_VERBS = ["retry_recharge", "add_funds", "confirm_add_funds", "confirm_top_up", "restrict_domestic", "block_destination", "resume_auto_recharge", "refresh"];

export function helpText(locale: Locale, isAdmin: boolean, scope: string): string {
  const scopeName = scope === "channel" ? "team" : scope === "groupChat" ? "groupChat" : "personal";
  const lines = BOT_COMMANDS.filter((c) => (isAdmin || !c.adminOnly) && c.scopes.includes(scopeName as never)).map((c) => t(locale, "bot.helpLine", commandWords(c, locale)));
  return `${say(locale, "bot.helpIntro")}\n\n${lines.join("\n")}\n\n${say(locale, "bot.helpTail")}`;
}

/** What every command shares: the reader's language, who the caller is, where money details go, the role gate, the API's card actions. */
function turnTools(deps: BotDeps) {
  const lang = (turn: BotTurn): Locale => localeOf(turn.locale);

  async function whoIs(turn: BotTurn): Promise<Caller | null> {
    if (!turn.tenantId || !turn.userId) return null;
    return deps.caller(turn.tenantId, turn.userId);
  }

  /** Money details: in a personal chat or an admin channel as a reply, elsewhere 1:1 to the asker. */
  async function sendMoneyCard(turn: BotTurn, card: Record<string, unknown>): Promise<void> {
    const shared = turn.conversationType !== "personal";
    if (shared && !(turn.tenantId && (await deps.isAdminChannel(turn.tenantId, turn.conversationId)))) {
      await turn.sendPrivately(card, say(lang(turn), "bot.sentPrivately"));
      return;
    }
    await turn.sendCard(card);
  }

  /** Run a command for a caller the API lets do `need`; everyone else is told politely. */
  function guarded(need: "read" | "moveMoney" | "manageNotifications", run: (turn: BotTurn, args: string, caller: Caller, tenantId: string) => Promise<void>) {
    return async (turn: BotTurn, args: string) => {
      const locale = lang(turn);
      if (!turn.tenantId) return turn.sendText(say(locale, "bot.noTenant"));
      const caller = await whoIs(turn);
      if (!caller?.can.read) return turn.sendText(say(locale, "bot.notAnAdmin"));
      if (!caller.can[need]) return turn.sendText(say(locale, need === "moveMoney" ? "bot.notBilling" : "bot.notAnAdmin"));
      try {
        await run(turn, args, caller, turn.tenantId);
      } catch (err) {
        deps.logger.error({ err, tenantId: turn.tenantId }, "bot command failed");
        await turn.sendText(say(locale, "bot.failed"));
      }
    };
  }

  async function act(turn: BotTurn, verb: string, data: Record<string, unknown>, idempotencyKey: string): Promise<void> {
    const answer = await deps.act({ tenantId: turn.tenantId ?? "", userId: turn.userId, verb, data, idempotencyKey, locale: lang(turn) });
    if (answer.card) await sendMoneyCard(turn, answer.card);
    else await turn.sendText(answer.message);
  }
  return { lang, whoIs, sendMoneyCard, guarded, act };
}
type TurnTools = ReturnType<typeof turnTools>;
type CommandHandler = (turn: BotTurn, args: string) => Promise<void>;

/** The commands about money: the balance, usage, top up, auto-recharge. */
function moneyCommands(deps: BotDeps, { lang, sendMoneyCard, guarded, act }: TurnTools): Record<"balance" | "usage" | "top up" | "auto-recharge", CommandHandler> {
  return {
    balance: guarded("read", async (turn, _args, caller, tenantId) => {
      const account = await deps.getAccountSummary(tenantId, caller.userId);
      if (!account) return turn.sendText(say(lang(turn), "bot.notAnAdmin"));
      await sendMoneyCard(turn, renderBalanceCard(account, lang(turn)));
    }),
    usage: guarded("read", async (turn, args, caller, tenantId) => {
      const period = (args || "30d").toLowerCase();
      if (period !== "7d" && period !== "30d" && period !== "month") return turn.sendText(say(lang(turn), "bot.usageUsage"));
      const usage = await deps.usage(tenantId, caller.userId, period);
      if (!usage) return turn.sendText(say(lang(turn), "bot.notAnAdmin"));
      await sendMoneyCard(turn, renderUsageCard(usage, lang(turn)));
    }),
    "top up": guarded("moveMoney", async (turn, args) => {
      let amountMicros: number;
      try {
        amountMicros = parseDecimalToMicros(args.replace(/^[^\d]*/, "").replace(",", "."));
      } catch {
        return turn.sendText(say(lang(turn), "bot.topUpUsage"));
      }
      // The API makes the confirmation card and keeps what it offered: a press is charged as offered.
      await act(turn, "top_up", { amountMicros }, randomUUID());
    }),
    "auto-recharge": guarded("moveMoney", async (turn, args) => {
      const on = /^on\s+(\d{1,9}(?:[.,]\d{1,2})?)\s+below\s+(\d{1,9}(?:[.,]\d{1,2})?)$/i.exec(args);
      if (on)
        return act(
          turn,
          "auto_recharge_on",
          { amountMicros: parseDecimalToMicros(on[1].replace(",", ".")), thresholdMicros: parseDecimalToMicros(on[2].replace(",", ".")) },
          randomUUID(),
        );
      if (/^off$/i.test(args)) return act(turn, "auto_recharge_off", {}, randomUUID());
      await turn.sendText(say(lang(turn), "bot.autoRechargeUsage"));
    }),
  };
}

/** Where notifications go (`notify here`, `notify stop`) and `help`. */
function otherCommands({ lang, whoIs, guarded, act }: TurnTools): Record<"notify" | "help", CommandHandler> {
  return {
    notify: guarded("manageNotifications", async (turn, args) => {
      const what = args.toLowerCase();
      if (what !== "here" && what !== "stop") return turn.sendText(say(lang(turn), "bot.notifyUsage"));
      if (turn.conversationType !== "channel" || !turn.installation) return turn.sendText(say(lang(turn), "bot.notifyOnlyChannels"));
      await act(
        turn,
        what === "here" ? "notify_here" : "notify_stop",
        {
          conversationId: turn.conversationId,
          teamId: turn.installation.teamId ?? "",
          channelId: turn.installation.channelId ?? turn.conversationId,
          name: turn.installation.name ?? "",
        },
        randomUUID(),
      );
    }),
    help: async (turn) => {
      const caller = await whoIs(turn).catch(() => null);
      await turn.sendText(helpText(lang(turn), caller?.can.read ?? false, turn.conversationType));
    },
  };
}

export function createRoutes(deps: BotDeps): BotRoutes {
  const tools = turnTools(deps);
  const { lang } = tools;
  const handlers: Record<CommandName, CommandHandler> = { ...moneyCommands(deps, tools), ...otherCommands(tools) };

  return {
    async seen(turn) {
      if (turn.installation) await deps.saveInstallation(turn.installation);
    },

    async installed(turn) {
      if (!turn.installation) deps.logger.warn({ conversationId: turn.conversationId }, "install without a tenant id: conversation reference not saved");
      await turn.sendText(say(lang(turn), "bot.greeting"));
    },

    async installationUpdated() {
      // Saved by `seen`, like every activity.
    },

    async uninstalled(turn) {
      if (turn.installation) await deps.removeInstallation(turn.installation);
    },

    commands: (Object.keys(COMMAND_PATTERNS) as CommandName[]).map((name) => ({ pattern: COMMAND_PATTERNS[name], handle: handlers[name] })),

    async fallback(turn) {
      await handlers.help(turn, "");
    },

    cardVerbs: CARD_VERBS,

    async cardAction(turn, verb, data) {
      if (!turn.tenantId || !turn.userId) return say(lang(turn), "bot.noTenant");
      // Only the verbs cards offer reach the API from a card (a chat command's verbs are not buttons).
      if (!CARD_VERBS.includes(verb)) return say(lang(turn), "bot.unknownAction");
      const eventId = typeof data.eventId === "string" ? data.eventId : "";
      const idempotencyKey = typeof data.idempotencyKey === "string" && data.idempotencyKey ? data.idempotencyKey : `${eventId}:${verb}`;
      // The tenant is the verified activity's, never the card's: the API checks the event belongs to it.
      const answer = await deps.act({ tenantId: turn.tenantId, userId: turn.userId, verb, data, idempotencyKey, locale: lang(turn) });
      return answer.card ?? answer.message;
    },
  };
}
