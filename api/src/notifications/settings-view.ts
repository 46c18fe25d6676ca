/**
 * The notification settings as the tab reads and saves them (GET/PUT /api/v1/notification-settings):
 * the settings as they act, with what each low-balance threshold means today in the account's
 * currency (a percentage of the recharge amount as an amount), so no client computes money.
 */
import type { NotificationSettings, NotificationSettingsAnswer } from "@cc/common";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { Actor } from "../audit/audit-log.js";
import { thresholdAmountsToday } from "./alert-rules.js";
import { effectiveSettings, type NotificationSettingsStore } from "./settings.js";

export class NotificationSettingsView {
  constructor(
    private readonly settings: Pick<NotificationSettingsStore, "get" | "put">,
    /** The account's currency and auto-recharge, read as stored: reading settings posts nothing (the account's view would post due expiries). */
    private readonly ledger: Pick<LedgerWriter, "readAccount">,
  ) {}

  async get(tenantId: string): Promise<NotificationSettingsAnswer> {
    return this.answer(tenantId, await this.settings.get(tenantId));
  }

  async put(tenantId: string, actor: Actor, settings: NotificationSettings): Promise<NotificationSettingsAnswer> {
    return this.answer(tenantId, await this.settings.put(tenantId, actor, settings));
  }

  private async answer(tenantId: string, settings: NotificationSettings): Promise<NotificationSettingsAnswer> {
    const acting = effectiveSettings(settings);
    const account = await this.ledger.readAccount(tenantId);
    return {
      ...acting,
      lowBalanceToday: {
        currency: account.currency,
        autoRechargeOn: account.autoRecharge.enabled,
        amountsMicros: thresholdAmountsToday(acting.lowBalanceThresholds ?? [], account.autoRecharge.amountMicros),
      },
    };
  }
}
