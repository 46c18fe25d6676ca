import { Badge, Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import type { LedgerEntryKind, LedgerEntryView } from "@cc/common";
import { useCallback } from "react";
import { useApi } from "../api/context";
import { usePagedList } from "../api/usePagedList";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { Section } from "../components/Section";
import { formatAmount, formatDateTime } from "../format";

const PAGE_SIZE = 50;

const kindLabel: Record<LedgerEntryKind, string> = {
  funding: "Funds added",
  auto_recharge: "Auto-recharge",
  usage: "Usage",
  adjustment: "Adjustment",
  expiry: "Expiry",
};

export function LedgerPage() {
  const api = useApi();
  const fetchPage = useCallback((cursor: string | null) => api.ledger(PAGE_SIZE, cursor), [api]);
  const { items: entries, next, loading, error, load } = usePagedList(fetchPage);

  return (
    <Section
      title="Ledger"
      testId="ledger"
      action={
        <Button appearance="subtle" onClick={() => void load(null)} disabled={loading} data-testid="refresh-ledger">
          Refresh
        </Button>
      }
    >
      <ErrorBar error={error} />
      {entries.length === 0 && !loading && !error ? <EmptyState title="No ledger entries yet">Add funds to start.</EmptyState> : null}
      {entries.length > 0 ? (
        <Table size="small" aria-label="Ledger entries" data-testid="ledger-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>#</TableHeaderCell>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Amount</TableHeaderCell>
              <TableHeaderCell>Balance after</TableHeaderCell>
              <TableHeaderCell>Reference</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.id} data-testid="ledger-row" data-kind={entry.kind} data-amount-micros={entry.amountMicros}>
                <TableCell>{entry.seq}</TableCell>
                <TableCell>{formatDateTime(entry.at)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={entry.amountMicros < 0 ? "warning" : "success"}>
                    {kindLabel[entry.kind] ?? entry.kind}
                  </Badge>
                </TableCell>
                <TableCell>{formatAmount(entry.amountMicros, entry.currency)}</TableCell>
                <TableCell>{formatAmount(entry.balanceAfterMicros, entry.currency)}</TableCell>
                <TableCell style={{ wordBreak: "break-all" }}>{entry.ref}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <LoadMore loading={loading} next={next} onLoad={(cursor) => void load(cursor)} testId="load-more" />
    </Section>
  );
}
