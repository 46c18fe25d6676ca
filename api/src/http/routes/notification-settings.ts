/**
 * Per-tenant notification settings (API.md v1.1): which directory roles get which kinds, and the
 * admin channels that get every event, answered as they act (every kind with its roles, the default
 * for a kind not set) with what each low-balance threshold means today. Any notified admin reads them; Global and Billing
 * Administrators and Teams administrators change them (audited, under the document's ETag).
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { NotificationSettingsView } from "../../notifications/settings-view.js";
import { refuse } from "../../shared/refusal.js";
import { canManageNotifications } from "../../notifications/settings.js";
import { actorOf, answer, type Authorizer } from "../router.js";
import { notificationSettingsBody } from "../validation.js";

/** The use cases these routes call. */
export interface NotificationSettingsRouteDeps {
  notificationSettings: Pick<NotificationSettingsView, "get" | "put">;
}

export function mountNotificationSettings(server: Server, s: NotificationSettingsRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/notification-settings",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      return { status: 200, body: await s.notificationSettings.get(caller.tenantId) };
    }),
  );

  server.put(
    "/api/v1/notification-settings",
    answer(log, async (req) => {
      const caller = await auth.caller(req);
      if (!canManageNotifications(caller.roles))
        throw refuse.forbidden("Only Global and Billing Administrators and Teams administrators can change where notifications go", "notifications");
      const settings = notificationSettingsBody.parse(req.body);
      return { status: 200, body: await s.notificationSettings.put(caller.tenantId, actorOf(caller), settings) };
    }),
  );
}
