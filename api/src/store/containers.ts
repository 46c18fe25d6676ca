/**
 * The Cosmos DB containers, all partitioned by /tenantId. One definition serves the local store
 * (created if missing) and Azure (checked at start, never created: infra/modules/cosmos.bicep
 * creates them and test/deploy/infra.test.ts checks it against this list).
 */
import type { ContainerDefinition, IndexingPolicy } from "@azure/cosmos";

/** Every container's partition key: one tenant's documents live in one logical partition. */
export const PARTITION_KEY_PATH = "/tenantId";

/** Every container indexes every path except the system _etag (the service's default). */
export const DEFAULT_INDEXING_POLICY = {
  indexingMode: "consistent",
  automatic: true,
  includedPaths: [{ path: "/*" }],
  excludedPaths: [{ path: '/"_etag"/?' }],
} satisfies IndexingPolicy;

export const CONTAINERS = {
  /** One document per tenant: the ledger head (balance, seq, lots), settings, recharge state. ETag-guarded. */
  accounts: {},
  /** Immutable ledger entries; id = zero-padded seq, so a second writer of the same seq gets 409. */
  ledger: { uniqueKeyPolicy: { uniqueKeys: [{ paths: ["/ref"] }] } },
  /** Payment methods and recharge attempts. */
  payments: {},
  /** Idempotency records of money-moving requests: id = scope + key. */
  idempotency: {},
  licenses: {},
  /** Rated call records; id = the Graph usage id, so a record is charged once. */
  usage: {},
  /** Per tenant and day aggregates maintained at ingestion, and calling-plan pool counters. */
  rollups: {},
  /** Events for the notifier; id = kind + cause, so an event is written once. */
  outbox: {},
  /** Bot conversation references. */
  conversations: {},
  audit: {},
  /** Job watermarks (Graph poller) and similar per-tenant bookkeeping. */
  state: {},
} satisfies Record<string, Partial<ContainerDefinition>>;

export type ContainerName = keyof typeof CONTAINERS;
export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];
