/** The auto-recharge form's banners: paused (with Resume) and the recommended settings. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { RecommendationView } from "@cc/common";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import type { AutoRechargeAsShown } from "./auto-recharge-fields";

export type Recommended = RecommendationView & { amountMicros: number; thresholdMicros: number };

/** A recommendation with no figures yet (too little usage) only explains why; nothing to apply. */
export function recommended(recommendation: RecommendationView | undefined): Recommended | undefined {
  return recommendation && recommendation.amountMicros !== null && recommendation.thresholdMicros !== null
    ? { ...recommendation, amountMicros: recommendation.amountMicros, thresholdMicros: recommendation.thresholdMicros }
    : undefined;
}

/** Auto-recharge paused by its breaker: when and why, and Resume for those who may move money. */
export function PausedBanner(props: { autoRecharge: AutoRechargeAsShown; currency: string; readOnly: boolean; resuming: boolean; onResume: () => void }) {
  const { autoRecharge, currency, readOnly, resuming, onResume } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const paused = autoRecharge.paused;
  if (!paused) return null;
  const pausedReason =
    paused.reason === "max_recharges_per_day"
      ? i18n.say("events.pauseReason.max_recharges_per_day", { count: autoRecharge.maxRechargesPerDay ?? 0 })
      : paused.reason === "max_amount_per_day"
        ? i18n.say("events.pauseReason.max_amount_per_day", { amount: money(autoRecharge.maxAmountPerDayMicros ?? autoRecharge.amountMicros * 10, currency) })
        : t("pausedOther");
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="auto-recharge-paused">
      <MessageBarBody>
        <MessageBarTitle>{t("pausedTitle")}</MessageBarTitle>
        {t("pausedBody", { when: i18n.formatDateTime(paused.at), reason: pausedReason })}
      </MessageBarBody>
      {!readOnly ? (
        <MessageBarActions>
          <Button size="small" onClick={onResume} disabled={resuming} data-testid="auto-recharge-resume">
            {resuming ? t("resuming") : t("resume")}
          </Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

/** The recommended settings with their reasons, said in the tab's words from the figures the API computed. */
export function RecommendationBanner({ rec, onApply }: { rec: Recommended; onApply: () => void }) {
  const { t } = useI18n();
  const { money } = useMoney();
  return (
    <MessageBar intent="info" layout="multiline" data-testid="recommendation">
      <MessageBarBody>
        {t("recommended", { amount: money(rec.amountMicros, rec.currency), threshold: money(rec.thresholdMicros, rec.currency) })}{" "}
        {t("recommendedWhy", {
          days: rec.basis.days,
          busy: money(rec.basis.p95DailySpendMicros ?? 0, rec.currency),
          average: money(rec.basis.avgDailySpendMicros ?? 0, rec.currency),
          threshold: money(rec.thresholdMicros, rec.currency),
          fixDays: rec.rule.fixDays,
          amount: money(rec.amountMicros, rec.currency),
          amountDays: rec.rule.amountDays,
          min: money(rec.rule.minPurchaseMicros, rec.currency),
        })}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onApply} data-testid="apply-recommendation">
          {t("applyRecommendation")}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
