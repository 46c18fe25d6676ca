/** The bot's view of the API (wiring.ts hands it to the bot): the account and usage for an admin who may read them, who the caller is, where to reach people, the card buttons. */
import type { Logger } from "pino";
import { hasPermission } from "@cc/common";
import type { BotDeps } from "@cc/bot";
import { canManageNotifications } from "./notifications/settings.js";
import type { Services } from "./services.js";

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
      return {
        userId: user.id,
        upn: user.upn,
        displayName: user.displayName,
        can: { read: hasPermission(user.roles, "read"), moveMoney: hasPermission(user.roles, "billing"), manageNotifications: canManageNotifications(user.roles) },
      };
    },
    usage: async (tenantId, userId, period) => {
      const user = (await services.directory.users(tenantId)).find((u) => u.id === userId);
      if (!user || !hasPermission(user.roles, "read")) return null;
      // The same named period (usage/period-rules.ts) the tab asks for: the same instants, the same totals.
      const named = { period: period === "month" ? "this_month" : period };
      const [byDestination, byCallType] = await Promise.all([services.usage.summary(tenantId, named, "destination"), services.usage.summary(tenantId, named, "callType")]);
      // The card shows the period's calendar days in the tenant's zone (first and last, both included).
      const range = { from: byDestination.period?.firstDay ?? byDestination.from, to: byDestination.period?.lastDay ?? byDestination.to };
      const line = (g: { label: string; key: string; calls: number; minutes: number; chargeMicros: number }) => ({
        key: g.key,
        label: g.label || g.key,
        calls: g.calls,
        minutes: g.minutes,
        chargeMicros: g.chargeMicros,
      });
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
