import { hasPermission, type DemoTenant } from "@cc/common";
import type { Installations } from "../notifications/installations.js";

/**
 * Personal installations for the demo admins, in chats held by the local Bot Connector (created
 * once). The local connector plays Teams here, so these references are what it would have given:
 * its bot account, the user, a personal conversation of the tenant. A real client (Agents
 * Playground) replaces one with its own reference on its first activity, and that one is kept.
 * A seeded chat is moved to this start's connector when the one it points at is gone (a restart
 * listens on a new port), so the notifications waiting for it are delivered; a connector still
 * answering (another instance's, in tests) keeps its chats. `refused`: demo admins whose
 * installation the local tenant's policy refuses (they get no chat, so the e-mail path).
 */
export async function seedLocalInstallations(
  installations: Installations,
  tenants: readonly DemoTenant[],
  connector: { url: string; bot: { id: string; name: string } },
  refused: readonly string[] = [],
): Promise<void> {
  const alive = new Map<string, Promise<boolean>>();
  const answers = (url: string) => {
    if (!alive.has(url))
      alive.set(
        url,
        fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
          () => true,
          () => false,
        ),
      );
    return alive.get(url)!;
  };
  for (const tenant of tenants) {
    for (const user of tenant.users.filter((u) => hasPermission(u.roles, "read") && !refused.includes(u.id))) {
      const conversationId = `a:local-${user.id}`;
      const existing = await installations.personal(tenant.tenantId, user.id);
      if (existing && (existing.conversationId !== conversationId || existing.serviceUrl === connector.url || (await answers(existing.serviceUrl)))) continue;
      const locale = user.usageLocation === "FR" ? "fr-FR" : "en-US";
      await installations.save({
        tenantId: tenant.tenantId,
        scope: "personal",
        userId: user.id,
        conversationId,
        serviceUrl: connector.url,
        locale,
        reference: {
          channelId: "msteams",
          serviceUrl: connector.url,
          conversation: { id: conversationId, conversationType: "personal", tenantId: tenant.tenantId },
          bot: connector.bot,
          user: { id: `29:${user.id}`, name: user.displayName, aadObjectId: user.id },
          locale,
        },
      });
    }
  }
}
