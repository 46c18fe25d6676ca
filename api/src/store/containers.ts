/**
 * The Cosmos DB containers, all partitioned by /tenantId. One definition serves the local store,
 * Azure (created if missing) and infra/modules/cosmos.bicep mirrors it.
 */
import type { ContainerDefinition } from "@azure/cosmos";

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
