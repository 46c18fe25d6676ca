/**
 * The outer edge: paths that do not decode, ids the store cannot hold, JSON nested 10,000 deep and
 * a handler that throws are all answered (4xx, or 500 for the handler's own fault) and the process
 * keeps serving. The crash case runs the app as a child process (`npm start`'s entry) so a crash
 * would show as an exit, not as a dead test worker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import { rawRequest } from "../support/raw-http.js";
import { startChildApp } from "../support/child-app.js";
import type { App } from "../../api/src/app.js";
import { loadConfig } from "../../api/src/config.js";

const BAD_PATHS = [
  "/%00",
  "/%E0%A4%A",
  "/..%2f..",
  "/..%2f..%2f..%2fetc%2fpasswd",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/index.html%00.js",
  "/%",
  "/a%5c..%5c..%5cwindows",
  "/api/v1/account%00",
  "/%0d%0aSet-Cookie:%20x=1",
];

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** `npm start`'s entry with its defaults (HOST unset: loopback only), as a child process. */
const startChild = (dataDir: string) =>
  startChildApp({ APP_ENV: "", HOST: "", DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "0" }, { script: "api/src/local/start-local.ts", timeoutMs: 45_000 });

describe("a path that does not decode", () => {
  let dataDir: string;
  let app: Awaited<ReturnType<typeof startChild>>;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-edges-"));
    app = await startChild(dataDir);
  });
  afterAll(async () => {
    await app.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers 400 problem+json and the process keeps serving", async () => {
    for (const path of BAD_PATHS) {
      const res = await rawRequest(app.url, "GET", path);
      expect(res.status, `${path} → ${res.body}`).toBe(400);
      expect(res.headers["content-type"], path).toContain("application/problem+json");
      expect(JSON.parse(res.body).detail, path).toMatch(/address is not valid/);
    }
    expect(app.process.exitCode).toBeNull();
    expect((await rawRequest(app.url, "GET", "/api/health")).status).toBe(200);
  });

  it("listens on 127.0.0.1 only by default", async () => {
    expect(loadConfig({ APP_ENV: "local" }).HOST).toBe("127.0.0.1");
    // This machine's other addresses do not reach the app.
    const port = new URL(app.url).port;
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === "IPv4");
    for (const address of others) {
      await expect(fetch(`http://${address!.address}:${port}/api/health`)).rejects.toThrow();
    }
    expect((await rawRequest(app.url, "GET", "/api/health")).status).toBe(200);
  });
});

describe("bad ids, deep JSON and a throwing handler", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  let lee: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    lee = await ApiClient.signIn(app.url, "lee@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
  });
  afterAll(() => world.close());

  it("refuses payment method ids the store cannot hold with 400", async () => {
    for (const id of ["a/b", "a\\b", "a#b", "a?b", "a b", "../pm", "pm-1\u0000", " ", "ü"]) {
      const res = await megan.put("/api/v1/account/payment-method", { paymentMethodId: id });
      expect(res.status, `${JSON.stringify(id)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.errors[0].path).toBe("paymentMethodId");
    }
    expect((await megan.get("/api/v1/account")).body.paymentMethod).not.toBeNull(); // nothing changed
  });

  it("refuses license user ids that are not ids with 4xx, never 500", async () => {
    for (const id of ["a%20b", "a%23b", "a%3Fb", "a%5Cb", "a%2Fb", "%2e%2e", "x".repeat(300)]) {
      for (const method of ["PUT", "DELETE"]) {
        const res = await rawRequest(app.url, method, `/api/v1/licenses/${id}`, undefined, { authorization: `Bearer ${lee.token}` });
        expect(res.status, `${method} ${id} → ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${id} → ${res.body}`).toBeLessThan(500);
      }
    }
  });

  it("answers JSON nested 10,000 deep with 400", async () => {
    const deepRecords = `{"records":[${nested(10_000)}]}`;
    const usage = await rawRequest(app.url, "POST", "/api/v1/usage/records", deepRecords, { authorization: `Bearer ${megan.token}` });
    expect(usage.status, usage.body).toBe(400);
    expect(JSON.parse(usage.body).code).toBe("too_deep");
    const funds = await rawRequest(app.url, "POST", "/api/v1/account/funds", `{"amountMicros":${nested(10_000)}}`, {
      authorization: `Bearer ${megan.token}`,
      "idempotency-key": "deep-1",
    });
    expect(funds.status, funds.body).toBe(400);
    // Far deeper than the stack: still a 400 (the depth walk does not recurse).
    const deeper = await rawRequest(app.url, "POST", "/api/v1/usage/records", nested(1_000_000), { authorization: `Bearer ${megan.token}` });
    expect(deeper.status).toBe(400);
    expect((await megan.get("/api/v1/account")).status).toBe(200);
  });

  it("answers a handler's own throw with 500 problem+json, and keeps serving", async () => {
    app.server.get("/api/test/throws", (_req, _res, _next) => {
      throw new Error("a bug in a handler");
    });
    const res = await rawRequest(app.url, "GET", "/api/test/throws");
    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ code: "internal_error" });
    expect(res.body).not.toContain("a bug in a handler"); // logged, not shown
    expect((await megan.get("/api/v1/account")).status).toBe(200);
  });
});
