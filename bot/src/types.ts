/** The bot's contract with its host (the API server wires it up; see index.ts). */
import type { AccountView } from "@cc/common";

export interface BotConfig {
  appId: string;
  appPassword: string;
  appTenantId?: string;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
}

export interface BotLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

export interface BotDeps {
  /**
   * The account as the API computes it, for a user of the tenant; the bot holds no money logic and
   * no role rules: the host answers `null` when that user may not see the account.
   */
  getAccountSummary(tenantId: string, userId: string): Promise<AccountView | null>;
  /** Upsert: called again on every (re)install, keyed by conversation id. */
  saveConversationReference(tenantId: string, key: string, reference: unknown): Promise<void>;
  logger: BotLogger;
}
