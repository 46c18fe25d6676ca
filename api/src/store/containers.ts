/**
 * The Cosmos DB containers. One definition serves the local store (created if missing) and Azure
 * (checked at start, never created: infra/modules/cosmos.bicep creates them and
 * test/deploy/infra.test.ts checks it against this list).
 *
 * Partitioning. A logical partition holds at most 20 GB in Cosmos DB. Containers whose documents
 * are few per tenant, or kept a short while (idempotency 30 days, outbox 90), are partitioned by
 * /tenantId. Those that grow with every month of use and are kept long (usage records, 13 months
 * from their last write; audit, forever) are partitioned by tenant AND month: a synthetic
 * partition key `/pk` = `<tenantId>|<yyyy-mm>` (`monthPartition`), the documented equivalent of a
 * hierarchical key (`/tenantId` + `/month`, MultiHash), which the embedded store cannot hold
 * (@vercel/cosmosdb-server keys documents by the first partition-key path only). The month is
 * the UTC month of the call's start for a usage record (a retried record lands in the same
 * partition, so its create still conflicts and it is charged once), of the write for an audit
 * record. Documents keep `tenantId`, and every query still filters on it.
 */
import type { ContainerDefinition, IndexingPolicy } from "@azure/cosmos";
import { monthPartition } from "./partition-rules.js";

/** The partition key of the containers partitioned by tenant alone: one tenant's documents, one logical partition. */
export const PARTITION_KEY_PATH = "/tenantId";
/** The partition key of the containers partitioned by tenant and month: `<tenantId>|<yyyy-mm>` (monthPartition). */
export const MONTH_PARTITION_KEY_PATH = "/pk";
/** The containers partitioned by tenant and month (MONTH_PARTITION_KEY_PATH); every other one by tenant. */
export const MONTH_PARTITIONED = ["usage", "audit"] as const satisfies readonly ContainerName[];
export type MonthPartitioned = (typeof MONTH_PARTITIONED)[number];

export { monthPartition, monthsBetween, utcMonth } from "./partition-rules.js";

/** The partition key path of a container. */
export function partitionPathOf(name: string): string {
  return (MONTH_PARTITIONED as readonly string[]).includes(name) ? MONTH_PARTITION_KEY_PATH : PARTITION_KEY_PATH;
}

/**
 * The partition key value of a document of container `name`: its `pk` in a month-partitioned
 * container, else its tenantId. A document of such a container written before the change has no
 * `pk`: it gets the one its month gives (the call's start for usage, the record's time for
 * audit): how the embedded store migrates a snapshot or journal from before at start.
 */
export function partitionValueOf(name: string, doc: { tenantId?: unknown; pk?: unknown; startDateTime?: unknown; at?: unknown }): string | undefined {
  if (partitionPathOf(name) === PARTITION_KEY_PATH) return typeof doc.tenantId === "string" ? doc.tenantId : undefined;
  if (typeof doc.pk === "string") return doc.pk;
  const when = name === "usage" ? doc.startDateTime : doc.at;
  return typeof doc.tenantId === "string" && typeof when === "string" && !Number.isNaN(Date.parse(when)) ? monthPartition(doc.tenantId, when) : undefined;
}

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
  /**
   * Idempotency records of money-moving requests: id = scope + key. Partitioned by tenant, not by
   * month: a lookup has the caller's key only, and a retry after the turn of a month must find the
   * record; the 30-day TTL bounds what a tenant's partition holds.
   */
  idempotency: { defaultTtl: RETENTION_DAYS.idempotency * 86_400, indexingPolicy: indexOnly() },
  licenses: { indexingPolicy: indexOnly("/tenantId/?") },
  /** Rated call records; id = the Graph usage id, so a record is charged once. Partitioned by tenant and the month of the call's start (`pk`). */
  usage: {
    partitionKey: { paths: [MONTH_PARTITION_KEY_PATH] },
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
  /** Who changed what; kept forever, so partitioned by tenant and the month of the record (`pk`). Read by id only. */
  audit: { partitionKey: { paths: [MONTH_PARTITION_KEY_PATH] }, indexingPolicy: indexOnly() },
  /** Job watermarks (Graph poller) and similar per-tenant bookkeeping. */
  state: { indexingPolicy: indexOnly() },
} satisfies Record<string, Partial<ContainerDefinition>>;

export type ContainerName = keyof typeof CONTAINERS;
export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];

/** The embedded store's retention sweeper runs at start and then this often (Azure's TTL runs by itself). */
export const SWEEP_EVERY_MS = 3_600_000;
