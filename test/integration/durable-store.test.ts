/**
 * An acknowledged write survives `kill -9`: the app runs as a real child process with its embedded
 * store and sandbox processor in a data directory, and is killed without warning right after its
 * last answer. No snapshot is taken on the way (the interval is off): only the journal saves it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, usd } from "../support/http.js";
import { startChildApp, type ChildApp } from "../support/child-app.js";

const FUNDINGS = 40;

describe("the embedded store and sandbox processor across kill -9", () => {
  let dataDir: string;
  let app: ChildApp | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "credits-durable-"));
  });
  afterAll(async () => {
    await app?.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });
  const start = () => startChildApp({ DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "0" });

  it("keeps every acknowledged funding, and the saved card, after SIGKILL", async () => {
    app = await start();
    const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    const before = (await megan.get("/api/v1/account")).body.balanceMicros as number;

    // Ten at a time, so several writes share an fsync (group commit).
    const answers: number[] = [];
    for (let i = 0; i < FUNDINGS; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) })));
      answers.push(...batch.map((r) => r.status));
    }
    expect(answers).toEqual(Array(FUNDINGS).fill(201));
    await app.kill("SIGKILL");
    expect(app.process.signalCode).toBe("SIGKILL");
    await expect(fetch(`${app.url}/api/health`)).rejects.toThrow(); // nothing of it is left listening

    app = await start();
    const again = await ApiClient.signIn(app.url, "megan@contoso.example");
    const account = (await again.get("/api/v1/account")).body;
    expect(account.balanceMicros).toBe(before + FUNDINGS * usd(50));
    expect(account.paymentMethod).toMatchObject({ last4: "4242" });
    const ledger = (await again.get(`/api/v1/ledger?limit=${FUNDINGS + 10}`)).body.items as { kind: string }[];
    expect(ledger.filter((e) => e.kind === "funding")).toHaveLength(FUNDINGS);

    // The processor (embedded, restarted too) still knows the saved card: a new funding is charged.
    const more = await again.postMoney("/api/v1/account/funds", { amountMicros: usd(60) });
    expect(more.status, JSON.stringify(more.body)).toBe(201);
    expect(more.body.balanceMicros).toBe(before + FUNDINGS * usd(50) + usd(60));
    await app.kill("SIGKILL");
  }, 360_000);

  it("survives a torn last journal line in the store and in the processor", async () => {
    const files = await readdir(dataDir);
    const segments = files.filter((f) => /^cosmos-journal\.\d+\.log$/.test(f)).sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
    expect(segments.length).toBeGreaterThan(0);
    // A crash in the middle of an append: half a record, no newline.
    await appendFile(join(dataDir, segments[segments.length - 1]), '{"db":"credits","coll":"ledger","put":{"id":"0000000');
    await appendFile(join(dataDir, "processor-journal.log"), '{"t":"intent","key":"half');

    app = await start();
    const megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    const account = (await megan.get("/api/v1/account")).body;
    const ledger = (await megan.get(`/api/v1/ledger?limit=${FUNDINGS + 10}`)).body.items as { kind: string }[];
    expect(ledger.filter((e) => e.kind === "funding")).toHaveLength(FUNDINGS + 1);
    expect(account.paymentMethod).toMatchObject({ last4: "4242" });
    const more = await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(55) });
    expect(more.status, JSON.stringify(more.body)).toBe(201);
    expect(more.body.balanceMicros).toBe(account.balanceMicros + usd(55));
  }, 360_000);
});
