/**
 * Issue 17's findings, each as it was met from outside: a corrupt gzip body that stopped the process,
 * Idempotency-Keys and path ids with `? / \ #` that answered 500 (one after charging the card), a
 * malformed invoke answered 501, usage records from the future or in another currency charged, and
 * bodies over the limit answered by a dropped connection. Every answer is now a problem in words,
 * the process keeps serving, and a refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { gzipSync } from "node:zlib";
import { CONTOSO_TENANT_ID } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { wholeLedger } from "../support/ledger.js";
import { startChildApp, type ChildApp } from "../support/child-app.js";
import { call } from "./usage-fixtures.js";

/** A request written byte for byte: any headers, any body, the answer or how the connection ended. */
function rawPost(
  baseUrl: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string } | { dropped: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, method: "POST", path, headers: { "content-length": String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (e) => resolve({ dropped: e.message }));
    });
    req.on("error", (e) => resolve({ dropped: e.message }));
    req.end(body);
  });
}

const problemOf = (answer: Awaited<ReturnType<typeof rawPost>>) => {
  if ("dropped" in answer) throw new Error(`no answer: the connection was closed (${answer.dropped})`);
  expect(answer.headers["content-type"]).toContain("application/problem+json");
  return { status: answer.status, ...(JSON.parse(answer.body) as { code: string; detail: string }) };
};

describe("bodies the server cannot read", () => {
  let dataDir: string;
  let app: ChildApp;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-hardening-"));
    app = await startChildApp({ DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "0" }, { timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a corrupt gzip body is a 400 in words on every path, and the process keeps serving", async () => {
    for (const path of ["/api/messages", "/api/dev/token", "/api/v1/account/funds", "/api/v1/usage/records"]) {
      const answer = problemOf(await rawPost(app.url, path, Buffer.from("this is not gzip data"), { "content-type": "application/json", "content-encoding": "gzip" }));
      expect(answer, path).toMatchObject({ status: 400, code: "corrupt_body" });
      expect(answer.detail).toMatch(/could not be decompressed/);
    }
    expect(app.process.exitCode).toBeNull();
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });

  it("a decompression bomb is 413 once decoded past the limit; an encoding it does not decode is 415; gzip that is JSON works", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces, about 64 KiB on the wire
    expect(bomb.length).toBeLessThan(200_000);
    expect(problemOf(await rawPost(app.url, "/api/dev/token", bomb, { "content-type": "application/json", "content-encoding": "gzip" }))).toMatchObject({
      status: 413,
      code: "body_too_large",
    });
    expect(problemOf(await rawPost(app.url, "/api/dev/token", Buffer.from("{}"), { "content-type": "application/json", "content-encoding": "compress" }))).toMatchObject({
      status: 415,
      code: "unsupported_encoding",
    });
    expect(problemOf(await rawPost(app.url, "/api/dev/token", Buffer.from("upn=megan"), { "content-type": "application/x-www-form-urlencoded" }))).toMatchObject({
      status: 415,
      code: "unsupported_media_type",
    });
    const signedIn = await rawPost(app.url, "/api/dev/token", gzipSync(JSON.stringify({ upn: "megan@contoso.example" })), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect("status" in signedIn && signedIn.status).toBe(200);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });

  it("a body over the limit gets 413 with a problem, not a closed connection, declared or not", async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
    expect(problemOf(await rawPost(app.url, "/api/v1/usage/records", big, { "content-type": "application/json" }))).toMatchObject({ status: 413, code: "body_too_large" });
    // Declared far past what is worth reading off: answered at once, and the connection is closed.
    const huge = await rawPost(app.url, "/api/v1/usage/records", Buffer.from("{}"), { "content-type": "application/json", "content-length": String(1024 * 1024 * 1024) });
    expect(problemOf(huge)).toMatchObject({ status: 413, code: "body_too_large" });
    expect("headers" in huge && huge.headers.connection).toBe("close");
    // Chunked: no length to refuse up front, so it is read off and answered, and the connection stays usable.
    const url = new URL(app.url);
    const chunked = await new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const req = request(
        { host: url.hostname, port: url.port, method: "POST", path: "/api/dev/token", agent, headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => {
            const socket = res.socket;
            request({ host: url.hostname, port: url.port, method: "GET", path: "/api/health", agent }, (again) => {
              again.resume();
              again.on("end", () => resolve({ status: res.statusCode ?? 0, body, reused: again.socket === socket }));
            })
              .on("error", reject)
              .end();
          });
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 6; i++) req.write(Buffer.alloc(1024 * 1024, 0x20));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).code).toBe("body_too_large");
    expect(chunked.reused).toBe(true);
  });

  it("an invoke without recipient, or without a value, is a 400 naming the field", async () => {
    const base = {
      type: "invoke",
      name: "adaptiveCard/action",
      channelId: "msteams",
      serviceUrl: "http://127.0.0.1:9/",
      from: { id: "29:megan" },
      conversation: { id: "a:1", tenantId: CONTOSO_TENANT_ID },
    };
    const noRecipient = problemOf(await rawPost(app.url, "/api/messages", Buffer.from(JSON.stringify({ ...base, value: { action: {} } })), { "content-type": "application/json" }));
    expect(noRecipient).toMatchObject({ status: 400, code: "invalid_activity" });
    expect(noRecipient.detail).toContain("recipient");
    const noValue = problemOf(
      await rawPost(app.url, "/api/messages", Buffer.from(JSON.stringify({ ...base, recipient: { id: "28:bot" } })), { "content-type": "application/json" }),
    );
    expect(noValue).toMatchObject({ status: 400, code: "invalid_activity" });
    expect(noValue.detail).toContain("value");
  });
});

describe("client-given strings that become store ids", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    megan = await ApiClient.signIn((await world.app()).url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
  });
  afterAll(() => world.close());

  it("every printable character works in an Idempotency-Key: one charge, one credit, and a replay answers the first time's answer", async () => {
    const keys = ["pay?ref=1", "a/b", "a\\b", "a#b", "%2F..%23", "~already", "'\"<>{}|^`", Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join("")];
    for (const key of keys) {
      const before = (await megan.get("/api/v1/account")).body.balanceMicros as number;
      const first = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key);
      expect(first.status, `${key} → ${JSON.stringify(first.body)}`).toBe(201);
      const replay = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key);
      expect(replay.status, key).toBe(201);
      expect(replay.headers.get("idempotent-replayed"), key).toBe("true");
      expect(replay.body).toEqual(first.body);
      const reused = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(60) }, key);
      expect(reused.status, key).toBe(409);
      expect((await megan.get("/api/v1/account")).body.balanceMicros, key).toBe(before + usd(50));
    }
    // Two keys that differ only where an encoding could blur them stay two payments.
    const twins = await Promise.all(["x/y", "x%2Fy"].map((key) => megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, key)));
    expect(twins.map((t) => t.status)).toEqual([201, 201]);
    expect(twins[0].body.entryId).not.toBe(twins[1].body.entryId);
  });

  it("ids in paths with characters the store refuses are simply not found, and nothing changes", async () => {
    const ledger = await wholeLedger(megan);
    for (const id of ["a%2Fb", "a%23b", "a%3Fb", "%7E", "~YS9i", "%20", "%20%20"]) {
      const res = await megan.delete(`/api/v1/payment-methods/${id}`);
      expect(res.status, `${id} → ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.body.code).toBe("not_found");
    }
    expect((await megan.get("/api/v1/account")).body.paymentMethod).not.toBeNull();
    expect(await wholeLedger(megan)).toEqual(ledger);
  });

  it("usage records from the future, or in another currency than the account's, are refused with their index and reason", async () => {
    const now = Date.now();
    const ok = call({ upn: "lee@contoso.example", to: "+33142685300", seconds: 120, start: new Date(now - 3_600_000).toISOString(), id: `h-ok-${now}` });
    const future = call({ upn: "lee@contoso.example", to: "+33142685300", seconds: 120, start: "2099-01-01T10:00:00Z", id: `h-2099-${now}` });
    const euros = {
      ...call({ upn: "lee@contoso.example", to: "+33142685300", seconds: 120, start: new Date(now - 3_600_000).toISOString(), id: `h-eur-${now}` }),
      currency: "EUR",
    };
    const slash = call({ upn: "lee@contoso.example", to: "+33142685300", seconds: 60, start: new Date(now - 3_600_000).toISOString(), id: `h/${now}` });
    const res = await megan.postMoney("/api/v1/usage/records", { records: [future, ok, euros, slash] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.accepted).toBe(1);
    const byIndex = Object.fromEntries((res.body.rejected as { index: number; errors: { path: string; message: string }[] }[]).map((r) => [r.index, r.errors]));
    expect(Object.keys(byIndex)).toEqual(["0", "2", "3"]);
    expect(byIndex[0][0]).toMatchObject({ path: "startDateTime", message: expect.stringContaining("in the future") });
    expect(byIndex[2][0]).toMatchObject({ path: "currency", message: expect.stringContaining("EUR, but this account is in USD") });
    expect(byIndex[3][0].path).toBe("id");
  });
});

describe("fair admission of writes", () => {
  let world: TestWorld;
  let megan: ApiClient;
  let nestor: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    const app = await world.app({ config: { WRITE_CONCURRENCY: 8, WRITE_QUEUE: 8, WRITE_CONCURRENCY_PER_TENANT: 2, WRITE_QUEUE_PER_TENANT: 4 } });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    for (const admin of [megan, nestor]) expect((await admin.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
  });
  afterAll(() => world.close());

  it("one tenant's flood of writes leaves another tenant's writes accepted", async () => {
    const flood = Array.from({ length: 60 }, () => nestor.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }));
    // Contoso's writes, sent while Fabrikam's flood holds its share of the instance.
    await new Promise((r) => setTimeout(r, 5));
    const quiet = await Promise.all(Array.from({ length: 4 }, (_, i) => megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, `quiet-${i}-${Date.now()}`)));
    const flooded = await Promise.all(flood);
    expect(quiet.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    // The flooding tenant is shed beyond its share, and only with 429s.
    expect(flooded.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(flooded.every((r) => r.status === 201 || r.status === 429)).toBe(true);
  });
});

describe("refusals of a body, in the reader's language", () => {
  let world: TestWorld;
  let url: string;
  beforeAll(async () => {
    world = await startWorld();
    url = (await world.app()).url;
  });
  afterAll(() => world.close());

  it("says in French what was wrong with the body", async () => {
    const french = { "content-type": "application/json", "accept-language": "fr-FR" };
    expect(problemOf(await rawPost(url, "/api/dev/token", Buffer.from("{oops"), french)).detail).toBe("Le corps de la requête n'est pas du JSON valide");
    expect(problemOf(await rawPost(url, "/api/dev/token", Buffer.from("xx"), { ...french, "content-encoding": "gzip" })).detail).toMatch(/n'a pas pu être décompressé/);
    expect(problemOf(await rawPost(url, "/api/dev/token", Buffer.alloc(6 * 1024 * 1024, 0x20), french)).detail).toMatch(/dépasse 5 Mio/);
  });
});
