/** The overview's read-only parts: the state banner with its fix, the forecast and what stops at zero. */
import { Button, Caption1, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import type { AccountNextAction, AccountView } from "@cc/common";
import { useMutation } from "@tanstack/react-query";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { toApiError, useForecast, useImpact } from "../../api/queries";
import { describeError } from "../../errors";
import { Section } from "../../components/Section";
import type { Health } from "../../health";
import { useI18n, type MessageKey } from "../../i18n";
import { useMe } from "../../me";
import { useMoney } from "../../money";

/**
 * Moves to the control that fixes the state (the card form, the auto-recharge switch) and focuses
 * it; a control still loading (its card is drawn lazily) is focused when it appears, for up to 5 s.
 */
function focusControl(testId: string) {
  const focus = () => {
    const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    const control = el?.matches("button, select, input") ? el : el?.querySelector<HTMLElement>("input, select, button");
    if (!el || !control) return false;
    el.scrollIntoView({ block: "center" });
    control.focus();
    return true;
  };
  if (focus()) return;
  const observer = new MutationObserver(() => focus() && observer.disconnect());
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), 5_000);
}

const FIX_WORDS: Record<AccountNextAction, MessageKey> = {
  add_card: "fixAddCard",
  replace_card: "fixReplaceCard",
  resume_auto_recharge: "resume",
  add_funds: "fixAddFunds",
  turn_on_auto_recharge: "fixTurnOnAutoRecharge",
};

/**
 * The one banner at the top: the account's state in words and the fix the API says it needs next
 * (AccountView.nextAction): add or replace a card (the card form), resume auto-recharge (done here),
 * add funds (the Add funds dialog), turn on auto-recharge (its switch).
 */
export function HealthBanner({
  account,
  health,
  onAddFunds,
  onAnswered,
}: {
  account: AccountView;
  health: Health;
  onAddFunds: () => void;
  onAnswered: (account: AccountView) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const { can } = useMe();
  const resume = useMutation<AccountView, ApiError>({ mutationFn: () => api.resumeAutoRecharge().catch((err: unknown) => Promise.reject(toApiError(err))), onSuccess: onAnswered });
  const next = account.nextAction;
  if (health.level === "ok" && !next) return null;
  // The state in words: what the next action is about, unless the health sentence already says it
  // (a refused card, a first card or funds to add); a used-up balance or a failed recharge is said too.
  const covered = next === "add_card" || next === "add_funds" || (next === "replace_card" && health.fix === "update_card");
  const extra = next && !covered ? t(`next.${next}`) : "";
  const urgent = health.level === "danger" || health.level === "warning";
  const reason = [urgent || !extra ? health.reason : "", extra].filter(Boolean).join(" ");
  const intent = urgent ? (health.level === "danger" ? "error" : "warning") : next === "replace_card" || next === "resume_auto_recharge" ? "warning" : "info";
  function fix() {
    if (next === "resume_auto_recharge") resume.mutate();
    else if (next === "add_funds") onAddFunds();
    else if (next === "turn_on_auto_recharge") focusControl("auto-recharge-enabled");
    else focusControl("test-card-select");
  }
  return (
    <MessageBar intent={intent} layout="multiline" data-testid="alert-banner" data-next-action={next ?? ""}>
      <MessageBarBody>
        {reason}
        {resume.error ? <span data-testid="alert-fix-error"> {describeError(resume.error, i18n).text}</span> : null}
      </MessageBarBody>
      {next && can.moveMoney ? (
        <MessageBarActions>
          <Button size="small" appearance="primary" disabled={resume.isPending} onClick={fix} data-testid="alert-fix">
            {next === "resume_auto_recharge" && resume.isPending ? t("resuming") : t(FIX_WORDS[next])}
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
      <Caption1 data-testid="forecast-runway">
        {forecast.runwayDays <= 0
          ? t("runwayNone", { daily: money(forecast.dailySpendMicros ?? 0, forecast.currency) })
          : forecast.runwayDays < 1
            ? t("runwayToday", { daily: money(forecast.dailySpendMicros ?? 0, forecast.currency) })
            : t("runway", { daily: money(forecast.dailySpendMicros ?? 0, forecast.currency), days: Math.floor(forecast.runwayDays) })}
      </Caption1>
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
      <Caption1>{t("impactBody", { intl: impact.international.calls, users: impact.international.users, conf: impact.conferenceDialOut.calls, days: impact.basisDays })}</Caption1>
    </Section>
  );
}
