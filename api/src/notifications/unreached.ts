/**
 * The overview's warning (GET /api/v1/account `unreachedEvents`): the tenant's recent urgent events
 * that reached no admin by any channel, since the last one that reached someone.
 */
import type { Container } from "@azure/cosmos";
import { URGENT_KINDS, type UnreachedEventView } from "@cc/common";
import { queryAll, type Store } from "../store/cosmos.js";
import { unreachedSinceLastReached, type DeliveredEvent } from "./unreached-rules.js";

/** How many recent urgent events are looked at (newest first). */
const LOOK_BACK = 20;

export class UnreachedEvents {
  private readonly events: Container;

  constructor(store: Store) {
    this.events = store.containers.outbox;
  }

  async call(tenantId: string): Promise<UnreachedEventView[]> {
    const recent = await queryAll<DeliveredEvent>(
      this.events,
      tenantId,
      `SELECT TOP ${LOOK_BACK} c.id, c.kind, c.at, c.deliveredAt, c.recipients, c.channels FROM c WHERE c.tenantId = @tenantId AND c.sortKey > '' AND ARRAY_CONTAINS(@kinds, c.kind) ORDER BY c.sortKey DESC`,
      { "@kinds": [...URGENT_KINDS] },
    );
    return unreachedSinceLastReached(recent);
  }
}
