/**
 * Every query the API sends to Cosmos DB, with its container, as written in its file (template
 * parts `${…}` as in the source). test/unit/indexing.test.ts finds every SQL string under api/src
 * (local/ excepted: the embedded store's own code) and fails if one is missing here, and checks
 * that each query's WHERE and ORDER BY paths are in its container's indexing policy
 * (containers.ts). A new query goes here with its container; a new path into the policy (and
 * infra/modules/cosmos.bicep).
 */
import type { ContainerName } from "./containers.js";

export interface KnownQuery {
  container: ContainerName;
  /** Under api/src. */
  file: string;
  sql: string;
}

export const QUERIES: readonly KnownQuery[] = [
  { container: "accounts", file: "reconciliation/check-ledger.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.id = 'account'" },
  { container: "ledger", file: "reconciliation/check-ledger.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId" },
  { container: "usage", file: "reconciliation/check-ledger.ts", sql: "SELECT c.id, c.chargeMicros, c.batchRef, c.ratedAt FROM c WHERE c.tenantId = @tenantId" },
  {
    container: "outbox",
    file: "reconciliation/check-ledger.ts",
    sql: "SELECT c.id, c.kind, c.at, c.deliveredAt, c.recipients, c.channels FROM c WHERE c.tenantId = @tenantId AND IS_DEFINED(c.kind)",
  },
  { container: "accounts", file: "reconciliation/check-ledger.ts", sql: "SELECT c.tenantId FROM c WHERE c.id = 'account'" },
  { container: "accounts", file: "usage/graph-poller.ts", sql: "SELECT c.tenantId FROM c WHERE c.id = 'account'" },
  { container: "rollups", file: "usage/batches.ts", sql: "SELECT c.tenantId, c.ref FROM c WHERE c.type = 'batch' AND c.state = 'open' AND c.openedAt < @cutoff" },
  { container: "rollups", file: "usage/batches.ts", sql: "SELECT c.ref FROM c WHERE c.tenantId = @tenantId AND c.type = 'batch' AND c.state = 'open' AND c.openedAt < @cutoff" },
  { container: "usage", file: "usage/ingest.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.batchRef = @ref" },
  {
    container: "usage",
    file: "usage/report.ts",
    sql: "SELECT TOP ${limit + 1 - docs.length} * FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.sortKey >= @from AND c.sortKey < @before ORDER BY c.sortKey DESC",
  },
  {
    container: "usage",
    file: "usage/usage.ts",
    sql: "SELECT c.callType, c.calleeNumber, c.inventoryType, c.billedMinutes, c.userId, c.destinationCountry FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.chargedTo = 'credits'",
  },
  {
    container: "usage",
    file: "usage/export.ts",
    sql: "SELECT TOP ${this.pageSize} ${PROJECTION} FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.sortKey > @after AND c.sortKey < @to ORDER BY c.sortKey ASC",
  },
  { container: "licenses", file: "licenses/licenses.ts", sql: "SELECT c.userId FROM c WHERE c.tenantId = @tenantId" },
  { container: "outbox", file: "notifications/outbox.ts", sql: "SELECT TOP ${limit + 1} * FROM c WHERE c.tenantId = @tenantId AND c.sortKey < @before ORDER BY c.sortKey DESC" },
  { container: "outbox", file: "notifications/outbox.ts", sql: "SELECT TOP ${limit} * FROM c WHERE c.deliveredAt = null AND c.sortKey > '' ORDER BY c.sortKey ASC" },
  {
    container: "outbox",
    file: "notifications/held-alerts.ts",
    sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.deliveredAt = null AND c.held.reason = 'recharge_under_way'",
  },
  { container: "outbox", file: "notifications/delivery-record.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'delivery' AND c.eventId = @eventId" },
  { container: "conversations", file: "notifications/installations.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' AND c.scope = 'channel'" },
  {
    container: "conversations",
    file: "notifications/installations.ts",
    sql: "SELECT TOP 20 c.reference FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' ORDER BY c.savedAt DESC",
  },
  { container: "conversations", file: "notifications/installations.ts", sql: "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.type = 'installation' AND c.teamId = @teamId" },
  { container: "ledger", file: "ledger/ledger-writer.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.ref = @ref" },
  {
    container: "payments",
    file: "funding/auto-recharge/history.ts",
    sql: "SELECT TOP ${Math.trunc(limit)} * FROM c WHERE c.tenantId = @tenantId AND c.type = 'recharge_attempt' ORDER BY c.state.updatedAt DESC",
  },
  {
    container: "accounts",
    file: "funding/auto-recharge/retry-due.ts",
    sql: "SELECT c.tenantId FROM c WHERE (c.recharge.status = 'retry_scheduled' AND c.recharge.nextRetryAt <= @now) OR (c.recharge.status = 'in_flight' AND c.recharge.leaseUntil < @now)",
  },
  { container: "payments", file: "funding/payment-methods.ts", sql: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'payment_method' ORDER BY c.createdAt DESC" },
  {
    container: "usage",
    file: "guard/guard.ts",
    sql: "SELECT c.userId, c.userPrincipalName, c.destinationCountry, c.chargeMicros FROM c WHERE c.tenantId = @tenantId AND c.startDateTime >= @from AND c.chargeMicros > 0",
  },
  { container: "accounts", file: "accounts/accounts.ts", sql: "SELECT c.tenantId FROM c WHERE EXISTS(SELECT VALUE l FROM l IN c.head.lots WHERE l.expiresAt <= @now)" },
  { container: "ledger", file: "accounts/accounts.ts", sql: "SELECT TOP ${limit + 1} * FROM c WHERE c.tenantId = @tenantId AND c.seq < @before ORDER BY c.seq DESC" },
  { container: "accounts", file: "accounts/forecast.ts", sql: "SELECT c.tenantId, c.paymentMethodId FROM c WHERE IS_STRING(c.paymentMethodId)" },
];
