import { Button, Caption1, LargeTitle, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoney } from "@cc/common";
import { useApi } from "../api/context";
import { useResource } from "../api/useResource";
import { AddFundsDialog } from "../components/AddFundsDialog";
import { AutoRechargeForm } from "../components/AutoRechargeForm";
import { ErrorBar } from "../components/ErrorBar";
import { LastRecharge } from "../components/LastRecharge";
import { Loading } from "../components/Loading";
import { PaymentMethodCard } from "../components/PaymentMethodCard";
import { Section } from "../components/Section";
import { StatusBadge } from "../components/StatusBadge";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(340px, 1fr))", gap: tokens.spacingHorizontalL },
  balanceRow: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export function OverviewPage() {
  const styles = useStyles();
  const api = useApi();
  const account = useResource(() => api.account(), [api]);

  if (!account.data) {
    return account.error ? <ErrorBar error={account.error} /> : <Loading />;
  }
  const current = account.data;
  const refresh = () => void account.reload();

  return (
    <div style={{ display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL }}>
      <ErrorBar error={account.error} />
      <div className={styles.grid}>
        <Section title="Balance" testId="balance-card">
          <div className={styles.balanceRow}>
            <LargeTitle data-testid="balance" data-balance-micros={current.balanceMicros}>
              {formatMoney(current.balanceMicros, current.currency)}
            </LargeTitle>
            <StatusBadge status={current.status} />
          </div>
          <Caption1>
            Currency <span data-testid="currency">{current.currency}</span>
          </Caption1>
          <LastRecharge attempt={current.lastRecharge} currency={current.currency} />
          <div className={styles.actions}>
            <AddFundsDialog currency={current.currency} onFunded={refresh} />
            <Button appearance="subtle" onClick={refresh} disabled={account.loading} data-testid="refresh-account">
              Refresh
            </Button>
          </div>
        </Section>
        <Section title="Auto-recharge" testId="auto-recharge-card">
          <AutoRechargeForm account={current} onSaved={account.set} />
        </Section>
        <Section title="Payment method" testId="payment-method-card">
          <PaymentMethodCard account={current} onChanged={(updated) => (updated ? account.set(updated) : refresh())} />
        </Section>
      </div>
    </div>
  );
}
