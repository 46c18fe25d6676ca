/**
 * Runway (GET /api/v1/account/forecast), recommended settings (GET /api/v1/account/recommendation)
 * and the card-expiry warning job, from the daily rollups (31 point reads, never a scan of usage).
 */
import type { Container } from "@azure/cosmos";
import type { ForecastView, RecommendationView } from "@cc/common";
import type { LedgerWriter } from "../ledger/ledger-writer.js";
import type { UsageRollups } from "../usage/rollups.js";
import type { PaymentMethods } from "../funding/payment-methods.js";
import type { Outbox } from "../notifications/outbox.js";
import type { Clock } from "../shared/clock.js";
import { queryAll, type Store } from "../store/cosmos.js";
import { cardName } from "../funding/card-words.js";
import { BASIS_DAYS, cardExpiresAt, cardExpiresSoon, forecast, recommend, type DailySpend } from "./forecast-rules.js";
import { completeLocalDaysBefore, daySlices, localDayOf, utcDaysTouching, within } from "../usage/local-day-rules.js";
import { knownTimeZone } from "../usage/period-rules.js";

/** The card-expiry job runs at most this often (the other jobs run every JOBS_INTERVAL_MS). */
const CARD_CHECK_EVERY_MS = 3_600_000;
/** Cards further from their expiry than this are not looked at more closely. */
const CARD_HORIZON_MS = 180 * 86_400_000;

export class Forecasts {
  private readonly accountsContainer: Container;
  private lastCardCheck = Number.NEGATIVE_INFINITY;

  constructor(
    store: Store,
    private readonly ledger: LedgerWriter,
    private readonly rollups: UsageRollups,
    private readonly paymentMethods: PaymentMethods,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly maxChargeMicros: number,
  ) {
    this.accountsContainer = store.containers.accounts;
  }

  /**
   * Credits spend per calendar day of the basis window in the tenant's zone, from the day rollups:
   * the 31 UTC days those 30 local days touch (31 point reads), counted quarter hour by quarter hour.
   */
  async dailySpend(tenantId: string, now: Date, timeZone = "UTC"): Promise<DailySpend> {
    const window = completeLocalDaysBefore(now, timeZone, BASIS_DAYS);
    const utcDays = utcDaysTouching(window.from, window.to);
    const docs = await Promise.all(utcDays.map((d) => this.rollups.read(tenantId, d)));
    const spend = new Map<string, number>();
    for (const doc of docs) {
      if (!doc) continue;
      for (const slice of daySlices(doc)) {
        if (!within(slice, window.from, window.to)) continue;
        const day = localDayOf(slice.at, timeZone);
        // A whole day from before the quarters counts its charge when nothing says who paid, as it always did.
        const credits = slice.value.byChargedTo.credits?.chargeMicros ?? (doc.quarters ? 0 : doc.chargeMicros);
        spend.set(day, (spend.get(day) ?? 0) + credits);
      }
    }
    return spend;
  }

  async forecast(tenantId: string): Promise<ForecastView> {
    const now = this.clock.now();
    const account = await this.ledger.current(tenantId);
    const timeZone = knownTimeZone(account.timeZone);
    const spend = await this.dailySpend(tenantId, now, timeZone);
    const { autoRecharge } = account;
    return forecast({
      currency: account.currency,
      balanceMicros: account.head.balanceMicros,
      autoRechargeActive: autoRecharge.enabled && !account.rechargePaused,
      thresholdMicros: autoRecharge.thresholdMicros,
      amountMicros: autoRecharge.amountMicros,
      spend,
      now,
      timeZone,
    });
  }

  /** `locale`: the caller's Accept-Language, for the recommendation's words. */
  async recommendation(tenantId: string, locale?: string): Promise<RecommendationView> {
    const now = this.clock.now();
    const account = await this.ledger.current(tenantId);
    const timeZone = knownTimeZone(account.timeZone);
    return recommend({ currency: account.currency, spend: await this.dailySpend(tenantId, now, timeZone), now, maxChargeMicros: this.maxChargeMicros, locale, timeZone });
  }

  /**
   * Job: tell the admins once per card and month when the default card stops working within 30
   * days or before the next expected recharge. The event id is the card and the month, so every
   * run and every instance after the first changes nothing. Answers how many accounts were told.
   */
  async warnExpiringCards(): Promise<number> {
    const now = this.clock.now();
    if (Math.abs(now.getTime() - this.lastCardCheck) < CARD_CHECK_EVERY_MS) return 0;
    this.lastCardCheck = now.getTime();
    const month = now.toISOString().slice(0, 7);
    const accounts = await queryAll<{ tenantId: string; paymentMethodId: string }>(
      this.accountsContainer,
      undefined,
      "SELECT c.tenantId, c.paymentMethodId FROM c WHERE IS_STRING(c.paymentMethodId)",
    );
    let told = 0;
    for (const { tenantId, paymentMethodId } of accounts) {
      const card = await this.paymentMethods.get(tenantId, paymentMethodId);
      if (!card || cardExpiresAt(card).getTime() - now.getTime() > CARD_HORIZON_MS) continue;
      // The forecast only matters when the card is not already within 30 days.
      const soon = cardExpiresSoon(card, now, null) || cardExpiresSoon(card, now, (await this.forecast(tenantId)).nextRechargeAt);
      if (!soon) continue;
      const expired = cardExpiresAt(card) <= now;
      const name = cardName(card);
      await this.outbox.emit(tenantId, "card_expiring", `${card.id}:${month}`, {
        paymentMethod: name,
        expMonth: card.expMonth,
        expYear: card.expYear,
        expired,
      });
      told++;
    }
    return told;
  }
}
