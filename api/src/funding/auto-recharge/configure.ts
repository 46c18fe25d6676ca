/**
 * Auto-recharge, configure (PUT /api/v1/account/auto-recharge): new settings, checked by
 * ../recharge-rules.ts, audited, then whatever recharge the account needs now is started.
 */
import type { AutoRechargeSettings } from "@cc/common";
import type { AccountDoc } from "../../accounts/account.js";
import { checkAutoRecharge } from "../recharge-rules.js";
import type { LedgerWriter, Stored } from "../../ledger/ledger-writer.js";
import type { AuditLog, Actor } from "../../audit/audit-log.js";
import type { RechargeRunner } from "./run-attempt.js";

export type ConfigureAutoRecharge = (tenantId: string, actor: Actor, input: AutoRechargeSettings) => Promise<Stored<AccountDoc>>;

/**
 * A limit left out keeps its current value (a client that does not know the breaker cannot reset
 * it); `maxAmountPerDayMicros: null` means the default.
 */
export function configureAutoRecharge(deps: { ledger: LedgerWriter; audit: AuditLog; runner: Pick<RechargeRunner, "kick">; maxChargeMicros: number }): ConfigureAutoRecharge {
  return async (tenantId, actor, input) => {
    let before: AutoRechargeSettings | undefined;
    let after: AutoRechargeSettings | undefined;
    const account = await deps.ledger.updateAccount(tenantId, (current) => {
      before = current.autoRecharge;
      const settings: AutoRechargeSettings = {
        enabled: input.enabled,
        amountMicros: input.amountMicros,
        thresholdMicros: input.thresholdMicros,
        maxRechargesPerDay: input.maxRechargesPerDay ?? before.maxRechargesPerDay,
        maxAmountPerDayMicros: input.maxAmountPerDayMicros === undefined ? before.maxAmountPerDayMicros : input.maxAmountPerDayMicros,
      };
      checkAutoRecharge(settings, current, deps.maxChargeMicros);
      after = settings;
      const unchanged = JSON.stringify(before) === JSON.stringify(settings);
      // New settings also lift a breaker pause: the next decision checks the new limits.
      return unchanged ? undefined : { ...current, autoRecharge: settings, settingsRev: current.settingsRev + 1, rechargePaused: null };
    });
    await deps.audit.record(tenantId, actor, "auto_recharge.configured", before, after);
    deps.runner.kick(tenantId);
    return account;
  };
}
