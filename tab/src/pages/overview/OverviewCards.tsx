/** The overview's read-only parts: the state banner with its fix, the forecast and what stops at zero. */
import { Button, Caption1, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { useForecast, useImpact } from "../../api/queries";
import { Section } from "../../components/Section";
import type { Health } from "../../health";
import { useI18n } from "../../i18n";
import { useMe } from "../../me";
import { useMoney } from "../../money";

/** Moves to the control that fixes the state: the Add funds button, or the card section. */
function focusFix(health: Health) {
  const target = health.fix === "add_funds" ? '[data-testid="add-funds-button"]' : '[data-testid="payment-method-card"]';
  const el = document.querySelector<HTMLElement>(target);
  el?.scrollIntoView({ block: "center" });
  (el?.matches("button") ? el : el?.querySelector<HTMLElement>("button, select"))?.focus();
}

export function HealthBanner({ health }: { health: Health }) {
  const { t } = useI18n();
  const { can } = useMe();
  if (health.level === "ok") return null;
  return (
    <MessageBar intent={health.level === "danger" ? "error" : health.level} layout="multiline" data-testid="alert-banner">
      <MessageBarBody>{health.reason}</MessageBarBody>
      {health.fix && can.moveMoney ? (
        <MessageBarActions>
          <Button size="small" onClick={() => focusFix(health)} data-testid="alert-fix">
            {t(health.fix === "add_funds" ? "fixAddFunds" : health.fix === "add_card" ? "fixAddCard" : "fixUpdateCard")}
          </Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

export function ForecastCard() {
  const { t, formatDate } = useI18n();
  const { money } = useMoney();
  const forecast = useForecast().data;
  if (!forecast || forecast.runwayDays === null) return null;
  return (
    <Section title={t("forecast")} testId="forecast-card">
      <Caption1>{t("runway", { daily: money(forecast.dailySpendMicros ?? 0, forecast.currency), days: Math.floor(forecast.runwayDays) })}</Caption1>
      {forecast.nextRechargeAt ? <Caption1>{t("nextRecharge", { when: formatDate(forecast.nextRechargeAt) })}</Caption1> : null}
    </Section>
  );
}

export function ImpactCard() {
  const { t } = useI18n();
  const impact = useImpact().data;
  if (!impact) return null;
  return (
    <Section title={t("impact")} testId="impact-card">
      <Caption1>
        {t("impactBody", { intl: impact.international.calls, users: impact.international.users, conf: impact.conferenceDialOut.calls, days: impact.basisDays })}
      </Caption1>
    </Section>
  );
}
