/**
 * Idempotency keys for money-moving requests (Stripe's rules): the first request with a key runs;
 * a replay with the same body gets the first answer; the same key with another body is 409. A
 * concurrent replay waits for the first to finish. Records are deterministic documents
 * (scope + key), so two API instances agree through the store's 409.
 */
import { createHash } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { Refusal, refuse } from "../shared/refusal.js";
import { createDoc, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import { storeId } from "../shared/store-ids.js";
import type { Clock } from "../shared/clock.js";

/**
 * What a run left behind, opaque to this module: the work's result (any JSON value), or the
 * refusal it threw — a refusal is an answer too, so a replay refuses exactly as the first time.
 */
export type StoredOutcome<T> = { result: T } | { refusal: { status: Refusal["status"]; code: string; message: string; errors: Refusal["errors"]; facts?: Refusal["facts"] } };

interface IdempotencyDoc {
  /** `storeId(scope:key)`: any printable key works (shared/store-ids.ts). */
  id: string;
  tenantId: string;
  scope: string;
  /** The key as the client sent it. */
  key: string;
  bodyHash: string;
  state: "running" | "done";
  /** A running record whose lease passed belongs to a crashed instance: the next replay takes over. */
  leaseUntil: string;
  outcome?: StoredOutcome<unknown>;
  createdAt: string;
  _etag?: string;
}

const LEASE_MS = 30_000;
const WAIT_STEP_MS = 25;
/**
 * How long a replay waits for the request it repeats before answering 409 idempotency_key_in_use.
 * As long as the lease: a client retrying after its own timeout gets the first answer rather than
 * a conflict, and a request still running after that is presumed dead and taken over.
 */
const MAX_WAIT_MS = LEASE_MS;

export function hashBody(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/** JSON with sorted keys, so {a,b} and {b,a} are the same body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export class IdempotencyService {
  private readonly records: Container;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.records = store.containers.idempotency;
  }

  /**
   * Run `work` once per (tenant, scope, key). `work` gets the key so it can make its own effects
   * idempotent too (processor idempotency key, ledger ref): a crashed run is then finished, not repeated.
   */
  async run<T>(tenantId: string, scope: string, key: string, body: unknown, work: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
    const id = storeId(`${scope}:${key}`);
    const bodyHash = hashBody(body);
    const now = () => this.clock.now().toISOString();
    const lease = () => new Date(this.clock.now().getTime() + LEASE_MS).toISOString();
    const fresh: IdempotencyDoc = { id, tenantId, scope, key, bodyHash, state: "running", leaseUntil: lease(), createdAt: now() };

    let claimed = (await createDoc(this.records, fresh)).created ? fresh : undefined;
    const started = Date.now();
    while (!claimed) {
      const existing = await readDoc<IdempotencyDoc>(this.records, tenantId, id);
      if (!existing) {
        claimed = (await createDoc(this.records, fresh)).created ? fresh : undefined;
        continue;
      }
      if (existing.bodyHash !== bodyHash) {
        throw refuse.conflict("idempotency_key_reused", "This Idempotency-Key was used with a different request body");
      }
      if (existing.state === "done" && existing.outcome) return { result: unwrap(existing.outcome as StoredOutcome<T>), replayed: true };
      if (existing.leaseUntil < now()) {
        const taken = await replaceIfMatch(this.records, { ...existing, leaseUntil: lease() }, existing._etag ?? "");
        if (taken) claimed = taken;
        continue;
      }
      if (Date.now() - started > MAX_WAIT_MS) throw refuse.conflict("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed");
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }

    let outcome: StoredOutcome<T>;
    try {
      outcome = { result: await work() };
    } catch (error) {
      if (!(error instanceof Refusal)) {
        // An unexpected failure is not an answer: free the key so a retry can finish the work.
        await this.records
          .item(id, tenantId)
          .delete()
          .catch(() => undefined);
        throw error;
      }
      outcome = { refusal: { status: error.status, code: error.code, message: error.message, errors: error.errors, facts: error.facts } };
    }
    await this.records.item(id, tenantId).replace<IdempotencyDoc>({ ...fresh, leaseUntil: claimed.leaseUntil, state: "done", outcome });
    return { result: unwrap(outcome), replayed: false };
  }
}

/** The stored result, or the stored refusal thrown again. */
function unwrap<T>(outcome: StoredOutcome<T>): T {
  if ("refusal" in outcome) {
    const { status, code, message, errors, facts } = outcome.refusal;
    throw new Refusal(status, code, message, errors, facts);
  }
  return outcome.result;
}
