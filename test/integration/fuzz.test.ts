/**
 * Fuzzing every route of the published contract (GET /api/v1/openapi.json): for each operation,
 * seeded fast-check cases put one dimension at its edge — a body field, the whole body, the query,
 * an id in the path, the Idempotency-Key, the Content-Type or Content-Encoding, the body's size or
 * depth — sent by callers of several roles in both tenants (and by nobody, and with a forged token).
 *
 * The app runs as its own process (the local world inside it, data on disk), so a request that
 * stops it is seen as what it is: an exit, counted; the app is started again on the same data and
 * the run goes on (further cases of the dimension that stopped it are skipped, so one crash costs
 * one restart). Requests go one at a time, so a change of money is blamed on the request before it.
 *
 * It fails on any 5xx, any request without an answer in FUZZ_TIMEOUT_MS (a hang), any process
 * exit, any request within the size limits that got no answer (the body's 5 MiB, and Node's 16 KiB
 * for the request line and headers, beyond which HTTP allows a closed connection), and any request
 * not accepted (4xx, 5xx or no answer) after which a ledger (either tenant's) or the processor's
 * succeeded charges differ: "a refused request changes nothing" (API.md).
 *
 * FUZZ_RUNS (default 30) cases per operation, FUZZ_SEED (default 20261207); `npm run bench:fuzz`
 * runs 500 per operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { startChildApp, type ChildApp } from "../support/child-app.js";
import { ContractChecker, type OpenApiDocument } from "../support/openapi.js";
import { casesOf, operationsOf, fixedCasesOf, type Caller, type FuzzCase, type FuzzContext } from "../support/fuzz-cases.js";
import { call, userId } from "./usage-fixtures.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** Far beyond any answer of the local app (tens of ms); a hang costs this much of the run. */
const TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 5_000);
/** A dimension that hung this often is not sent again in this run. */
const HANGS_PER_DIMENSION = 2;

const UPNS: Record<Exclude<Caller, "anonymous" | "forged">, string> = {
  megan: "megan@contoso.example",
  adele: "adele@contoso.example",
  lee: "lee@contoso.example",
  diego: "diego@contoso.example",
  nestor: "nestor@fabrikam.example",
};

interface Outcome {
  status?: number;
  /** `no-answer`: the connection closed without one; `hang`: none in TIMEOUT_MS; `unsendable`: Node's client refused to send it (an invalid request line or header). */
  failure?: "no-answer" | "hang" | "unsendable";
  detail?: string;
  body?: string;
  contentType?: string;
  retryAfter?: string;
  /** Bytes of the answer's body. */
  size?: number;
}

/** Far above any JSON answer of the API (the OpenAPI document, its largest, is about 160 KB). */
const MAX_ANSWER = 1024 * 1024;

function send(base: string, c: FuzzCase, token: string | undefined): Promise<Outcome> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let req: ReturnType<typeof request>;
    try {
      req = request({
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path,
        headers: { ...c.headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(c.body ? { "content-length": String(c.body.length) } : {}) },
        timeout: TIMEOUT_MS,
      });
    } catch (err) {
      return resolve({ failure: "unsendable", detail: (err as Error).message });
    }
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // Kept up to MAX_ANSWER (files are cut short there); the size is told in full.
      res.on("data", (chunk: Buffer) => (size += chunk.length) <= MAX_ANSWER && chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString("utf8"),
          size,
          contentType: res.headers["content-type"],
          retryAfter: res.headers["retry-after"] as string | undefined,
        }),
      );
      res.on("error", (err) => resolve({ status: res.statusCode, detail: err.message }));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ failure: "hang" });
    });
    req.on("error", (err) => resolve({ failure: "no-answer", detail: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(c.body);
  });
}

interface Tally {
  requests: number;
  unsendable: number;
  byClass: Record<string, number>;
  serverErrors: { c: FuzzCase; outcome: Outcome }[];
  /** Answers the document does not describe (status, media type or shape). */
  undocumented: { c: FuzzCase; what: string }[];
  noAnswer: { c: FuzzCase; outcome: Outcome }[];
  hangs: FuzzCase[];
  exits: { c: FuzzCase; output: string }[];
  moneyChanged: { c: FuzzCase; status: number; before: string; after: string }[];
  skipped: number;
  perOperation: Record<string, number>;
}

describe("fuzzing the published contract", () => {
  let dataDir: string;
  let app: ChildApp;
  let doc: OpenApiDocument;
  const tokens: Partial<Record<Caller, string>> = {};
  const tally: Tally = {
    requests: 0,
    unsendable: 0,
    byClass: {},
    serverErrors: [],
    undocumented: [],
    noAnswer: [],
    hangs: [],
    exits: [],
    moneyChanged: [],
    skipped: 0,
    perOperation: {},
  };
  const env = () => ({
    DATA_DIR: dataDir,
    // info: startChildApp knows the app is up from its "is up on" line.
    LOG_LEVEL: "info",
    // Budgets far above a sequential run: the fuzz is about inputs, rate-limit.test.ts about budgets.
    RATE_LIMIT_TENANT_PER_SECOND: "100000",
    RATE_LIMIT_TENANT_BURST: "100000",
    RATE_LIMIT_USER_PER_SECOND: "100000",
    RATE_LIMIT_USER_BURST: "100000",
    SNAPSHOT_INTERVAL_MS: "0",
  });

  const api = async (method: string, path: string, caller: Caller, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, app.url), {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(tokens[caller] ? { authorization: `Bearer ${tokens[caller]}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** Money as the ledgers (both tenants) and the processor (succeeded charges, from its journal) say it. */
  const money = async (): Promise<string> => {
    const heads = await Promise.all(
      (["lee", "nestor"] as const).map(async (who) => {
        const res = await api("GET", "/api/v1/ledger?limit=1", who);
        const top = res.body?.items?.[0];
        return res.status === 200 ? `${who}:${top?.seq ?? 0}/${top?.balanceAfterMicros ?? 0}` : `${who}:status ${res.status}`;
      }),
    );
    const journal = join(dataDir, "processor-journal.log");
    const text = (await stat(journal).catch(() => undefined)) ? await readFile(journal, "utf8") : "";
    const charges = text.split("\n").filter((line) => line.includes('"status":"succeeded"') && line.includes('"charge"')).length;
    return `${heads.join(" ")} charges:${charges}`;
  };

  beforeAll(
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), "credits-fuzz-"));
      app = await startChildApp(env());
      doc = (await api("GET", "/api/v1/openapi.json", "anonymous")).body as OpenApiDocument;
      for (const [who, upn] of Object.entries(UPNS)) tokens[who as Caller] = (await api("POST", "/api/dev/token", "anonymous", { upn })).body.token;
      // A token whose signature is not the server's: the payload of one, the signature of another.
      tokens.forged = `${tokens.megan!.split(".").slice(0, 2).join(".")}.${tokens.nestor!.split(".")[2]}`;

      // Both tenants with a card and funds, so money paths run deep and a change would show.
      const paymentMethodIds: string[] = [];
      for (const who of ["megan", "nestor"] as const) {
        const card = await api("POST", "/api/v1/payment-methods", who, { token: "tok_visa" });
        paymentMethodIds.push(card.body.id);
        expect((await api("POST", "/api/v1/account/funds", who, { amountMicros: 200_000_000 }, { "idempotency-key": `fuzz-setup-${who}` })).status).toBe(201);
      }
      const guard = await api("GET", "/api/v1/guard", "megan");
      const lee = userId("lee@contoso.example");
      const ctx: FuzzContext = {
        paymentMethodIds,
        userIds: [lee, userId("lynne@contoso.example"), "22222222-2222-4222-8222-222222222222"],
        seeds: {
          "POST /api/v1/payment-methods": { token: "tok_visa" },
          "PUT /api/v1/account/payment-method": { paymentMethodId: paymentMethodIds[0] },
          "POST /api/v1/account/funds": { amountMicros: 50_000_000 },
          // Auto-recharge stays off: a recharge in the background would change money between requests.
          "PUT /api/v1/account/auto-recharge": { enabled: false, amountMicros: 50_000_000, thresholdMicros: 20_000_000 },
          "POST /api/v1/usage/records": {
            records: [call({ upn: "lee@contoso.example", to: "+447700900123", seconds: 65, start: new Date(Date.now() - 3_600_000).toISOString() })],
          },
          "POST /api/dev/debit": { amountMicros: 1_000_000 },
          "PUT /api/v1/guard": guard.body,
          "POST /api/v1/calls/authorize": { userId: lee, callType: "user_out", number: "+33612345678" },
          "PUT /api/v1/notification-settings": { kinds: {}, channels: [] },
          "POST /api/dev/token": { upn: "megan@contoso.example" },
          "POST /api/dev/graph/poll": {},
          // An activity the bot does not answer: a reply would go to a serviceUrl nobody listens on
          // here, and the wait for it would look like a hang of the app's own.
          "POST /api/messages": { type: "typing", serviceUrl: "http://127.0.0.1:9/", channelId: "msteams", conversation: { id: "c" }, from: { id: "u" }, recipient: { id: "b" } },
        },
      };

      const operations = operationsOf(doc);
      const checker = new ContractChecker(doc);
      const cases = operations.flatMap((shape, i) => [...fc.sample(casesOf(doc, shape, ctx), { seed: SEED + i, numRuns: RUNS }), ...fixedCasesOf(doc, shape, ctx)]);
      const stopped = new Set<string>();
      const hangsOf: Record<string, number> = {};
      const started = Date.now();
      let before = await money();
      for (const c of cases) {
        if (stopped.has(c.dimension)) {
          tally.skipped++;
          continue;
        }
        const outcome = await send(app.url, c, c.caller === "anonymous" ? undefined : tokens[c.caller]);
        if (outcome.failure === "unsendable") {
          tally.unsendable++;
          continue;
        }
        tally.requests++;
        tally.perOperation[c.operation] = (tally.perOperation[c.operation] ?? 0) + 1;
        if (outcome.failure) {
          await new Promise((r) => setTimeout(r, 200)); // let an exit be noticed
          if (app.process.exitCode !== null || app.process.signalCode !== null) {
            tally.exits.push({ c, output: app.output().slice(-1_500) });
            stopped.add(c.dimension);
            app = await startChildApp(env());
            before = await money();
            continue;
          }
          if (outcome.failure === "hang") {
            tally.hangs.push(c);
            if ((hangsOf[c.dimension] = (hangsOf[c.dimension] ?? 0) + 1) >= HANGS_PER_DIMENSION) stopped.add(c.dimension);
          } else tally.noAnswer.push({ c, outcome });
          tally.byClass["no answer"] = (tally.byClass["no answer"] ?? 0) + 1;
          const after = await money();
          if (after !== before) tally.moneyChanged.push({ c, status: 0, before, after });
          before = after;
          continue;
        }
        const status = outcome.status!;
        const klass = `${Math.floor(status / 100)}xx`;
        tally.byClass[klass] = (tally.byClass[klass] ?? 0) + 1;
        if (status >= 500) tally.serverErrors.push({ c, outcome });
        else {
          const json = /json/.test(outcome.contentType ?? "");
          // A JSON answer this large is no answer of the API's: an echo of what was sent, say.
          if (json && (outcome.size ?? 0) > MAX_ANSWER)
            tally.undocumented.push({ c, what: `${status} JSON answer of ${outcome.size} bytes (over ${MAX_ANSWER}): ${outcome.body?.slice(0, 160)}` });
          else {
            let body: unknown = outcome.body;
            try {
              body = json && outcome.body ? JSON.parse(outcome.body) : outcome.body;
            } catch {
              // Not JSON after all: the checker says so against the documented schema.
            }
            const headers = { get: (name: string) => (name.toLowerCase() === "retry-after" ? (outcome.retryAfter ?? null) : null) };
            for (const what of checker.problemsWith(c.method, c.path, { status, contentType: outcome.contentType ?? null, body, headers })) tally.undocumented.push({ c, what });
          }
        }
        // An accepted read moves nothing: the check runs after every refusal and every accepted write.
        if (status < 400 && c.method === "GET") continue;
        const after = await money();
        if (status >= 400 && after !== before) tally.moneyChanged.push({ c, status, before, after });
        before = after;
      }

      const line = (label: string, value: unknown) => console.log(`fuzz ${label.padEnd(34)} ${String(value)}`);
      line("seed, cases per operation", `${SEED}, ${RUNS} sampled + the fixed ones`);
      line("operations", operations.length);
      line("requests", tally.requests);
      line("answers by status class", JSON.stringify(tally.byClass));
      line("5xx", tally.serverErrors.length);
      line("answers the document does not describe", tally.undocumented.length);
      line("no answer (within the size limits)", tally.noAnswer.filter((n) => !n.c.overLimit).length);
      line("no answer (over a size limit)", tally.noAnswer.filter((n) => n.c.overLimit).length);
      line("hangs", tally.hangs.length);
      line("process exits", tally.exits.length);
      line("unaccepted requests that changed money", tally.moneyChanged.length);
      line("not sendable by Node's client", tally.unsendable);
      line("skipped after an exit or hangs", tally.skipped);
      line("seconds (restarts and hangs included)", ((Date.now() - started) / 1000).toFixed(1));
    },
    Math.max(600_000, RUNS * 40 * 250),
  );

  afterAll(async () => {
    await app?.kill("SIGTERM");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** One line per distinct (operation, dimension, status), with one example. */
  const summary = (items: { c: FuzzCase; what: string }[]) => {
    const seen = new Map<string, string>();
    for (const { c, what } of items) {
      const key = `${c.operation} [${c.dimension}] ${what.split(" ")[0]}`;
      if (!seen.has(key)) seen.set(key, `${key} — e.g. as ${c.caller}: ${c.method} ${c.path.slice(0, 120)} ${JSON.stringify(c.headers).slice(0, 200)} → ${what.slice(0, 200)}`);
    }
    return [...seen.values()];
  };

  it("covers every operation of the document", () => {
    expect(
      operationsOf(doc)
        .map((o) => `${o.method} ${o.template}`)
        .filter((op) => !tally.perOperation[op]),
    ).toEqual([]);
  });

  it("answers no request with a 5xx", () => {
    expect(summary(tally.serverErrors.map(({ c, outcome }) => ({ c, what: `${outcome.status} ${(outcome.body ?? "").slice(0, 200)}` })))).toEqual([]);
  });

  it("answers only as the document says (a documented status, media type and shape)", () => {
    expect(summary(tally.undocumented)).toEqual([]);
  });

  it("never stops the process", () => {
    expect(summary(tally.exits.map(({ c, output }) => ({ c, what: `exit ${output.split("\n").filter(Boolean).slice(-3).join(" | ")}` })))).toEqual([]);
  });

  it(`answers every request within ${TIMEOUT_MS} ms`, () => {
    expect(summary(tally.hangs.map((c) => ({ c, what: "hang" })))).toEqual([]);
  });

  it("answers every request within the size limits (no dropped connection)", () => {
    expect(summary(tally.noAnswer.filter((n) => !n.c.overLimit).map(({ c, outcome }) => ({ c, what: `no-answer ${outcome.detail ?? ""}` })))).toEqual([]);
  });

  it("moves no money on a request it did not accept (ledgers of both tenants, processor charges)", () => {
    expect(summary(tally.moneyChanged.map(({ c, status, before, after }) => ({ c, what: `${status} ${before} → ${after}` })))).toEqual([]);
  });
});
