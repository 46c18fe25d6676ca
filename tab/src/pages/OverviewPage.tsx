import { Button, Caption1, LargeTitle, makeStyles, tokens } from "@fluentui/react-components";
import type { AccountView } from "@cc/common";
import type { ApiError } from "../api/client";
import { useAccount, useAccountAnswered, useForecast, useImpact, useRefreshAccount } from "../api/queries";
import { Suspense, lazy, useState } from "react";
import { ErrorBar } from "../components/ErrorBar";
import { LastRecharge } from "../components/LastRecharge";
import { Section } from "../components/Section";
import { ListSkeleton, OverviewSkeleton } from "../components/Skeletons";
import { StatusBadge } from "../components/StatusBadge";
import { UnreachedWarning } from "../components/UnreachedWarning";
import { usePainted } from "../components/usePainted";
import { accountHealth } from "../health";
import { useI18n } from "../i18n";
import { useMoney } from "../money";
import { ForecastCard, HealthBanner, ImpactCard } from "./overview/OverviewCards";

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
  const account = useAccount();
  // Asked for at the same time as the account, not once it has answered (the cards below read the same cache).
  useForecast();
  useImpact();
  if (!account.data) return account.error ? <ErrorBar error={account.error} onRetry={() => void account.refetch()} /> : <OverviewSkeleton />;
  return <Overview account={account.data} refreshing={account.isFetching} error={account.error} />;
}

function Overview({ account: current, refreshing, error }: { account: AccountView; refreshing: boolean; error: ApiError | null }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { money } = useMoney();
  const answered = useAccountAnswered();
  const refresh = useRefreshAccount();
  const painted = usePainted();
  const health = accountHealth(current, i18n);
  // The banner's "Add funds" opens the dialog: each request is a new number the dialog answers once.
  const [addFundsRequest, setAddFundsRequest] = useState(0);

  // Its place while the dialog's chunk loads: the same button, not yet usable.
  const addFundsLoading = (
    <Button appearance="primary" disabled data-testid="add-funds-loading">
      {t("addFunds")}
    </Button>
  );

  return (
    <div className={styles.page}>
      <ErrorBar error={error} onRetry={refresh} />
      <UnreachedWarning events={current.unreachedEvents} />
      <HealthBanner account={current} health={health} onAddFunds={() => setAddFundsRequest((n) => n + 1)} onAnswered={answered} />
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
              {painted ? (
                <AddFundsDialog currency={current.currency} card={current.paymentMethod} nextAction={current.nextAction} openRequest={addFundsRequest} onFunded={refresh} />
              ) : (
                addFundsLoading
              )}
            </Suspense>
            <Button appearance="subtle" onClick={refresh} disabled={refreshing} data-testid="refresh-account">
              {t("refresh")}
            </Button>
          </div>
        </Section>
        <ForecastCard />
        <ImpactCard />
        <Section title={t("autoRecharge")} testId="auto-recharge-card">
          <Suspense fallback={<ListSkeleton rows={4} />}>{painted ? <AutoRechargeForm account={current} onSaved={answered} /> : <ListSkeleton rows={4} />}</Suspense>
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
