import { Button, Caption1, LargeTitle, MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { useAccount, useAccountAnswered, useForecast, useImpact, useRefreshAccount } from "../api/queries";
import { Suspense, lazy } from "react";
import { ErrorBar } from "../components/ErrorBar";
import { LastRecharge } from "../components/LastRecharge";
import { Section } from "../components/Section";
import { ListSkeleton, OverviewSkeleton } from "../components/Skeletons";
import { StatusBadge } from "../components/StatusBadge";
import { usePainted } from "../components/usePainted";
import { accountHealth } from "../health";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { useMoney } from "../money";

// The balance paints first; the forms below it (dialogs, inputs, switches, confirmations) come in
// chunks of their own, asked for once it has painted, so neither the first bundle nor the first
// render carries them.
const AddFundsDialog = lazy(() => import("../components/AddFundsDialog").then((m) => ({ default: m.AddFundsDialog })));
const AutoRechargeForm = lazy(() => import("../components/AutoRechargeForm").then((m) => ({ default: m.AutoRechargeForm })));
const PaymentMethodCard = lazy(() => import("../components/PaymentMethodCard").then((m) => ({ default: m.PaymentMethodCard })));

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 320px), 1fr))", gap: tokens.spacingHorizontalL },
  balanceRow: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  balance: { overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export function OverviewPage() {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const me = useMe();
  const account = useAccount();
  const forecast = useForecast();
  const impact = useImpact();
  const answered = useAccountAnswered();
  const refresh = useRefreshAccount();
  const painted = usePainted();

  if (!account.data) {
    return account.error ? (
      <ErrorBar error={account.error} onRetry={() => void account.refetch()} />
    ) : (
      <OverviewSkeleton />
    );
  }
  const current = account.data;
  const health = accountHealth(current, i18n);
  const focusFix = () => {
    const target = health.fix === "add_funds" ? '[data-testid="add-funds-button"]' : '[data-testid="payment-method-card"]';
    const el = document.querySelector<HTMLElement>(target);
    el?.scrollIntoView({ block: "center" });
    (el?.matches("button") ? el : el?.querySelector<HTMLElement>("button, select"))?.focus();
  };

  // Its place while the dialog's chunk loads: the same button, not yet usable.
  const addFundsLoading = (
    <Button appearance="primary" disabled data-testid="add-funds-loading">
      {t("addFunds")}
    </Button>
  );

  return (
    <div className={styles.page}>
      <ErrorBar error={account.error} onRetry={refresh} />
      {health.level !== "ok" ? (
        <MessageBar intent={health.level === "danger" ? "error" : health.level} layout="multiline" data-testid="alert-banner">
          <MessageBarBody>{health.reason}</MessageBarBody>
          {health.fix && me.can.moveMoney ? (
            <MessageBarActions>
              <Button size="small" onClick={focusFix} data-testid="alert-fix">
                {t(health.fix === "add_funds" ? "fixAddFunds" : health.fix === "add_card" ? "fixAddCard" : "fixUpdateCard")}
              </Button>
            </MessageBarActions>
          ) : null}
        </MessageBar>
      ) : null}
      <div className={styles.grid}>
        <Section title={t("balance")} testId="balance-card">
          <div className={styles.balanceRow}>
            <LargeTitle className={styles.balance} data-testid="balance" data-balance-micros={current.balanceMicros}>
              {money(current.balanceMicros, current.currency)}
            </LargeTitle>
            <StatusBadge status={current.status} health={health} />
          </div>
          <Caption1 data-testid="status-reason">{health.reason}</Caption1>
          <Caption1>
            {t("currency")} <span data-testid="currency">{current.currency}</span>
          </Caption1>
          <LastRecharge attempt={current.lastRecharge} currency={current.currency} status={current.status} />
          <div className={styles.actions}>
            <Suspense fallback={addFundsLoading}>
              {painted ? <AddFundsDialog currency={current.currency} card={current.paymentMethod} onFunded={refresh} /> : addFundsLoading}
            </Suspense>
            <Button appearance="subtle" onClick={refresh} disabled={account.isFetching} data-testid="refresh-account">
              {t("refresh")}
            </Button>
          </div>
        </Section>
        {forecast.data && forecast.data.runwayDays !== null ? (
          <Section title={t("forecast")} testId="forecast-card">
            <Caption1>
              {t("runway", { daily: money(forecast.data.dailySpendMicros ?? 0, forecast.data.currency), days: Math.floor(forecast.data.runwayDays) })}
            </Caption1>
            {forecast.data.nextRechargeAt ? <Caption1>{t("nextRecharge", { when: i18n.formatDate(forecast.data.nextRechargeAt) })}</Caption1> : null}
          </Section>
        ) : null}
        {impact.data ? (
          <Section title={t("impact")} testId="impact-card">
            <Caption1>
              {t("impactBody", {
                intl: impact.data.international.calls,
                users: impact.data.international.users,
                conf: impact.data.conferenceDialOut.calls,
                days: impact.data.basisDays,
              })}
            </Caption1>
          </Section>
        ) : null}
        <Section title={t("autoRecharge")} testId="auto-recharge-card">
          <Suspense fallback={<ListSkeleton rows={4} />}>
            {painted ? <AutoRechargeForm account={current} onSaved={answered} /> : <ListSkeleton rows={4} />}
          </Suspense>
        </Section>
        <Section title={t("paymentMethods")} testId="payment-method-card">
          <Suspense fallback={<ListSkeleton rows={2} />}>
            {painted ? <PaymentMethodCard account={current} onChanged={(updated) => (updated ? answered(updated) : refresh())} /> : <ListSkeleton rows={2} />}
          </Suspense>
        </Section>
      </div>
    </div>
  );
}
