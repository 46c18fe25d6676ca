/**
 * An open-model load generator, in a process of its own (so that its timing is not held up by the
 * store and the other local services, which share the bench's process): requests sent at a fixed
 * rate, one every 1000/rate ms alternating between the target instances, on schedule whatever is
 * still in flight, each latency counted from its scheduled time. Started by http-load.ts with
 * `fork`; it gets a LoadPlan on its IPC channel and answers a LoadResult.
 */
import { randomUUID } from "node:crypto";
import { build as histogram, type Histogram } from "hdr-histogram-js";
import { Pool } from "undici";

export interface LoadPlan {
  urls: string[];
  rate: number;
  seconds: number;
  /** Seconds of the same load sent first and not counted, on the same connections in this same
   * process: connections opened, code compiled (here and in the servers), caches filled. */
  warmupSeconds?: number;
  /** Tokens the requests rotate over (one organisation's admin each). */
  tokens: string[];
  request: { method: "GET"; path: string } | { method: "POST"; path: string; json: unknown; idempotent: true };
}

export interface LoadResult {
  sent: number;
  elapsedSeconds: number;
  statuses: Record<string, number>;
  /** Requests with no answer at all (timeouts, resets). */
  failures: number;
  /** Milliseconds from the scheduled send to the answer: every answer, and the 2xx ones. */
  all: Percentiles;
  accepted: Percentiles;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

const percentiles = (h: Histogram): Percentiles => ({ p50: h.getValueAtPercentile(50) / 1000, p99: h.getValueAtPercentile(99) / 1000, max: h.maxValue / 1000 });

export async function openLoad(plan: LoadPlan): Promise<LoadResult> {
  const pools = plan.urls.map((url) => new Pool(url, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 }));
  try {
    if (plan.warmupSeconds) await send(plan, pools, plan.warmupSeconds);
    return await send(plan, pools, plan.seconds);
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

async function send(plan: LoadPlan, pools: Pool[], seconds: number): Promise<LoadResult> {
  const microseconds = () => histogram({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const all = microseconds();
  const accepted = microseconds();
  const statuses: Record<string, number> = {};
  let failures = 0;
  const total = Math.round(plan.rate * seconds);
  const intervalMs = 1000 / plan.rate;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const headers: Record<string, string> = { authorization: `Bearer ${plan.tokens[i % plan.tokens.length]}` };
    let body: string | undefined;
    if (plan.request.method === "POST") {
      headers["content-type"] = "application/json";
      headers["idempotency-key"] = randomUUID();
      body = JSON.stringify(plan.request.json);
    }
    inFlight.push(
      pools[i % pools.length]
        .request({ method: plan.request.method, path: plan.request.path, headers, body, headersTimeout: 30_000, bodyTimeout: 30_000 })
        .then(async (res) => {
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const took = Math.max(1, Math.round((performance.now() - due) * 1000));
          all.recordValue(took);
          if (res.statusCode < 300) accepted.recordValue(took);
        })
        .catch(() => void failures++),
    );
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { sent: total, elapsedSeconds, statuses, failures, all: percentiles(all), accepted: percentiles(accepted) };
}

// As a forked process: one plan in, one result out.
if (process.send) {
  process.once("message", (plan: LoadPlan) => {
    void openLoad(plan).then((result) => process.send!(result, () => process.exit(0)));
  });
}
