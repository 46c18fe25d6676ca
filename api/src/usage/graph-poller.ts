/**
 * The Graph poller: pulls PSTN call records from Microsoft Graph
 * (`communications/callRecords/getPstnCalls(fromDateTime=…,toDateTime=…)`, app-only) for each
 * tenant and feeds them to the same ingestion as POST /api/v1/usage/records.
 *
 * Per tenant a watermark document in `state` (id `graph-poller:pstn`) keeps `lastToDateTime`, the
 * end of the last window read completely. A poll reads [lastToDateTime − overlap, until) — the
 * overlap because Graph publishes records late — in windows of at most `windowMs` (Graph itself
 * allows 90 days), follows @odata.nextLink, and ingests each page in batches of at most 1,000 rows
 * under a deterministic batch key `graph:<from>:<to>:<page>[:<chunk>]`. Re-read rows are harmless:
 * ingestion charges each usage id once, so they come back as duplicates charged 0.
 *
 * Two instances do not fight over a tenant: the watermark document carries a lease
 * (leaseOwner/leaseUntil) taken and renewed with If-Match, and the watermark only moves forward
 * with the ETag of the lease holder's own last write. An instance that finds a live lease skips the
 * tenant ("busy"); a crashed holder's lease expires after `leaseMs`. Even if two instances did read
 * the same window, the ledger would still be charged once per usage id (ingestion's guarantee); the
 * lease only saves the duplicate Graph reads.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import type { GraphClientFactory, GraphPage } from "../directory/graph-directory.js";
import { createDoc, queryAll, readDoc, replaceIfMatch, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import { MAX_BATCH_ROWS } from "./ingest.js";
import type { IngestResult, RejectedRow } from "./rated-call.js";

export const POLLER_STATE_ID = "graph-poller:pstn";
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How often the jobs (wiring.ts) run pollAll: call records arrive minutes to hours late, so polling faster buys nothing. */
export const GRAPH_POLL_EVERY_MS = 5 * 60_000;

export interface PollerStateDoc {
  id: typeof POLLER_STATE_ID;
  tenantId: string;
  /** End (exclusive) of the last window read completely; null before the first poll. */
  lastToDateTime: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  updatedAt: string;
  _etag?: string;
}

/** What the poller needs from usage ingestion (Services.usage). */
export interface UsageIngestor {
  ingest(tenantId: string, rows: unknown[], batchKey?: string): Promise<IngestResult>;
}

export interface GraphPollerOptions {
  /** Re-read this far behind the watermark (late records). Default 1 hour. */
  overlapMs?: number;
  /** Longest window per getPstnCalls call. Default 7 days (Graph's own limit is 90). */
  windowMs?: number;
  /** How far back the first poll of a tenant reads. Default 7 days. */
  initialLookbackMs?: number;
  /** How long a lease holds without renewal (renewed after every window). Default 10 minutes. */
  leaseMs?: number;
  /** Rows per ingest call. Default and maximum 1,000. */
  batchRows?: number;
  /** This instance's name in the lease. Default host:pid:random. */
  owner?: string;
}

export interface PollResult {
  tenantId: string;
  /** polled: windows were read; up_to_date: nothing new to read; busy: another instance holds the lease; lease_lost: it was taken mid-poll. */
  status: "polled" | "up_to_date" | "busy" | "lease_lost";
  from: string | null;
  to: string | null;
  windows: number;
  pages: number;
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  chargedMicros: number;
  /** lastToDateTime after this poll. */
  watermark: string | null;
}

export class GraphPoller {
  private readonly state: Container;
  private readonly accounts: Container;
  private readonly overlapMs: number;
  private readonly windowMs: number;
  private readonly initialLookbackMs: number;
  private readonly leaseMs: number;
  private readonly batchRows: number;
  readonly owner: string;
  private running: Promise<PollResult[]> | undefined;

  constructor(
    store: Store,
    private readonly graph: GraphClientFactory,
    private readonly usage: UsageIngestor,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    options: GraphPollerOptions = {},
  ) {
    this.state = store.containers.state;
    this.accounts = store.containers.accounts;
    this.overlapMs = options.overlapMs ?? HOUR_MS;
    this.windowMs = options.windowMs ?? 7 * DAY_MS;
    this.initialLookbackMs = options.initialLookbackMs ?? 7 * DAY_MS;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.batchRows = Math.min(options.batchRows ?? MAX_BATCH_ROWS, MAX_BATCH_ROWS);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (this.windowMs <= 0 || this.windowMs > 90 * DAY_MS) throw new RangeError("windowMs must be within (0, 90 days]");
  }

  /** Poll every tenant with an account, one after another; a tenant's failure is logged and skips only that tenant. */
  pollAll(): Promise<PollResult[]> {
    // One sweep at a time per instance: a slow sweep must not pile up behind the timer.
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<PollResult[]> {
    const tenants = await queryAll<{ tenantId: string }>(this.accounts, undefined, "SELECT c.tenantId FROM c WHERE c.id = 'account'");
    const results: PollResult[] = [];
    for (const { tenantId } of tenants) {
      try {
        results.push(await this.pollTenant(tenantId));
      } catch (err) {
        this.logger?.error({ err, tenantId }, "graph poll failed; the next sweep retries from the watermark");
      }
    }
    return results;
  }

  /** Read the tenant's PSTN calls from the watermark (minus the overlap) up to `until` and ingest them. */
  async pollTenant(tenantId: string, until: Date = this.clock.now()): Promise<PollResult> {
    const result: PollResult = {
      tenantId,
      status: "up_to_date",
      from: null,
      to: null,
      windows: 0,
      pages: 0,
      rows: 0,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      chargedMicros: 0,
      watermark: null,
    };
    let lease = await this.acquire(tenantId);
    if (!lease) {
      result.status = "busy";
      result.watermark = (await readDoc<PollerStateDoc>(this.state, tenantId, POLLER_STATE_ID))?.lastToDateTime ?? null;
      return result;
    }
    try {
      result.watermark = lease.lastToDateTime;
      const end = until.getTime();
      const last = lease.lastToDateTime ? Date.parse(lease.lastToDateTime) : undefined;
      if (last !== undefined && last >= end) return result;
      let from = last !== undefined ? last - this.overlapMs : end - this.initialLookbackMs;
      result.status = "polled";
      result.from = new Date(from).toISOString();
      result.to = new Date(end).toISOString();
      const client = this.graph(tenantId);
      while (from < end) {
        const to = Math.min(from + this.windowMs, end);
        await this.readWindow(client, tenantId, new Date(from).toISOString(), new Date(to).toISOString(), result);
        result.windows++;
        // The watermark never moves back (an overlap window ends before it only if until did).
        const watermark = new Date(Math.max(to, last ?? 0)).toISOString();
        const advanced = await this.write(lease, { lastToDateTime: watermark, leaseOwner: this.owner, leaseUntil: this.leaseEnd() });
        if (!advanced) {
          result.status = "lease_lost";
          this.logger?.warn({ tenantId, owner: this.owner }, "graph poller lost its lease mid-poll; the holder continues from the watermark");
          lease = undefined;
          return result;
        }
        lease = advanced;
        result.watermark = watermark;
        from = to;
      }
      return result;
    } finally {
      if (lease)
        await this.write(lease, { leaseOwner: null, leaseUntil: null }).catch((err) =>
          this.logger?.warn({ err, tenantId }, "could not release the graph poller lease; it expires on its own"),
        );
    }
  }

  private async readWindow(client: ReturnType<GraphClientFactory>, tenantId: string, from: string, to: string, result: PollResult): Promise<void> {
    let link: string | undefined = `/communications/callRecords/getPstnCalls(fromDateTime=${from},toDateTime=${to})`;
    for (let page = 1; link; page++) {
      const body = (await client.api(link).get()) as GraphPage<Record<string, unknown>>;
      result.pages++;
      const rows = body.value ?? [];
      result.rows += rows.length;
      const chunks = Math.ceil(rows.length / this.batchRows);
      for (let chunk = 0; chunk < chunks; chunk++) {
        const batch = rows.slice(chunk * this.batchRows, (chunk + 1) * this.batchRows);
        const batchKey = `graph:${from}:${to}:${page}${chunks > 1 ? `:${chunk + 1}` : ""}`;
        const outcome = await this.usage.ingest(tenantId, batch, batchKey);
        result.accepted += outcome.accepted;
        result.duplicates += outcome.duplicates;
        result.rejected += outcome.rejected.length;
        result.chargedMicros += outcome.chargedMicros;
        if (outcome.rejected.length > 0) this.logRejected(tenantId, batchKey, batch, outcome.rejected);
      }
      link = body["@odata.nextLink"];
    }
  }

  /** Rows Graph sent that ingestion refuses are logged, not retried: the watermark must not stick on them. */
  private logRejected(tenantId: string, batchKey: string, batch: Record<string, unknown>[], rejected: RejectedRow[]): void {
    const sample = rejected.slice(0, 5).map((r) => ({ id: batch[r.index]?.id, errors: r.errors }));
    this.logger?.warn({ tenantId, batchKey, rejected: rejected.length, sample }, "graph poller: call records refused by ingestion");
  }

  /** Take the tenant's lease (creating the watermark document on first use); undefined while another instance holds it. */
  private async acquire(tenantId: string): Promise<PollerStateDoc | undefined> {
    for (let race = 0; race < 5; race++) {
      const now = this.clock.now().toISOString();
      const doc = await readDoc<PollerStateDoc>(this.state, tenantId, POLLER_STATE_ID);
      if (!doc) {
        const fresh: PollerStateDoc = { id: POLLER_STATE_ID, tenantId, lastToDateTime: null, leaseOwner: this.owner, leaseUntil: this.leaseEnd(), updatedAt: now };
        const created = await createDoc(this.state, fresh);
        if (created.created) return created.doc;
        continue;
      }
      // Any live lease blocks, this instance's own included (a sweep and a dev poll at once).
      if (doc.leaseUntil && doc.leaseUntil > now) return undefined;
      const taken = await this.write(doc, { leaseOwner: this.owner, leaseUntil: this.leaseEnd() });
      if (taken) return taken;
    }
    return undefined;
  }

  /** Replace the state document if nobody wrote since `doc` was read; undefined when someone did. */
  private async write(doc: PollerStateDoc, change: Partial<PollerStateDoc>): Promise<PollerStateDoc | undefined> {
    const next: PollerStateDoc = {
      id: doc.id,
      tenantId: doc.tenantId,
      lastToDateTime: doc.lastToDateTime,
      leaseOwner: doc.leaseOwner,
      leaseUntil: doc.leaseUntil,
      ...change,
      updatedAt: this.clock.now().toISOString(),
    };
    return replaceIfMatch(this.state, next, doc._etag ?? "");
  }

  private leaseEnd(): string {
    return new Date(this.clock.now().getTime() + this.leaseMs).toISOString();
  }
}
