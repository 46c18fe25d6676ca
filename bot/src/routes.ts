/**
 * What the bot does, free of any SDK: each route is a few lines that call a dependency and answer
 * with text or a card. No money rules and no role rules here: the API decides (deps.caller,
 * deps.act), numbers come from the API.
 */
import { parseDecimalToMicros } from "@cc/common";
import { randomUUID } from "node:crypto";
import { renderBalanceCard, renderUsageCard } from "./cards/index.js";
import { localeOf } from "./cards/words.js";
import { BOT_COMMANDS, COMMAND_PATTERNS, type CommandName } from "./commands.js";
import type { BotRoutes, BotTurn } from "./teams/adapter.js";
import type { BotDeps, Caller, Locale } from "./types.js";

const CHAT = {
  en: {
    greeting: "Hi! I'm Communications Credits. I tell admins here when an auto-recharge succeeds or fails and when the balance runs low or out. Type **balance** to see the current balance, or **help** for what I can do.",
    notAnAdmin: "Only admins in the billing or Teams admin roles can see the Communications Credits balance.",
    notBilling: "Only Global and Billing Administrators can move money or change auto-recharge. Ask one of them, or use **balance** to see where things stand.",
    noTenant: "I can't tell which organisation this conversation belongs to, so I can't help here.",
    failed: "I couldn't do that just now. Please try again in a moment.",
    helpIntro: "I understand:",
    helpTail: "Manage funds, auto-recharge and licenses in the Credits tab.",
    sentPrivately: "I sent the details to you in a private chat.",
    topUpUsage: "Say **top up** and an amount, for example **top up 100**.",
    autoRechargeUsage: "Say **auto-recharge on 100 below 20** or **auto-recharge off**.",
    notifyUsage: "In a team channel, say **notify here** or **notify stop**.",
    notifyOnlyChannels: "**notify here** works in a team channel, where the app is installed.",
    usageUsage: "Say **usage**, **usage 7d**, **usage 30d** or **usage month**.",
    unknownAction: "I don't know that action.",
  },
  fr: {
    greeting: "Bonjour ! Je suis Crédits de communication. Je préviens les administrateurs quand une recharge automatique réussit ou échoue et quand le solde baisse ou s'épuise. Tapez **balance** pour voir le solde, ou **help** pour ce que je sais faire.",
    notAnAdmin: "Seuls les administrateurs des rôles de facturation ou d'administration Teams peuvent voir le solde des crédits de communication.",
    notBilling: "Seuls les administrateurs généraux et de facturation peuvent déplacer de l'argent ou changer la recharge automatique. Demandez à l'un d'eux, ou tapez **balance** pour voir où en est le solde.",
    noTenant: "Je ne sais pas à quelle organisation appartient cette conversation, je ne peux donc pas aider ici.",
    failed: "Je n'ai pas pu le faire pour l'instant. Réessayez dans un moment.",
    helpIntro: "Je comprends :",
    helpTail: "Gérez les fonds, la recharge automatique et les licences dans l'onglet Crédits.",
    sentPrivately: "Je vous ai envoyé le détail en conversation privée.",
    topUpUsage: "Tapez **top up** et un montant, par exemple **top up 100**.",
    autoRechargeUsage: "Tapez **auto-recharge on 100 below 20** ou **auto-recharge off**.",
    notifyUsage: "Dans un canal d'équipe, tapez **notify here** ou **notify stop**.",
    notifyOnlyChannels: "**notify here** fonctionne dans un canal d'équipe où l'application est installée.",
    usageUsage: "Tapez **usage**, **usage 7d**, **usage 30d** ou **usage month**.",
    unknownAction: "Je ne connais pas cette action.",
  },
};

/** Kept for callers of the earlier API. */
export const GREETING = CHAT.en.greeting;
export const NOT_AN_ADMIN = CHAT.en.notAnAdmin;

/** Card verbs the bot forwards to the API (deps.act), plus `refresh` (current card for a channel post). */
export const CARD_VERBS = ["retry_recharge", "add_funds", "confirm_add_funds", "confirm_top_up", "restrict_domestic", "block_destination", "resume_auto_recharge", "refresh"];

export function helpText(locale: Locale, isAdmin: boolean, scope: string): string {
  const w = CHAT[locale];
  const scopeName = scope === "channel" ? "team" : scope === "groupChat" ? "groupChat" : "personal";
  const lines = BOT_COMMANDS.filter((c) => (isAdmin || !c.adminOnly) && c.scopes.includes(scopeName as never)).map((c) => `- **${c.title[locale]}**: ${c.description[locale]}`);
  return `${w.helpIntro}\n\n${lines.join("\n")}\n\n${w.helpTail}`;
}

export function createRoutes(deps: BotDeps): BotRoutes {
  const lang = (turn: BotTurn): Locale => localeOf(turn.locale);

  async function whoIs(turn: BotTurn): Promise<Caller | null> {
    if (!turn.tenantId || !turn.userId) return null;
    return deps.caller(turn.tenantId, turn.userId);
  }

  /** Money details: in a personal chat or an admin channel as a reply, elsewhere 1:1 to the asker. */
  async function sendMoneyCard(turn: BotTurn, card: Record<string, unknown>): Promise<void> {
    const shared = turn.conversationType !== "personal";
    if (shared && !(turn.tenantId && (await deps.isAdminChannel(turn.tenantId, turn.conversationId)))) {
      await turn.sendPrivately(card, CHAT[lang(turn)].sentPrivately);
      return;
    }
    await turn.sendCard(card);
  }

  /** Run a command for a caller the API lets do `need`; everyone else is told politely. */
  function guarded(need: "read" | "moveMoney" | "manageNotifications", run: (turn: BotTurn, args: string, caller: Caller, tenantId: string) => Promise<void>) {
    return async (turn: BotTurn, args: string) => {
      const w = CHAT[lang(turn)];
      if (!turn.tenantId) return turn.sendText(w.noTenant);
      const caller = await whoIs(turn);
      if (!caller?.can.read) return turn.sendText(w.notAnAdmin);
      if (!caller.can[need]) return turn.sendText(need === "moveMoney" ? w.notBilling : w.notAnAdmin);
      try {
        await run(turn, args, caller, turn.tenantId);
      } catch (err) {
        deps.logger.error({ err, tenantId: turn.tenantId }, "bot command failed");
        await turn.sendText(w.failed);
      }
    };
  }

  async function act(turn: BotTurn, verb: string, data: Record<string, unknown>, idempotencyKey: string): Promise<void> {
    const answer = await deps.act({ tenantId: turn.tenantId ?? "", userId: turn.userId, verb, data, idempotencyKey, locale: lang(turn) });
    if (answer.card) await sendMoneyCard(turn, answer.card);
    else await turn.sendText(answer.message);
  }

  const handlers: Record<CommandName, (turn: BotTurn, args: string) => Promise<void>> = {
    balance: guarded("read", async (turn, _args, caller, tenantId) => {
      const account = await deps.getAccountSummary(tenantId, caller.userId);
      if (!account) return turn.sendText(CHAT[lang(turn)].notAnAdmin);
      await sendMoneyCard(turn, renderBalanceCard(account, lang(turn)));
    }),
    usage: guarded("read", async (turn, args, caller, tenantId) => {
      const period = (args || "30d").toLowerCase();
      if (period !== "7d" && period !== "30d" && period !== "month") return turn.sendText(CHAT[lang(turn)].usageUsage);
      const usage = await deps.usage(tenantId, caller.userId, period);
      if (!usage) return turn.sendText(CHAT[lang(turn)].notAnAdmin);
      await sendMoneyCard(turn, renderUsageCard(usage, lang(turn)));
    }),
    "top up": guarded("moveMoney", async (turn, args) => {
      let amountMicros: number;
      try {
        amountMicros = parseDecimalToMicros(args.replace(/^[^\d]*/, "").replace(",", "."));
      } catch {
        return turn.sendText(CHAT[lang(turn)].topUpUsage);
      }
      // The API makes the confirmation card and keeps what it offered: a press is charged as offered.
      await act(turn, "top_up", { amountMicros }, randomUUID());
    }),
    "auto-recharge": guarded("moveMoney", async (turn, args) => {
      const on = /^on\s+(\d{1,9}(?:[.,]\d{1,2})?)\s+below\s+(\d{1,9}(?:[.,]\d{1,2})?)$/i.exec(args);
      if (on) return act(turn, "auto_recharge_on", { amountMicros: parseDecimalToMicros(on[1].replace(",", ".")), thresholdMicros: parseDecimalToMicros(on[2].replace(",", ".")) }, randomUUID());
      if (/^off$/i.test(args)) return act(turn, "auto_recharge_off", {}, randomUUID());
      await turn.sendText(CHAT[lang(turn)].autoRechargeUsage);
    }),
    notify: guarded("manageNotifications", async (turn, args) => {
      const what = args.toLowerCase();
      if (what !== "here" && what !== "stop") return turn.sendText(CHAT[lang(turn)].notifyUsage);
      if (turn.conversationType !== "channel" || !turn.installation) return turn.sendText(CHAT[lang(turn)].notifyOnlyChannels);
      await act(turn, what === "here" ? "notify_here" : "notify_stop", { conversationId: turn.conversationId, teamId: turn.installation.teamId ?? "", channelId: turn.installation.channelId ?? turn.conversationId, name: turn.installation.name ?? "" }, randomUUID());
    }),
    help: async (turn) => {
      const caller = await whoIs(turn).catch(() => null);
      await turn.sendText(helpText(lang(turn), caller?.can.read ?? false, turn.conversationType));
    },
  };

  return {
    async seen(turn) {
      if (turn.installation) await deps.saveInstallation(turn.installation);
    },

    async installed(turn) {
      if (!turn.installation) deps.logger.warn({ conversationId: turn.conversationId }, "install without a tenant id: conversation reference not saved");
      await turn.sendText(CHAT[lang(turn)].greeting);
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
      if (!turn.tenantId || !turn.userId) return CHAT[lang(turn)].noTenant;
      // Only the verbs cards offer reach the API from a card (a chat command's verbs are not buttons).
      if (!CARD_VERBS.includes(verb)) return CHAT[lang(turn)].unknownAction;
      const eventId = typeof data.eventId === "string" ? data.eventId : "";
      const idempotencyKey = typeof data.idempotencyKey === "string" && data.idempotencyKey ? data.idempotencyKey : `${eventId}:${verb}`;
      // The tenant is the verified activity's, never the card's: the API checks the event belongs to it.
      const answer = await deps.act({ tenantId: turn.tenantId, userId: turn.userId, verb, data, idempotencyKey, locale: lang(turn) });
      return answer.card ?? answer.message;
    },
  };
}
