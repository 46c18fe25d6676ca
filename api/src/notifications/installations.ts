/**
 * Where the bot can reach people: the conversation references Teams gives on install and with every
 * activity, one document per installation in the `conversations` container. A personal
 * installation is keyed by the user's Entra object id (`user:<id>`), so the notifier finds it from
 * the directory; a team channel or group chat by its conversation id (`conv:<id>`). The newest
 * serviceUrl wins: Teams may move a conversation to another regional endpoint.
 */
import type { Container } from "@azure/cosmos";
import type { InstallationInfo } from "@cc/bot";
import { errorCode, queryAll, readDoc, type Store } from "../store/cosmos.js";
import { storeId } from "../shared/store-ids.js";
import type { Clock } from "../shared/clock.js";

export interface InstallationDoc extends InstallationInfo {
  id: string;
  tenantId: string;
  type: "installation";
  savedAt: string;
}

export function installationKey(info: Pick<InstallationInfo, "scope" | "userId" | "conversationId">): string {
  // Conversation ids are Teams' (or, locally, anyone's on this machine): any character must work.
  return storeId(info.scope === "personal" && info.userId ? `user:${info.userId}` : `conv:${info.conversationId}`);
}

export class Installations {
  private readonly conversations: Container;
  /** What this instance last wrote per key: an activity with the same serviceUrl and locale writes nothing. */
  private readonly lastSaved = new Map<string, string>();

  constructor(store: Store, private readonly clock: Clock) {
    this.conversations = store.containers.conversations;
  }

  /** Save (or refresh) an installation; cheap when nothing changed since this instance last saved it. */
  async save(info: InstallationInfo): Promise<InstallationDoc> {
    const id = installationKey(info);
    const doc: InstallationDoc = { ...info, id, type: "installation", savedAt: this.clock.now().toISOString() };
    const fingerprint = `${info.serviceUrl}|${info.locale ?? ""}|${info.conversationId}|${info.name ?? ""}`;
    const cacheKey = `${info.tenantId}|${id}`;
    if (this.lastSaved.get(cacheKey) === fingerprint) return doc;
    await this.conversations.items.upsert(doc);
    this.lastSaved.set(cacheKey, fingerprint);
    return doc;
  }

  async personal(tenantId: string, userId: string): Promise<InstallationDoc | undefined> {
    return readDoc<InstallationDoc>(this.conversations, tenantId, `user:${userId}`);
  }

  async byConversation(tenantId: string, conversationId: string): Promise<InstallationDoc | undefined> {
    return readDoc<InstallationDoc>(this.conversations, tenantId, `conv:${conversationId}`);
  }

  /** Team channels of the tenant where the app is installed (the choices for admin channels). */
  async channels(tenantId: string): Promise<InstallationDoc[]> {
    return queryAll<InstallationDoc>(this.conversations, tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' AND c.scope = 'channel'");
  }

  /** Any serviceUrl Teams gave for this tenant (to create a 1:1 conversation with someone new). */
  async anyServiceUrl(tenantId: string): Promise<string | undefined> {
    const [doc] = await queryAll<{ serviceUrl: string }>(this.conversations, tenantId, "SELECT TOP 1 c.serviceUrl FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' ORDER BY c.savedAt DESC");
    return doc?.serviceUrl;
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    this.lastSaved.delete(`${tenantId}|${id}`);
    try {
      await this.conversations.item(id, tenantId).delete();
      return true;
    } catch (error) {
      if (errorCode(error) === 404) return false;
      throw error;
    }
  }

  /** The app was uninstalled from a team or the team was deleted: every channel of it goes. */
  async removeTeam(tenantId: string, teamId: string): Promise<number> {
    const docs = await queryAll<{ id: string }>(this.conversations, tenantId, "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' AND c.teamId = @teamId", { "@teamId": teamId });
    for (const doc of docs) await this.remove(tenantId, doc.id);
    return docs.length;
  }

  /** Remove what an uninstall activity describes. */
  async removeFor(info: InstallationInfo): Promise<number> {
    if (info.scope === "channel" && info.teamId) return this.removeTeam(info.tenantId, info.teamId);
    return (await this.remove(info.tenantId, installationKey(info))) ? 1 : 0;
  }
}
