/**
 * What operators meet while the app runs: `npm run check-ledger` beside it under load (and
 * snapshotting) tells the truth; SIGTERM with a notification backlog stops within the grace and the
 * backlog is delivered after the next start; `npm start`'s supervisor starts the app again when it
 * stops on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { startChildApp, type ChildApp } from "../support/child-app.js";
import { ApiClient, usd } from "../support/http.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function checkLedgerCli(dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["--import", "tsx", "api/src/local/cli/check-ledger.ts"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "development", APP_ENV: "local", DATA_DIR: dataDir, COSMOS_ENDPOINT: "", PROCESSOR_URL: "", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => ok({ code, out }));
  });
}

/** Send `count` payments, `atOnce` at a time. */
async function payments(admin: ApiClient, count: number, atOnce: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += atOnce) {
    const batch = await Promise.all(Array.from({ length: Math.min(atOnce, count - i) }, () => admin.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })));
    statuses.push(...batch.map((r) => r.status));
  }
  return statuses;
}

describe("check-ledger beside the running app", () => {
  let dataDir: string;
  let app: ChildApp;
  let megan: ApiClient;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-ops-"));
    // A snapshot every 100 ms: the app rewrites its files while check-ledger reads them.
    app = await startChildApp({ DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "100" }, { timeoutMs: 60_000 });
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
  });
  afterAll(async () => {
    await app.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports no breach while payments are being charged and credited", async () => {
    for (let round = 0; round < 3; round++) {
      const [statuses, check] = await Promise.all([payments(megan, 24, 4), new Promise((r) => setTimeout(r, 150)).then(() => checkLedgerCli(dataDir))]);
      expect(
        statuses.every((s) => s === 201),
        `round ${round}: ${statuses.join(",")}`,
      ).toBe(true);
      expect(check.code, `round ${round}:\n${check.out}`).toBe(0);
      expect(check.out).toContain("all invariants hold");
    }
  }, 180_000);
});

describe("SIGTERM with a notification backlog", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-stop-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("stops within the grace, and the next start delivers what was left", async () => {
    const env = { DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "0", SHUTDOWN_GRACE_MS: "2000", JOBS_INTERVAL_MS: "1000" };
    const first = await startChildApp(env, { timeoutMs: 60_000 });
    const megan = await ApiClient.signIn(first.url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    // Each payment tells the admins (paced at Teams' 7 per second per conversation): 60 of them are
    // several seconds of sending, far more than the grace.
    expect((await payments(megan, 60, 6)).every((s) => s === 201)).toBe(true);
    const undelivered = async (admin: ApiClient) =>
      ((await admin.get("/api/v1/notifications?limit=1000")).body.items as { recipients: { status: string }[] }[]).filter(
        (n) => n.recipients.length === 0 || n.recipients.some((r) => r.status === "pending"),
      ).length;
    const left = await undelivered(megan);
    expect(left).toBeGreaterThan(0);

    const asked = Date.now();
    await first.kill("SIGTERM");
    const stoppedMs = Date.now() - asked;
    expect(first.process.exitCode, first.output()).toBe(0);
    expect(stoppedMs).toBeLessThan(2000 + 4000);

    const second = await startChildApp(env, { timeoutMs: 60_000 });
    try {
      const again = await ApiClient.signIn(second.url, "megan@contoso.example");
      let remaining = await undelivered(again);
      for (let i = 0; i < 120 && remaining > 0; i++) {
        await new Promise((r) => setTimeout(r, 500));
        remaining = await undelivered(again);
      }
      expect(remaining).toBe(0);
    } finally {
      await second.kill("SIGTERM");
    }
  }, 180_000);
});

describe("npm start's supervisor", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-supervised-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("starts the app again when it stops on its own, and stops with it on SIGTERM", async () => {
    const supervisor = await startChildApp({ APP_ENV: "", DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "0", PORT: "0" }, { script: "api/src/local/start-local.ts", timeoutMs: 60_000 });
    try {
      const upLines = () =>
        supervisor
          .output()
          .split("\n")
          .filter((l) => l.includes("is up on"));
      const { pid } = JSON.parse(upLines()[0]) as { pid: number };
      expect(pid).not.toBe(supervisor.process.pid);
      process.kill(pid, "SIGKILL");
      for (let i = 0; i < 300 && upLines().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(supervisor.output()).toContain("The app stopped (SIGKILL); starting it again");
      const second = JSON.parse(upLines()[1]) as { pid: number; url: string };
      expect(second.pid).not.toBe(pid);
      const port = /localhost:(\d+)/.exec(second.url)![1];
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    } finally {
      await supervisor.kill("SIGTERM");
    }
    expect(supervisor.process.exitCode).toBe(0);
  }, 120_000);
});
