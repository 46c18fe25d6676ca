/**
 * The Cosmos DB containers, all partitioned by /tenantId. One definition serves the local store
 * (created if missing) and Azure (checked at start, never created: infra/modules/cosmos.bicep
 * creates them and test/deploy/infra.test.ts checks it against this list).
 */
import type { ContainerDefinition, IndexingPolicy } from "@azure/cosmos";

/** Every container's partition key: one tenant's documents live in one logical partition. */
export const PARTITION_KEY_PATH = "/tenantId";

/**
 * Each container indexes only the paths its queries filter or order by (the list of queries is
 * queries.ts; test/unit/indexing.test.ts checks every query in the source against it and these
 * policies): everything else is excluded (`/*`), so a write updates a few index terms instead of
 * one per property, which is what makes writes cheaper in Request Units. Point reads (id +
 * partition key) need no index: containers only read that way index nothing. Filtering on a path
 * not listed still works in Azure but scans the partition; ordering by one fails there, so the
 * test is the guard. The embedded store ignores indexing policies (it scans): only this test
 * checks Azure's.
 */
export type IndexedContainerPolicy = IndexingPolicy & { includedPaths: { path: string }[]; excludedPaths: { path: string }[] };
export function indexOnly(...paths: string[]): IndexedContainerPolicy {
  return { indexingMode: "consistent", automatic: true, includedPaths: paths.map((path) => ({ path })), excludedPaths: [{ path: "/*" }] };
}

/**
 * Whether `policy` indexes `path` (`/a/b/?`): the most precise included or excluded path that
 * covers it decides, as in Cosmos DB; no includedPaths at all is the service's default (all).
 */
export function indexesPath(policy: IndexingPolicy | undefined, path: string): boolean {
  if (policy?.indexingMode === "none") return false;
  if (!policy?.includedPaths) return true;
  const covers = (p: string) => p === path || (p.endsWith("/*") && path.startsWith(p.slice(0, -1)));
  const included = policy.includedPaths.filter((p) => covers(p.path)).map((p) => p.path.length);
  const excluded = (policy.excludedPaths ?? []).filter((p) => covers(p.path)).map((p) => p.path.length);
  return included.length > 0 && Math.max(...included) > Math.max(-1, ...excluded);
}

/**
 * Retention by Cosmos DB's time to live: a container's `defaultTtl` (seconds after a document's
 * last write). Usage records and their rollups keep 13 months (396 days) by default: the Bicep's
 * `usageRetentionDays` parameter in Azure, USAGE_RETENTION_DAYS for the embedded store, whose
 * sweeper (retention.ts) deletes what Azure would expire. Idempotency records keep 30 days,
 * notification deliveries (the outbox) 90. The ledger, accounts, payments, licenses,
 * conversations, audit and state never expire (money and its evidence are kept).
 */
export const DEFAULT_USAGE_RETENTION_DAYS = 396;
export const RETENTION_DAYS = { usage: DEFAULT_USAGE_RETENTION_DAYS, rollups: DEFAULT_USAGE_RETENTION_DAYS, idempotency: 30, outbox: 90 } as const;
export type RetainedContainer = keyof typeof RETENTION_DAYS;
/** The TTLs of the retained containers with usage kept `usageDays`. */
export function retentionSeconds(usageDays: number = DEFAULT_USAGE_RETENTION_DAYS): Record<RetainedContainer, number> {
  return { usage: usageDays * 86_400, rollups: usageDays * 86_400, idempotency: RETENTION_DAYS.idempotency * 86_400, outbox: RETENTION_DAYS.outbox * 86_400 };
}

export const CONTAINERS = {
  /** One document per tenant: the ledger head (balance, seq, lots), settings, recharge state. ETag-guarded. */
  accounts: {
    indexingPolicy: indexOnly("/tenantId/?", "/id/?", "/paymentMethodId/?", "/recharge/status/?", "/recharge/nextRetryAt/?", "/recharge/leaseUntil/?", "/head/lots/[]/expiresAt/?"),
  },
  /** Immutable ledger entries; id = zero-padded seq, so a second writer of the same seq gets 409. */
  ledger: { uniqueKeyPolicy: { uniqueKeys: [{ paths: ["/ref"] }] }, indexingPolicy: indexOnly("/tenantId/?", "/ref/?", "/seq/?") },
  /** Payment methods and recharge attempts. */
  payments: { indexingPolicy: indexOnly("/tenantId/?", "/type/?", "/createdAt/?", "/state/updatedAt/?") },
  /** Idempotency records of money-moving requests: id = scope + key. */
  idempotency: { defaultTtl: RETENTION_DAYS.idempotency * 86_400, indexingPolicy: indexOnly() },
  licenses: { indexingPolicy: indexOnly("/tenantId/?") },
  /** Rated call records; id = the Graph usage id, so a record is charged once. */
  usage: {
    defaultTtl: DEFAULT_USAGE_RETENTION_DAYS * 86_400,
    indexingPolicy: indexOnly("/tenantId/?", "/day/?", "/sortKey/?", "/batchRef/?", "/chargedTo/?", "/startDateTime/?", "/chargeMicros/?"),
  },
  /** Per tenant and day aggregates maintained at ingestion, and calling-plan pool counters. */
  rollups: { defaultTtl: DEFAULT_USAGE_RETENTION_DAYS * 86_400, indexingPolicy: indexOnly("/tenantId/?", "/type/?", "/state/?", "/openedAt/?") },
  /** Events for the notifier; id = kind + cause, so an event is written once. */
  outbox: {
    defaultTtl: RETENTION_DAYS.outbox * 86_400,
    indexingPolicy: indexOnly("/tenantId/?", "/kind/?", "/sortKey/?", "/deliveredAt/?", "/type/?", "/eventId/?", "/held/reason/?"),
  },
  /** Bot conversation references. */
  conversations: { indexingPolicy: indexOnly("/tenantId/?", "/type/?", "/scope/?", "/teamId/?", "/savedAt/?") },
  audit: { indexingPolicy: indexOnly() },
  /** Job watermarks (Graph poller) and similar per-tenant bookkeeping. */
  state: { indexingPolicy: indexOnly() },
} satisfies Record<string, Partial<ContainerDefinition>>;

export type ContainerName = keyof typeof CONTAINERS;
export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];

/** The embedded store's retention sweeper runs at start and then this often (Azure's TTL runs by itself). */
export const SWEEP_EVERY_MS = 3_600_000;
