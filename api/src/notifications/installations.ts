/**
 * Where the bot can reach people: the conversation references Teams gives on install, one
 * document per conversation in the `conversations` container (the newest serviceUrl wins).
 */
import type { Container } from "@azure/cosmos";
import type { Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";

export interface InstallationDoc {
  id: string;
  tenantId: string;
  reference: unknown;
  savedAt: string;
}

export class Installations {
  private readonly conversations: Container;

  constructor(store: Store, private readonly clock: Clock) {
    this.conversations = store.containers.conversations;
  }

  /** Save (or refresh) the reference of a conversation the bot is in. */
  async save(tenantId: string, key: string, reference: unknown): Promise<void> {
    const doc: InstallationDoc = { id: key, tenantId, reference, savedAt: this.clock.now().toISOString() };
    await this.conversations.items.upsert(doc);
  }
}
