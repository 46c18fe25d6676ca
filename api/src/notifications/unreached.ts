/**
 * The overview's warning (GET /api/v1/account `unreachedEvents`): the tenant's urgent events that
 * reached no admin by any channel, since the last urgent event that reached someone. Kept in one
 * small document per tenant (`reach-status`, outbox container), written by the notifier when it
 * finishes an urgent event, so the account answer stays point reads. Changed under its ETag; an
 * event finished late never overrides a newer one (compared by the events' times). A tenant's
 * first read creates it empty: every later read finds it, and a read that finds nothing (404)
 * costs the SDK an error object and its diagnostics on the account's hottest read.
 */
import type { Container } from "@azure/cosmos";
import { URGENT_KINDS, type UnreachedEventView } from "@cc/common";
import { createDoc, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import { reachedNobody, triedLine, unreachedView, type DeliveredEvent } from "./unreached-rules.js";
import type { StoredLine } from "./reason-code-rules.js";

const ID = "reach-status";
/** At most this many unreached events are kept (newest first). */
const KEEP = 5;

interface ReachStatusDoc {
  id: typeof ID;
  tenantId: string;
  type: "reach-status";
  /** The time of the newest urgent event that reached someone. */
  lastReachedAt: string | null;
  unreached: UnreachedEventView[];
  _etag?: string;
}

export class UnreachedEvents {
  private readonly container: Container;

  constructor(store: Store) {
    this.container = store.containers.outbox;
  }

  async call(tenantId: string): Promise<UnreachedEventView[]> {
    // Warnings recorded before reason codes carry the raw text: read as codes, never shown as they are.
    const doc = await readDoc<ReachStatusDoc>(this.container, tenantId, ID);
    if (!doc) await createDoc(this.container, emptyStatus(tenantId));
    const unreached = doc?.unreached ?? [];
    return unreached.map((u) => ({ ...u, tried: u.tried.map((r: StoredLine<UnreachedEventView["tried"][number]>) => triedLine(r.upn, r)) }));
  }

  /** Note how a finished urgent event went: reached nobody (warn), or someone (the warnings before it go). */
  async record(tenantId: string, event: DeliveredEvent): Promise<void> {
    if (!URGENT_KINDS.includes(event.kind) || !event.deliveredAt) return;
    for (;;) {
      const doc = await readDoc<ReachStatusDoc>(this.container, tenantId, ID);
      const current: ReachStatusDoc = doc ?? emptyStatus(tenantId);
      if (current.lastReachedAt && event.at <= current.lastReachedAt) return;
      const next: ReachStatusDoc = reachedNobody(event)
        ? { ...current, unreached: [unreachedView(event), ...current.unreached.filter((u) => u.eventId !== event.id)].sort((a, b) => b.at.localeCompare(a.at)).slice(0, KEEP) }
        : { ...current, lastReachedAt: event.at, unreached: current.unreached.filter((u) => u.at > event.at) };
      const saved = doc?._etag ? (await replaceIfMatch(this.container, next, doc._etag)) !== undefined : (await createDoc(this.container, next)).created;
      if (saved) return;
    }
  }
}

function emptyStatus(tenantId: string): ReachStatusDoc {
  return { id: ID, tenantId, type: "reach-status", lastReachedAt: null, unreached: [] };
}
